"""People queries shared by the screens: students of a center, minors without consent."""
from datetime import date

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import contains_eager

from lms.audit.services import record
from lms.auth.passwords import MIN_PASSWORD, hash_password
from lms.auth.services import find_user_by_email, normalize_email
from lms.core.extensions import db
from lms.core.pagination import SHORTLIST, Shortlist, shortlist
from lms.users.models import CONSENT_AGE, Role, StudentProfile, User


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
