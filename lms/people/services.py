"""People use cases: create, edit, deactivate and reactivate accounts; archive and restore students.

Each use case checks its rule, changes the account and writes one audit entry with the values
before and after; the request commits it (and rolls it back on a refusal).
"""
from datetime import date, datetime
from enum import Enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from lms.access import assignable_roles, is_cluster_role, is_cluster_wide
from lms.centers.models import Center
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.people.models import StudentNote
from lms.tokens import services as tokens
from lms.users.models import Role, StudentProfile, User
from lms.users.queries import normalize_email

ACCOUNT_FIELDS = ("email", "full_name", "role", "center_id", "locale")
PROFILE_FIELDS = ("date_of_birth", "sex", "disability", "displaced", "settlement", "learner_type",
                  "institution", "grade", "guardian_name", "guardian_contact",
                  "guardian_consent_on")


class PeopleError(Refused):
    """A change of an account that the rules refuse."""


def _plain(value):
    """A value as the audit log's JSON stores it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the values that changed, before and after."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def center_choices(actor: User) -> list[Center]:
    """Centers an administrator may place an account in; none to choose for a head (their own)."""
    if not is_cluster_wide(actor):
        return []
    return list(db.session.scalars(sa.select(Center).order_by(Center.name)))


def _check_email_free(email: str, except_id: int | None = None) -> None:
    query = sa.select(User.id).where(sa.func.lower(User.email) == normalize_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    if db.session.scalar(query) is not None:
        raise PeopleError(_l("Another account already uses this e-mail address."), "email")


def _flush_unique() -> None:
    """Flush; a concurrent request that took the same e-mail first is refused, not a 500."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise PeopleError(_l("Another account already uses this e-mail address."), "email") from error


def _center_for(actor: User, role: Role, center_id: int | None) -> int | None:
    """The new account's center: a head's own; an administrator's choice (none for admins)."""
    if not is_cluster_wide(actor):
        return actor.center_id
    if is_cluster_role(role):
        if center_id:
            raise PeopleError(_l("Administrators belong to the cluster, not to a center."),
                              "center_id")
        return None
    if not center_id or db.session.get(Center, center_id) is None:
        raise PeopleError(_l("Choose the center of this account."), "center_id")
    return center_id


def create_user(actor: User, account: dict, profile: dict) -> User:
    """A new account without a password (an invitation sets it); students get their profile."""
    role = Role(account["role"])
    if role not in assignable_roles(actor):
        raise PeopleError(_l("You cannot create an account with this role."), "role")
    center_id = _center_for(actor, role, account.get("center_id"))
    _check_email_free(account["email"])
    user = User(email=normalize_email(account["email"]), full_name=account["full_name"],
                role=role, center_id=center_id, locale=account["locale"], password_hash=None)
    if role == Role.STUDENT:
        user.profile = StudentProfile(**profile)
    db.session.add(user)
    _flush_unique()
    after = snapshot(user, ACCOUNT_FIELDS)
    if user.profile is not None:
        after["profile"] = snapshot(user.profile, PROFILE_FIELDS)
    record("user.create", user, after=after, actor=actor)
    return user


def update_user(actor: User, user: User, account: dict) -> bool:
    """Change name, e-mail, role (within the allowed set) and language; False if nothing changed."""
    role = Role(account["role"])
    if role not in assignable_roles(actor, user):
        raise PeopleError(_l("This account cannot have this role."), "role")
    if user.id == actor.id and role != user.role:
        raise PeopleError(_l("You cannot change your own role."), "role")
    _check_email_free(account["email"], except_id=user.id)
    before = snapshot(user, ACCOUNT_FIELDS)
    user.email = normalize_email(account["email"])
    user.full_name, user.role, user.locale = account["full_name"], role, account["locale"]
    if role == Role.STUDENT and user.profile is None:
        user.profile = StudentProfile()
    _flush_unique()
    old, new = _diff(before, snapshot(user, ACCOUNT_FIELDS))
    if new:
        record("user.update", user, before=old, after=new, actor=actor)
    return bool(new)


def update_profile(actor: User, user: User, fields: dict) -> bool:
    """Change a student's demographics and guardian fields; False if nothing changed."""
    profile = _profile_of(user)
    before = snapshot(profile, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        setattr(profile, name, fields[name])
    old, new = _diff(before, snapshot(profile, PROFILE_FIELDS))
    if new:
        record("student.profile_update", user, before=old, after=new, actor=actor)
    return bool(new)


def _profile_of(user: User) -> StudentProfile:
    if user.profile is None:
        raise PeopleError(_l("Only students have a student profile."))
    return user.profile


def deactivate(actor: User, user: User) -> None:
    """Close an account (never deleted): it can no longer sign in, its sessions end now and its
    API tokens are revoked (reactivation does not bring them back: the owner makes new ones)."""
    if user.id == actor.id:
        raise PeopleError(_l("You cannot deactivate your own account."))
    if not user.is_active:
        raise PeopleError(_l("This account is deactivated already."))
    user.is_active = False
    user.session_version += 1  # every signed-in session of the user stops being recognised
    record("user.deactivate", user, before={"is_active": True}, after={"is_active": False},
           actor=actor)
    tokens.revoke_all_of(user, actor, reason="account deactivated")


def reactivate(actor: User, user: User) -> None:
    """Open a deactivated account again (its API tokens stay revoked)."""
    if user.is_active:
        raise PeopleError(_l("This account is active already."))
    user.is_active = True
    record("user.reactivate", user, before={"is_active": False}, after={"is_active": True},
           actor=actor)


def archive(actor: User, user: User) -> None:
    """Archive a student: gone from pickers and active lists, history and reports kept."""
    profile = _profile_of(user)
    if profile.archived_at is not None:
        raise PeopleError(_l("This student is archived already."))
    profile.archived_at = utcnow()
    record("student.archive", user, before={"archived_at": None},
           after={"archived_at": _plain(profile.archived_at)}, actor=actor)


def restore(actor: User, user: User) -> None:
    """Bring an archived student back to the active lists."""
    profile = _profile_of(user)
    if profile.archived_at is None:
        raise PeopleError(_l("This student is not archived."))
    before = {"archived_at": _plain(profile.archived_at)}
    profile.archived_at = None
    record("student.restore", user, before=before, after={"archived_at": None}, actor=actor)


def add_note(student: User, author: User, body: str) -> StudentNote:
    """Add a mentor's note to a student's timeline."""
    note = StudentNote(student_id=student.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()  # the audit entry names the note
    record("note.create", note, after={"student_id": student.id, "body": body}, actor=author,
           center_id=student.center_id)
    return note
