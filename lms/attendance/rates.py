"""Attendance rates for other screens (student home, mentors' needs-attention lists),
computed set-based in SQL."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import Enrollment, EnrollmentStatus
from lms.core.extensions import db

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)  # late still counts as attended


def _attended():
    return sa.func.sum(sa.case((Attendance.status.in_(ATTENDED), 1), else_=0))


def _counted():
    """Marks that count in the denominator: an excused absence is left out."""
    return sa.func.sum(sa.case((Attendance.status != AttendanceStatus.EXCUSED, 1), else_=0))


def attendance_rates(enrollment_ids: list[int]) -> dict[int, float | None]:
    """Share of each enrollment's counted marks that are present or late; None without any."""
    rates: dict[int, float | None] = dict.fromkeys(enrollment_ids)
    if not enrollment_ids:
        return rates
    query = (
        sa.select(Attendance.enrollment_id, _attended(), _counted())
        .where(Attendance.enrollment_id.in_(enrollment_ids))
        .group_by(Attendance.enrollment_id)
    )
    for enrollment_id, attended, counted in db.session.execute(query):
        rates[enrollment_id] = attended / counted if counted else None
    return rates


def recent_marks(cohort_ids: list[int], last_sessions: int):
    """Per enrollment: attended and counted marks over its cohort's last `last_sessions`."""
    recency = sa.func.row_number().over(
        partition_by=ClassSession.cohort_id,
        order_by=(ClassSession.held_on.desc(), ClassSession.id.desc()))
    ranked = (sa.select(ClassSession.id, recency.label("recency"))
              .where(ClassSession.cohort_id.in_(cohort_ids)).subquery())
    return (
        sa.select(Attendance.enrollment_id, _attended().label("attended"),
                  _counted().label("counted"))
        .join(ranked, ranked.c.id == Attendance.session_id)
        .where(ranked.c.recency <= last_sessions)
        .group_by(Attendance.enrollment_id)
        .subquery()
    )


def low_attendance(cohort_ids: list[int], threshold: float = 0.7,
                   last_sessions: int = 8) -> list[tuple[Enrollment, float]]:
    """Active enrollments under `threshold` over their cohort's last sessions, lowest first."""
    if not cohort_ids:
        return []
    marks = recent_marks(cohort_ids, last_sessions)
    rate = sa.cast(marks.c.attended, sa.Float) / sa.func.nullif(marks.c.counted, 0)
    query = (
        sa.select(Enrollment, rate)
        .join(marks, marks.c.enrollment_id == Enrollment.id)
        .where(Enrollment.status == EnrollmentStatus.ACTIVE, rate < threshold)
        .options(joinedload(Enrollment.student), joinedload(Enrollment.cohort))
        .order_by(rate, Enrollment.id)
    )
    return [(enrollment, float(value)) for enrollment, value in db.session.execute(query)]


def last_attended_on(enrollment_ids: list[int]) -> dict[int, date]:
    """The latest session date each enrollment was present or late; left out if never."""
    if not enrollment_ids:
        return {}
    query = (
        sa.select(Attendance.enrollment_id, sa.func.max(ClassSession.held_on))
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(Attendance.enrollment_id.in_(enrollment_ids), Attendance.status.in_(ATTENDED))
        .group_by(Attendance.enrollment_id)
    )
    return dict(db.session.execute(query).tuples().all())
