"""Enrollment use cases: who may change a roster, finding students, enroll, withdraw, complete."""
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import joinedload

from lms.access import visible
from lms.audit.services import record
from lms.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from lms.cohorts.services import enrolled_counts
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.users.models import Role, StudentProfile, User

SEARCH_LIMIT = 50

# Loader options for a roster action: the rule needs the cohort's mentors.
ENROLLMENT_CARD = (joinedload(Enrollment.cohort).selectinload(Cohort.mentors),)


class EnrollmentError(Refused):
    """A change of a cohort's roster that the rules refuse."""


def name_or_email_contains(text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match on the full name or the e-mail."""
    # SQLite's lower() folds ASCII only; trying the text also capitalised and title-cased
    # lets Cyrillic names match there too. PostgreSQL folds every letter.
    variants = {text, text.lower(), text.capitalize(), text.title()}
    columns = (sa.func.lower(User.full_name), sa.func.lower(User.email))
    return sa.or_(*(column.contains(v, autoescape=True) for column in columns for v in variants))


def _candidates(cohort: Cohort) -> sa.Select:
    """(student, earlier enrollment or None): active, unarchived students of the cohort's center
    who are not enrolled in it now (a withdrawn enrollment can be reactivated)."""
    earlier = sa.and_(Enrollment.student_id == User.id, Enrollment.cohort_id == cohort.id)
    return (
        visible(User).add_columns(Enrollment)
        .join(StudentProfile, StudentProfile.user_id == User.id)
        .outerjoin(Enrollment, earlier)
        .where(User.role == Role.STUDENT, User.center_id == cohort.center_id, User.is_active,
               StudentProfile.archived_at.is_(None),
               sa.or_(Enrollment.id.is_(None), Enrollment.status == EnrollmentStatus.WITHDRAWN))
    )


def find_candidates(cohort: Cohort, text: str, limit: int = SEARCH_LIMIT) -> list[tuple]:
    """Up to `limit` students who could join the cohort, by name, matching `text` if given."""
    query = _candidates(cohort)
    if text:
        query = query.where(name_or_email_contains(text))
    query = query.order_by(User.full_name, User.id).limit(limit)
    return [tuple(row) for row in db.session.execute(query)]


def free_places(cohort: Cohort) -> int | None:
    """Places left in the cohort, or None when its capacity is not limited."""
    if cohort.capacity is None:
        return None
    return max(cohort.capacity - enrolled_counts([cohort.id]).get(cohort.id, 0), 0)


def enroll_students(cohort: Cohort, student_ids: Iterable[int], actor: User,
                    today: date) -> list[Enrollment]:
    """Enroll the chosen students, all or none: same center, room left, not enrolled already."""
    wanted = set(student_ids or ())
    if not wanted:
        raise EnrollmentError(_l("Choose at least one student."), "student_ids")
    # Serialise enrollments into one cohort, so two requests cannot both take the last place.
    db.session.execute(sa.select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    rows = db.session.execute(_candidates(cohort).where(User.id.in_(wanted))).all()
    if len(rows) != len(wanted):
        raise EnrollmentError(_l("Some of the chosen students cannot be enrolled in this cohort: "
                                 "they are not active students of its center, or they are "
                                 "enrolled already. Nobody was enrolled."), "student_ids")
    _check_capacity(cohort, len(wanted))
    reactivated = [_reactivate(earlier, actor) for _, earlier in rows if earlier is not None]
    fresh = [student for student, earlier in rows if earlier is None]
    return reactivated + _create(cohort, fresh, actor, today)


def _check_capacity(cohort: Cohort, chosen: int) -> None:
    """Refuse the whole choice when it does not fit in the places left."""
    free = free_places(cohort)
    if free is not None and chosen > free:
        raise EnrollmentError(lazy_ngettext(
            "The cohort has room for %(num)d more student and you chose %(chosen)d. "
            "Nobody was enrolled.",
            "The cohort has room for %(num)d more students and you chose %(chosen)d. "
            "Nobody was enrolled.", free, chosen=chosen), "student_ids")


def _create(cohort: Cohort, students: list[User], actor: User, today: date) -> list[Enrollment]:
    """New active enrollments, each with its audit entry."""
    created = [Enrollment(student_id=s.id, cohort_id=cohort.id, enrolled_on=today,
                          status=EnrollmentStatus.ACTIVE) for s in students]
    db.session.add_all(created)
    db.session.flush()  # the audit entries name the new ids
    for enrollment in created:
        record("enrollment.create", enrollment, after=snapshot(enrollment), actor=actor,
               center_id=cohort.center_id)
    return created


def _reactivate(enrollment: Enrollment, actor: User) -> Enrollment:
    """A withdrawn student comes back on the same row (one enrollment per student and cohort)."""
    return _change(enrollment, "enrollment.reactivate", actor, status=EnrollmentStatus.ACTIVE,
                   withdrawn_on=None, withdraw_reason=None)


def withdraw(enrollment: Enrollment, actor: User, reason: str, today: date) -> Enrollment:
    """Withdraw an active enrollment with a reason; its history stays."""
    if _status_locked(enrollment) != EnrollmentStatus.ACTIVE:
        raise EnrollmentError(_l("Only an active enrollment can be withdrawn."))
    return _change(enrollment, "enrollment.withdraw", actor, status=EnrollmentStatus.WITHDRAWN,
                   withdrawn_on=today, withdraw_reason=reason)


def mark_completed(enrollment: Enrollment, actor: User, reason: str, today: date) -> Enrollment:
    """Mark an active enrollment completed by hand ("completed, set by …")."""
    if _status_locked(enrollment) != EnrollmentStatus.ACTIVE:
        raise EnrollmentError(_l("Only an active enrollment can be marked completed."))
    return _change(enrollment, "enrollment.complete", actor, status=EnrollmentStatus.COMPLETED,
                   completed_on=today, completion_set_by_id=actor.id, completion_reason=reason)


def reopen(enrollment: Enrollment, actor: User) -> Enrollment:
    """Undo a completion set by hand: the enrollment is active again."""
    status = _status_locked(enrollment)
    if status != EnrollmentStatus.COMPLETED or enrollment.completion_set_by_id is None:
        raise EnrollmentError(_l("Only a completion marked by hand can be undone."))
    return _change(enrollment, "enrollment.reopen", actor, status=EnrollmentStatus.ACTIVE,
                   completed_on=None, completion_set_by_id=None, completion_reason=None)


def _status_locked(enrollment: Enrollment) -> EnrollmentStatus:
    """Re-read the row under a lock, so two concurrent changes cannot both pass the check."""
    query = (sa.select(Enrollment).where(Enrollment.id == enrollment.id).with_for_update()
             .execution_options(populate_existing=True))
    return db.session.scalars(query).one().status


def _change(enrollment: Enrollment, action: str, actor: User, **fields) -> Enrollment:
    """Set `fields` and audit the enrollment's state before and after."""
    before = snapshot(enrollment)
    for name, value in fields.items():
        setattr(enrollment, name, value)
    record(action, enrollment, before=before, after=snapshot(enrollment), actor=actor,
           center_id=enrollment.cohort.center_id)
    return enrollment


def snapshot(enrollment: Enrollment) -> dict:
    """The audited state of an enrollment, JSON-ready."""
    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None
    return {"student_id": enrollment.student_id, "cohort_id": enrollment.cohort_id,
            "status": enrollment.status.value, "enrolled_on": iso(enrollment.enrolled_on),
            "completed_on": iso(enrollment.completed_on),
            "completion_set_by_id": enrollment.completion_set_by_id,
            "completion_reason": enrollment.completion_reason,
            "withdrawn_on": iso(enrollment.withdrawn_on),
            "withdraw_reason": enrollment.withdraw_reason}
