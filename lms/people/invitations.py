"""Invitations: a new account's single-use, expiring link to set its first password.

The token is signed like a password-reset token (lms/auth/services.py) but with its own salt, so
one kind can never be used as the other. It carries the password-hash fragment (setting the
password makes it invalid: single use) and the session version (sending the invitation again, or
deactivating the account, bumps it: earlier links stop working). The mail leaves once the
request's transaction has committed, so its link always names an account that was written.
"""
from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.core.audit import record
from lms.core.extensions import db
from lms.core.links import public_url
from lms.core.mail import send_after_commit
from lms.people.services import PeopleError
from lms.users.models import User

_SALT = "invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fragment(user: User) -> str:
    return (user.password_hash or "")[-12:]


def make_token(user: User) -> str:
    return _serializer().dumps({"id": user.id, "pw": _fragment(user), "sv": user.session_version})


def account_of_token(token: str) -> int | None:
    """The account id a genuinely signed invitation names, expired or not (for throttling)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), int) else None


def user_from_token(token: str) -> User | None:
    """The account a valid, unexpired, unused invitation belongs to, or None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if (user is None or not user.is_active or _fragment(user) != data.get("pw")
            or user.session_version != data.get("sv")):
        return None
    return user


def send(user: User, actor: User, handed_over: Callable[[str | None], None], *,
         again: bool = False) -> None:
    """Record the invitation and mail it once the transaction commits. Then `handed_over(link)`
    runs: with the link when the sender must pass it on (no mail server is configured, or
    sending failed), with None when it was mailed."""
    link = public_url("auth.accept_invitation", token=make_token(user))
    days = max(current_app.config["INVITATION_MAX_AGE"] // 86400, 1)
    with force_locale(user.locale):
        subject = _("Your Resource Center LMS account")
        body = render_template("people/invitation_email.txt", user=user, link=link, days=days)
    record("user.invite", user, after={"email": user.email, "again": again}, actor=actor)
    email = user.email  # read now: after the commit the session may not load anything

    def report(mailed: bool) -> None:
        if not mailed and current_app.config.get("MAIL_SERVER"):
            current_app.logger.error("The invitation to %s could not be mailed", email)
        handed_over(None if mailed else link)
    send_after_commit(email, subject, body, then=report)


def send_again(actor: User, user: User, handed_over: Callable[[str | None], None]) -> None:
    """A fresh invitation for an account that has not set its password; older links stop working."""
    if user.password_hash is not None:
        raise PeopleError(_l("This person has set a password already; “Forgot password” on the "
                             "sign-in page lets them choose a new one."))
    if not user.is_active:
        raise PeopleError(_l("Reactivate the account before inviting this person."))
    user.session_version += 1
    send(user, actor, handed_over, again=True)
