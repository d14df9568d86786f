"""Sign-in use cases: authenticate, change and reset passwords; the first administrator."""

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.auth import sessions
from lms.auth.passwords import MIN_PASSWORD, hash_password, needs_rehash, verify_password
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.links import public_url
from lms.core.mail import send_after_commit
from lms.core.model_types import utcnow
from lms.users.models import Role, User
from lms.users.queries import find_user_by_email, normalize_email

_RESET_SALT = "password-reset"


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same cost either way."""
    user = find_user_by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if not (user and valid and user.is_active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the user of a live server-side session (lms/auth/sessions.py)."""
    return sessions.load(session_id)


def set_password(user: User, password: str, *, action: str) -> None:
    """Store a new password and end every session of the user, remembered ones too (a password
    change then begins a new one for the browser it was made on)."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    sessions.end_all(user)
    record(action, user, actor=user, after={"session_version": user.session_version})


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def make_reset_token(user: User) -> str:
    # The current hash fragment makes the token single-use: a new password invalidates it.
    # The reset version makes it the only live one: sending a newer link bumps the version.
    return _serializer().dumps({"id": user.id, "pw": (user.password_hash or "")[-12:],
                                "v": user.reset_version})


def user_from_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused reset token belongs to, or None."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.is_active or (user.password_hash or "")[-12:] != data.get("pw"):
        return None
    if data.get("v") != user.reset_version:  # a newer link was sent since (or a pre-version one)
        return None
    return user


def account_of_reset_token(token: str) -> int | None:
    """The account id a genuinely signed reset token names, expired or not (for throttling)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), int) else None


def send_reset_link(email: str) -> None:
    """Mail a reset link if an active account exists; silent otherwise (no enumeration)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    # Every link sent before this one stops working. Incremented in SQL, so two requests at
    # once get two versions (the second waits for the first's row lock) and one live link.
    user.reset_version = User.reset_version + 1
    db.session.flush()
    db.session.refresh(user, ["reset_version"])
    link = public_url("auth.reset_password", token=make_reset_token(user))
    with force_locale(user.locale):
        subject = _("Reset your password")
        body = render_template("auth/reset_email.txt", user=user, link=link)
    send_after_commit(user.email, subject, body)


class AccountError(ValueError):
    """An account cannot be created as asked (the message says why)."""


def create_admin_account(*, email: str, full_name: str, password: str) -> User:
    """Add a cluster administrator to the session (the caller commits)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"Invalid email: {error}") from error
    if find_user_by_email(email):
        raise AccountError(f"An account with {email} already exists.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password needs at least {MIN_PASSWORD} characters.")
    if not full_name.strip():
        raise AccountError("The full name is required.")
    user = User(email=normalize_email(email), full_name=full_name.strip(), role=Role.ADMIN,
                password_hash=hash_password(password), locale="uk")
    db.session.add(user)
    db.session.flush()
    record("user.create", user, after={"email": user.email, "role": "admin"}, center_id=None)
    return user
