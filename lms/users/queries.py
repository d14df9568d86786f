"""Reads over accounts: the name-or-e-mail search, active students, minors without consent."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from lms.core.extensions import db
from lms.core.pagination import SHORTLIST, Shortlist, shortlist
from lms.users.models import CONSENT_AGE, Role, StudentProfile, User


def name_or_email_contains(text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match on the full name or the e-mail."""
    # SQLite's lower() folds ASCII only; trying the text also capitalised and title-cased
    # lets Cyrillic names match there too. PostgreSQL folds every letter.
    variants = {text, text.lower(), text.capitalize(), text.title()}
    columns = (sa.func.lower(User.full_name), sa.func.lower(User.email))
    return sa.or_(*(column.contains(v, autoescape=True) for column in columns for v in variants))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def active_students(center_id: int) -> sa.Select:
    """Students of a center who are active and not archived, with their profile joined."""
    return (
        sa.select(User)
        .join(User.profile)
        .where(User.center_id == center_id, User.role == Role.STUDENT, User.is_active,
               StudentProfile.archived_at.is_(None))
        .options(contains_eager(User.profile))
    )


def minors_without_consent(center_id: int, today: date, limit: int = SHORTLIST) -> Shortlist:
    """Active students under the consent age with no guardian consent on record (SPEC §2)."""
    query = (
        active_students(center_id)
        .where(StudentProfile.date_of_birth > years_before(today, CONSENT_AGE),
               StudentProfile.guardian_consent_on.is_(None))
        .order_by(User.full_name, User.id)
    )
    return shortlist(query, limit)


def count_by_role(center_id: int) -> dict[Role, int]:
    """Active accounts per role at a center (students: not archived)."""
    query = (
        sa.select(User.role, sa.func.count())
        .outerjoin(User.profile)
        .where(User.center_id == center_id, User.is_active, StudentProfile.archived_at.is_(None))
        .group_by(User.role)
    )
    return {Role(role): count for role, count in db.session.execute(query).all()}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    query = sa.select(User).where(sa.func.lower(User.email) == normalize_email(email))
    return db.session.scalars(query).first()
