"""The people list: scoped to the signed-in user's center (all centers for administrators)."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload, raiseload

from lms.access import visible
from lms.core.extensions import db
from lms.users.models import Role, StudentProfile, User

# One name search for the whole app (Cyrillic-safe on SQLite), shared with enrollment search.
from lms.users.queries import name_or_email_contains


@dataclass(frozen=True)
class Criteria:
    """What the list shows: a search text, a center, a role and a status (see forms.STATUSES)."""

    text: str = ""
    center_id: int | None = None
    role: Role | None = None
    status: str = "active"


def _status(status: str) -> sa.ColumnElement[bool]:
    return {
        "active": sa.and_(User.is_active, StudentProfile.archived_at.is_(None)),
        "deactivated": sa.not_(User.is_active),
        "archived": StudentProfile.archived_at.is_not(None),
        "all": sa.true(),
    }[status]


def people_query(user: User, criteria: Criteria) -> sa.Select:
    """Accounts the user may manage that match the criteria, by name, profile joined."""
    query = (visible(User, user).outerjoin(User.profile)
             .options(contains_eager(User.profile), joinedload(User.center), raiseload("*"))
             .where(_status(criteria.status)).order_by(User.full_name, User.id))
    if criteria.center_id is not None:
        query = query.where(User.center_id == criteria.center_id)
    if criteria.role is not None:
        query = query.where(User.role == criteria.role)
    if criteria.text:
        query = query.where(name_or_email_contains(criteria.text))
    return query


def people_page(user: User, criteria: Criteria, page: int, per_page: int):
    """One page of the list (a page past the end is a 404)."""
    return db.paginate(people_query(user, criteria), page=page, per_page=per_page)


def state_of(person: User) -> str:
    """The account's state as the list shows it."""
    if not person.is_active:
        return _("Deactivated")
    if person.profile is not None and person.profile.archived_at is not None:
        return _("Archived")
    return _("Active") if person.password_hash else _("Invited")


def export_headers() -> list[str]:
    return [_("Full name"), _("E-mail"), _("Role"), _("Center"), _("Language"), _("Status"),
            _("Last sign-in"), _("Created")]


def export_rows(user: User, criteria: Criteria) -> Iterator[list]:
    """The list as CSV rows, read lazily while the download streams."""
    for person in db.session.scalars(people_query(user, criteria)):
        yield [person.full_name, person.email, person.role.label,
               person.center.name if person.center else _("Cluster"), person.locale,
               state_of(person), person.last_login_at, person.created_at]


def student_headers() -> list[str]:
    return [_("Full name"), _("E-mail"), _("Center"), _("Age"), _("Learner"),
            _("School or university"), _("Grade or year"), _("Guardian consent missing"),
            _("Status")]


def student_rows(user: User, criteria: Criteria, today: date) -> Iterator[list]:
    """The student list as CSV rows (staff of the center only: it holds ages)."""
    for person in db.session.scalars(people_query(user, criteria)):
        profile = person.profile
        yield [person.full_name, person.email, person.center.name,
               profile.age_on(today) if profile else None,
               profile.learner_type.label if profile else None,
               profile.institution if profile else None, profile.grade if profile else None,
               _("yes") if profile and profile.needs_consent(today) else "", state_of(person)]
