"""Dashboard facts beyond lms/reports/facts.py: enrollments started and ended, attendance marks,
voucher stock, students at risk and the staff's recorded work, as set-based selects.

Like facts.py, each function returns a `Select` with a `center_id` column, filtered by a list of
center ids (None: the whole cluster), and runs unchanged on SQLite and PostgreSQL.
"""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lms.attendance.models import MARK_ACTION, Attendance, AttendanceStatus, ClassSession
from lms.attendance.rates import ATTENDED, recent_marks
from lms.certifications.models import Pursuit, PursuitStageChange, Voucher, VoucherStatus
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from lms.core.audit import AuditEntry
from lms.progress.models import LessonProgress, ProgressEvent
from lms.reports.facts import CenterIds, active_in, completed_in, completions, in_centers
from lms.reports.period import Period
from lms.users.models import Role, StudentProfile, User
from lms.worklog.models import MarkedSession, WorkDay

INACTIVE_DAYS = 14
LOW_ATTENDANCE, LAST_SESSIONS = 0.7, 8
EXPIRING_DAYS = 30
EXPIRED, EXPIRING = "expired", "expiring"


def _of_students(query: sa.Select) -> sa.Select:
    return (query.join(Cohort, Cohort.id == Enrollment.cohort_id)
            .join(User, User.id == Enrollment.student_id).where(User.role == Role.STUDENT))


def enrolled_in(period: Period):
    return Enrollment.enrolled_on.between(period.start, period.end)


def withdrawn_in(period: Period):
    return sa.and_(Enrollment.status == EnrollmentStatus.WITHDRAWN,
                   Enrollment.withdrawn_on.between(period.start, period.end))


def new_enrollments(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Enrollments made in P (enrolled_on in P); center = the cohort's."""
    query = sa.select(Enrollment.id.label("enrollment_id"), Enrollment.student_id,
                      Enrollment.cohort_id, Cohort.center_id,
                      Enrollment.enrolled_on.label("on"), Enrollment.status)
    return _of_students(query).where(enrolled_in(period), in_centers(Cohort.center_id, center_ids))


def withdrawals(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Enrollments withdrawn in P."""
    query = sa.select(Enrollment.id.label("enrollment_id"), Enrollment.student_id,
                      Enrollment.cohort_id, Cohort.center_id,
                      Enrollment.withdrawn_on.label("on"), Enrollment.status)
    return _of_students(query).where(withdrawn_in(period),
                                     in_centers(Cohort.center_id, center_ids))


def ended_enrollments(period: Period, center_ids: CenterIds = None) -> sa.CompoundSelect:
    """Enrollments that ended in P, completed or withdrawn: the completion rate's denominator."""
    done = completions(period, center_ids).subquery()
    completed = sa.select(done.c.enrollment_id, done.c.student_id, done.c.cohort_id,
                          done.c.center_id, done.c.completed_on.label("on"),
                          sa.literal(EnrollmentStatus.COMPLETED.value,
                                     sa.String(10)).label("status"))
    return sa.union_all(completed, withdrawals(period, center_ids))


def enrollment_flags(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """The scope's enrollments that count in any enrollment figure of the dashboard, with a
    0/1 column per figure (the same conditions as active_enrollments(), new_enrollments(),
    completions() and ended_enrollments()): one pass over a center's enrollments, not four."""
    active, new = active_in(period), enrolled_in(period)
    completed, withdrawn = completed_in(period), withdrawn_in(period)

    def flag(condition):
        return sa.case((condition, 1), else_=0)

    query = sa.select(Enrollment.id.label("enrollment_id"), Enrollment.student_id,
                      Cohort.center_id, flag(active).label("is_active"),
                      flag(new).label("is_new"), flag(completed).label("is_completed"),
                      flag(sa.or_(completed, withdrawn)).label("is_ended"))
    return _of_students(query).where(sa.or_(active, new, completed, withdrawn),
                                     in_centers(Cohort.center_id, center_ids))


def attendance_marks(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Marks of sessions held in P, with `attended` (present or late) and `counted` flags;
    an excused absence is not counted, as in lms/attendance/rates.py."""
    return (attendance_flags(period, center_ids)
            .add_columns(Enrollment.student_id)
            .join(Enrollment, Enrollment.id == Attendance.enrollment_id))


def attendance_flags(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Marks of sessions held in P, one row each, with `attended` (present or late) and
    `counted` flags; an excused absence is not counted, as in lms/attendance/rates.py."""
    return (
        sa.select(Attendance.id.label("attendance_id"), ClassSession.cohort_id, Cohort.center_id,
                  ClassSession.held_on,
                  sa.case((Attendance.status.in_(ATTENDED), 1), else_=0).label("attended"),
                  sa.case((Attendance.status != AttendanceStatus.EXCUSED, 1),
                          else_=0).label("counted"))
        .select_from(Attendance)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == ClassSession.cohort_id)
        .where(ClassSession.held_on.between(period.start, period.end),
               in_centers(Cohort.center_id, center_ids))
    )


def session_tallies(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Sessions held in P with their tallies of `attended` and `counted` marks (kept by the
    marking service): what the dashboard sums, a row per session instead of per mark."""
    return (
        sa.select(ClassSession.id.label("session_id"), ClassSession.cohort_id, Cohort.center_id,
                  ClassSession.held_on, ClassSession.attended_count.label("attended"),
                  ClassSession.counted_count.label("counted"))
        .join(Cohort, Cohort.id == ClassSession.cohort_id)
        .where(ClassSession.held_on.between(period.start, period.end),
               in_centers(Cohort.center_id, center_ids))
    )


def voucher_state(today: date):
    """What a voucher is today: its status, except that an unused one past its expiry date
    is expired whatever its status still says."""
    past = sa.and_(Voucher.expires_on.is_not(None), Voucher.expires_on < today)
    unused = Voucher.status.in_([VoucherStatus.AVAILABLE, VoucherStatus.ASSIGNED])
    return sa.case((sa.and_(unused, past), VoucherStatus.EXPIRED.value),
                   else_=sa.cast(Voucher.status, sa.String(10)))


def voucher_stock(today: date, center_ids: CenterIds = None) -> sa.Select:
    """Every voucher with its state today and whether it expires within 30 days unused."""
    state = voucher_state(today)
    soon = sa.and_(Voucher.status.in_([VoucherStatus.AVAILABLE, VoucherStatus.ASSIGNED]),
                   Voucher.expires_on.between(today, today + timedelta(days=EXPIRING_DAYS)))
    return (sa.select(Voucher.id.label("voucher_id"), Voucher.center_id, state.label("state"),
                      sa.case((soon, 1), else_=0).label("expiring"))
            .where(in_centers(Voucher.center_id, center_ids)))


def _last_progress():
    """The enrollment's latest progress change (correlated: one index probe per output row)."""
    return (sa.select(sa.func.max(LessonProgress.updated_at))
            .where(LessonProgress.enrollment_id == Enrollment.id).scalar_subquery())


def _last_attended():
    return (sa.select(sa.func.max(ClassSession.held_on)).select_from(Attendance)
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .where(Attendance.enrollment_id == Enrollment.id, Attendance.status.in_(ATTENDED))
            .scalar_subquery())


def _inactive_since(cutoff: date):
    """No progress change and no attended session since `cutoff` (the same as both latest
    dates being missing or older, but as NOT EXISTS over the index ranges since `cutoff`, so
    no whole progress or attendance table is read)."""
    recent_progress = sa.select(LessonProgress.id).where(
        LessonProgress.enrollment_id == Enrollment.id,
        LessonProgress.updated_at >= datetime.combine(cutoff, time()))
    recent_attended = (sa.select(Attendance.id)
                       .join(ClassSession, ClassSession.id == Attendance.session_id)
                       .where(Attendance.enrollment_id == Enrollment.id,
                              Attendance.status.in_(ATTENDED), ClassSession.held_on >= cutoff))
    return sa.and_(Enrollment.enrolled_on <= cutoff, ~recent_progress.exists(),
                   ~recent_attended.exists())


def at_risk(today: date, center_ids: CenterIds = None, details: bool = True) -> sa.Select:
    """Active enrollments (of current students, in unfinished cohorts) with no progress change
    and no attended session for 14 days, or under 70 % attendance over the cohort's last 8
    sessions: the mentors' needs-attention rules (lms/progress/queries.py, rates.py) as one set.
    `details` adds each student's latest progress and attendance dates (for the list; the
    dashboard's counts leave them out: two lookups per row)."""
    cohorts = sa.select(Cohort.id).where(in_centers(Cohort.center_id, center_ids),
                                         Cohort.status != CohortStatus.FINISHED)
    marks = recent_marks(cohorts, LAST_SESSIONS)
    rate = sa.cast(marks.c.attended, sa.Float) / sa.func.nullif(marks.c.counted, 0)
    inactive = _inactive_since(today - timedelta(days=INACTIVE_DAYS))
    low = rate < LOW_ATTENDANCE
    return (
        sa.select(Enrollment.id.label("enrollment_id"), Enrollment.student_id,
                  Enrollment.cohort_id, Cohort.center_id,
                  sa.case((inactive, 1), else_=0).label("inactive"),
                  sa.case((low, 1), else_=0).label("low"), rate.label("rate"),
                  *((_last_progress().label("progress_at"), _last_attended().label("attended_on"))
                    if details else ()))
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(User, User.id == Enrollment.student_id)
        .join(StudentProfile, StudentProfile.user_id == User.id)
        .outerjoin(marks, marks.c.enrollment_id == Enrollment.id)
        .where(Enrollment.status == EnrollmentStatus.ACTIVE, Cohort.status != CohortStatus.FINISHED,
               User.role == Role.STUDENT, User.is_active, StudentProfile.archived_at.is_(None),
               sa.or_(inactive, low), in_centers(Cohort.center_id, center_ids))
    )


# --- the staff's recorded work ---------------------------------------------------------------

def progress_work(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Progress cells set in P (one row per progress event) with their actor."""
    return (
        sa.select(ProgressEvent.id.label("event_id"), ProgressEvent.actor_id,
                  ProgressEvent.created_at.label("at"), Enrollment.student_id,
                  Enrollment.cohort_id, ProgressEvent.center_id, LessonProgress.lesson_id,
                  ProgressEvent.to_status)
        .join(LessonProgress, LessonProgress.id == ProgressEvent.progress_id)
        .join(Enrollment, Enrollment.id == LessonProgress.enrollment_id)
        .where(*_events_in(ProgressEvent, period, center_ids))
    )


def _events_in(events, period: Period, center_ids: CenterIds) -> tuple:
    """History rows of P at the centers: one range of their (center_id, created_at) index."""
    return (events.created_at >= period.start_at, events.created_at < period.end_at,
            in_centers(events.center_id, center_ids))


def sessions_marked(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """(actor, session) pairs: sessions in which a staff member saved marks in P (audit log;
    a mark's entry carries its session's center)."""
    return (
        sa.select(AuditEntry.actor_id, Attendance.session_id, ClassSession.cohort_id,
                  ClassSession.held_on, AuditEntry.center_id,
                  sa.func.max(AuditEntry.created_at).label("at"))
        .join(Attendance, Attendance.id == AuditEntry.object_id)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(AuditEntry.action == MARK_ACTION, *_events_in(AuditEntry, period, center_ids))
        .group_by(AuditEntry.actor_id, Attendance.session_id, ClassSession.cohort_id,
                  ClassSession.held_on, AuditEntry.center_id)
    )


def stage_work(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Stage changes recorded in P, one row each, with their actor."""
    return (
        sa.select(PursuitStageChange.id.label("change_id"), PursuitStageChange.actor_id,
                  PursuitStageChange.created_at.label("at"), Pursuit.student_id,
                  Pursuit.id.label("pursuit_id"), Pursuit.certification_id,
                  PursuitStageChange.center_id, PursuitStageChange.from_stage,
                  PursuitStageChange.to_stage)
        .join(Pursuit, Pursuit.id == PursuitStageChange.pursuit_id)
        .where(*_events_in(PursuitStageChange, period, center_ids))
    )


def _days_of(summary, period: Period, center_ids: CenterIds) -> tuple:
    return (summary.day.between(period.start, period.end),
            in_centers(summary.center_id, center_ids))


def work_done(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """(actor_id, progress, stages): progress cells set and stage changes recorded per person
    in P, from the per-day summaries the writing services keep (lms/worklog): a center's year
    is a few thousand summary rows instead of a hundred thousand history rows."""
    return (sa.select(WorkDay.actor_id, sa.func.sum(WorkDay.progress_cells).label("progress"),
                      sa.func.sum(WorkDay.stage_changes).label("stages"))
            .where(*_days_of(WorkDay, period, center_ids)).group_by(WorkDay.actor_id))


def sessions_marked_per_person(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """(actor_id, sessions): distinct sessions in which each person saved marks in P."""
    return (sa.select(MarkedSession.actor_id,
                      sa.func.count(sa.distinct(MarkedSession.session_id)).label("sessions"))
            .where(*_days_of(MarkedSession, period, center_ids))
            .group_by(MarkedSession.actor_id))


def staff(center_ids: CenterIds = None) -> sa.Select:
    """Mentors and heads of the centers: the people whose work the dashboard shows."""
    return (sa.select(User.id, User.full_name, User.center_id, User.role, User.is_active)
            .where(User.role.in_([Role.MENTOR, Role.HEAD]),
                   in_centers(User.center_id, center_ids)))
