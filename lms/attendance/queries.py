"""Reads of the attendance domain."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, selectinload

# One audit entry per mark, under the action the staff summaries count (lms/worklog).
from lms.attendance.models import MARK_ACTION, Attendance, AttendanceStatus, ClassSession
from lms.catalog.models import CourseModule, Lesson
from lms.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import User

HISTORY_LIMIT = 200
STATUSES = frozenset(AttendanceStatus)
ON_ROSTER = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


@dataclass(frozen=True)
class Change:
    """One attendance change from the audit log, as the history under the form shows it."""

    at: datetime
    actor_name: str | None
    student_name: str
    before_status: AttendanceStatus | None
    before_remark: str
    after_status: AttendanceStatus | None
    after_remark: str


def sessions_page(cohort: Cohort, page: int, per_page: int):
    """One page of a cohort's class sessions, newest first, with their lessons."""
    query = (
        sa.select(ClassSession)
        .where(ClassSession.cohort_id == cohort.id)
        .options(selectinload(ClassSession.lessons))
        .order_by(ClassSession.held_on.desc(), ClassSession.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def register_rows(cohort: Cohort):
    """CSV rows of every mark of a cohort: session by session, students by name."""
    query = (sa.select(ClassSession.held_on, ClassSession.topic, User.full_name, User.email,
                       Attendance.status, Attendance.remark)
             .join(ClassSession, ClassSession.id == Attendance.session_id)
             .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
             .join(User, User.id == Enrollment.student_id)
             .where(ClassSession.cohort_id == cohort.id)
             .order_by(ClassSession.held_on, ClassSession.id, User.full_name, User.id))
    for held_on, topic, name, email, status, remark in db.session.execute(
            query.execution_options(yield_per=500)):
        yield held_on, topic, name, email, AttendanceStatus(status).label, remark


def status_counts(session_ids: list[int]) -> dict[int, dict[AttendanceStatus, int]]:
    """Marks per status of each session, in one grouped query."""
    counts: dict[int, dict[AttendanceStatus, int]] = {sid: {} for sid in session_ids}
    if not session_ids:
        return counts
    query = (
        sa.select(Attendance.session_id, Attendance.status, sa.func.count())
        .where(Attendance.session_id.in_(session_ids))
        .group_by(Attendance.session_id, Attendance.status)
    )
    for session_id, status, count in db.session.execute(query):
        counts[session_id][status] = count
    return counts


def lesson_choices(course_id: int) -> list[tuple[int, str]]:
    """The course's current lessons in order, as (id, "module.lesson title") choices."""
    query = (
        sa.select(Lesson.id, CourseModule.position, Lesson.position, Lesson.title)
        .join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(CourseModule.course_id == course_id, ~Lesson.is_retired)
        .order_by(CourseModule.position, Lesson.position)
    )
    return [(lid, f"{module}.{position} {title}")
            for lid, module, position, title in db.session.execute(query)]


def roster_join(session: ClassSession) -> tuple:
    """Join condition and filter: the session's roster, each with its mark of this session."""
    of_session = sa.and_(Attendance.enrollment_id == Enrollment.id,
                         Attendance.session_id == session.id)
    on_roster = sa.and_(Enrollment.cohort_id == session.cohort_id,
                        Enrollment.status.in_(ON_ROSTER))
    return of_session, on_roster


def marking_rows(session: ClassSession) -> list[tuple[Enrollment, Attendance | None]]:
    """The session's roster by name (withdrawn students left out), each with its mark if any."""
    of_session, on_roster = roster_join(session)
    query = (
        sa.select(Enrollment, Attendance)
        .join(Enrollment.student)
        .outerjoin(Attendance, of_session)
        .where(on_roster)
        .options(contains_eager(Enrollment.student))
        .order_by(User.full_name, User.id)
    )
    return [(enrollment, attendance) for enrollment, attendance in db.session.execute(query)]


def unmarked_count(session: ClassSession) -> int:
    """How many students of the session's roster have no mark of it yet."""
    of_session, on_roster = roster_join(session)
    query = (sa.select(sa.func.count()).select_from(Enrollment).outerjoin(Attendance, of_session)
             .where(on_roster, Attendance.id.is_(None)))
    return db.session.scalar(query)


def tally(rows: list[tuple[Enrollment, Attendance | None]]) -> dict[AttendanceStatus | None, int]:
    """Students per status of the marking rows (None: not marked yet), every status counted."""
    counts: dict[AttendanceStatus | None, int] = dict.fromkeys([*AttendanceStatus, None], 0)
    for _enrollment, attendance in rows:
        counts[attendance.status if attendance else None] += 1
    return counts


def history(session: ClassSession) -> list[Change]:
    """The session's attendance changes from the audit log, newest first, in one query."""
    actor, student = aliased(User), aliased(User)
    query = (
        sa.select(AuditEntry.created_at, actor.full_name, student.full_name,
                  AuditEntry.before, AuditEntry.after)
        .join(Attendance, Attendance.id == AuditEntry.object_id)
        .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
        .join(student, student.id == Enrollment.student_id)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == Attendance.__name__, AuditEntry.action == MARK_ACTION,
               Attendance.session_id == session.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return [Change(at, actor_name, student_name, *_state(before), *_state(after))
            for at, actor_name, student_name, before, after in db.session.execute(query)]


def _state(values: dict | None) -> tuple[AttendanceStatus | None, str]:
    """(status, remark) from an audit entry's JSON; an insert has no "before"."""
    values = values or {}
    status = values.get("status")
    return (AttendanceStatus(status) if status in STATUSES else None,
            values.get("remark") or "")
