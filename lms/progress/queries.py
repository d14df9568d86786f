"""Read-side progress queries for the mentors' needs-attention lists."""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import Enrollment, EnrollmentStatus
from lms.core.pagination import SHORTLIST, Shortlist, shortlist
from lms.progress.models import LessonProgress

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def inactive_enrollments(cohort_ids: list[int], today: date, days: int = 14,
                         limit: int = SHORTLIST) -> Shortlist:
    """Active enrollments with no progress change and no attended session for `days` days
    (enrolled at least that long ago), as (enrollment, last activity date) pairs: never active
    first, then the longest inactive."""
    if not cohort_ids:
        return Shortlist([], 0)
    cutoff = today - timedelta(days=days)
    # Correlated per enrollment, so only the listed cohorts' rows are read through the
    # (enrollment_id, …) indexes; a GROUP BY over the whole table would read every center's rows.
    progress_at = (sa.select(sa.func.max(LessonProgress.updated_at))
                   .where(LessonProgress.enrollment_id == Enrollment.id).scalar_subquery())
    attended_on = (sa.select(sa.func.max(ClassSession.held_on)).select_from(Attendance)
                   .join(ClassSession, ClassSession.id == Attendance.session_id)
                   .where(Attendance.enrollment_id == Enrollment.id, Attendance.status.in_(ATTENDED))
                   .scalar_subquery())
    recent = (sa.select(Enrollment.id, progress_at.label("progress_at"), attended_on.label("attended_on"))
              .where(Enrollment.cohort_id.in_(cohort_ids), Enrollment.status == EnrollmentStatus.ACTIVE,
                     Enrollment.enrolled_on <= cutoff).subquery())
    last = _later(recent.c.progress_at, recent.c.attended_on)
    query = (
        sa.select(Enrollment, recent.c.progress_at, recent.c.attended_on)
        .join(recent, recent.c.id == Enrollment.id)
        .where(sa.or_(recent.c.progress_at.is_(None),
                      recent.c.progress_at < datetime.combine(cutoff, time())),
               sa.or_(recent.c.attended_on.is_(None), recent.c.attended_on < cutoff))
        .options(joinedload(Enrollment.student), joinedload(Enrollment.cohort))
        .order_by(last.is_not(None), last, Enrollment.id))
    found = shortlist(query, limit, rows=True)
    return Shortlist([(row[0], _latest(row[1], row[2])) for row in found], found.total)


def _later(a, b):
    """The later of two nullable moments (NULL only when both are), on both databases."""
    return sa.case((a.is_(None), b), (b.is_(None), a), (a > b, a), else_=b)


def _latest(progress_at, attended_on) -> date | None:
    days = [d for d in (_as_date(progress_at), _as_date(attended_on)) if d]
    return max(days, default=None)


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns aggregates of dates as text
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value
