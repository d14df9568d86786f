"""Class sessions and attendance: scoped loading, marking a whole session at once, rates."""
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from lms.access import visible

# One audit entry per mark, under the action the staff summaries count (lms/worklog).
from lms.attendance.models import MARK_ACTION, Attendance, AttendanceStatus, ClassSession
from lms.attendance.queries import STATUSES, roster_join
from lms.attendance.tallies import recount_tallies
from lms.catalog.models import CourseModule, Lesson
from lms.cohorts.models import Cohort, CohortStatus, Enrollment
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.users.models import User
from lms.worklog.counters import note_marking

MAX_TOPIC = 300
MAX_REMARK = 500
MAX_DAYS_AWAY = 365  # a session dated further from today is a typo, not a plan


class MarkingRefused(Refused):
    """Rows of a marking the rules refuse; nothing of the marking is saved."""

    def __init__(self, rows: list[tuple[int, str, object]]):
        super().__init__(_l("Nothing was saved. Correct the rows marked below and save again."))
        self.rows = rows  # (position in the marking, field name, message)


@dataclass(frozen=True)
class Mark:
    """One student's row of a marking; a None status: left unmarked, nothing is written.
    `shown` is what the page showed (None: unknown; a None status: no mark). `only_if_unmarked`: written only where no mark is on file ("Everyone
    present" fills the rows the mentor left, never a mark someone saved meanwhile)."""

    enrollment_id: int
    status: AttendanceStatus | None
    remark: str = ""
    shown: tuple[AttendanceStatus | None, str] | None = None
    only_if_unmarked: bool = False


# --- class sessions -------------------------------------------------------------------

def get_session_or_404(session_id: int) -> ClassSession:
    """A session of a cohort the signed-in user may see, with cohort, course, lessons; else 404."""
    # A session has no center of its own: its scope is its cohort's.
    cohort_ids = visible(Cohort).with_only_columns(Cohort.id)
    query = (
        sa.select(ClassSession)
        .where(ClassSession.id == session_id, ClassSession.cohort_id.in_(cohort_ids))
        .options(joinedload(ClassSession.cohort).joinedload(Cohort.course),
                 selectinload(ClassSession.lessons))
    )
    found = db.session.scalars(query).first()
    if found is None:
        abort(404)
    return found


def create_session(cohort: Cohort, held_on: date, topic: str, lesson_ids: list[int],
                   actor: User, today: date) -> ClassSession:
    """Add a dated class session to a cohort, linked to lessons of the cohort's course."""
    topic = (topic or "").strip()
    if not topic or len(topic) > MAX_TOPIC:
        raise Refused(_l("Enter a topic of at most %(max)d characters.", max=MAX_TOPIC), "topic")
    if held_on > today + timedelta(days=MAX_DAYS_AWAY):
        raise Refused(_l("The date can be at most a year from today."), "held_on")
    if held_on < today - timedelta(days=MAX_DAYS_AWAY):
        raise Refused(_l("The date can be at most a year ago."), "held_on")
    lessons = _lessons_of_course(cohort.course_id, lesson_ids)
    session = ClassSession(cohort_id=cohort.id, held_on=held_on, topic=topic,
                           created_by_id=actor.id, lessons=lessons)
    db.session.add(session)
    db.session.flush()
    record("class_session.create", session, actor=actor, center_id=cohort.center_id,
           after={"cohort_id": cohort.id, "held_on": held_on.isoformat(), "topic": topic,
                  "lesson_ids": sorted(lesson.id for lesson in lessons)})
    return session


def open_todays_session(cohort: Cohort, actor: User, today: date) -> ClassSession:
    """Today's class session of a running cohort: the one on file, else a new one (no topic
    yet). The cohort's row is locked first, so two presses at once make one session: the second
    waits, then finds the session the first created."""
    if cohort.status != CohortStatus.RUNNING:
        raise Refused(_l("Attendance is taken for running cohorts only."))
    db.session.execute(sa.select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    found = db.session.scalars(
        sa.select(ClassSession).where(ClassSession.cohort_id == cohort.id,
                                      ClassSession.held_on == today)
        .order_by(ClassSession.id).limit(1)).first()
    if found is not None:
        return found
    session = ClassSession(cohort_id=cohort.id, held_on=today, topic="", created_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    record("class_session.create", session, actor=actor, center_id=cohort.center_id,
           after={"cohort_id": cohort.id, "held_on": today.isoformat(), "topic": "",
                  "lesson_ids": []})
    return session


def _lessons_of_course(course_id: int, lesson_ids: list[int]) -> list[Lesson]:
    wanted = set(lesson_ids or ())
    if not wanted:
        return []
    query = (sa.select(Lesson).join(CourseModule, CourseModule.id == Lesson.module_id)
             .where(Lesson.id.in_(wanted), CourseModule.course_id == course_id))
    lessons = list(db.session.scalars(query))
    if len(lessons) != len(wanted):
        raise Refused(_l("Choose lessons of this cohort's course."), "lesson_ids")
    return lessons


# --- marking --------------------------------------------------------------------------


def mark_attendance(session: ClassSession, marks: list[Mark], actor: User) -> int:
    """Save a session's marks at once: insert missing rows, update changed ones; count them.

    The session's row is locked first (FOR UPDATE on PostgreSQL): a second marking of the same
    session waits, then reads the marks the first one saved, so neither overwrites the other
    unseen and the session's tallies are counted from what is on file."""
    db.session.execute(sa.select(ClassSession.id).where(ClassSession.id == session.id)
                       .with_for_update())
    of_session, on_roster = roster_join(session)
    query = sa.select(Enrollment.id, Attendance).outerjoin(Attendance, of_session).where(on_roster)
    on_file = dict(db.session.execute(query).tuples().all())
    _check_marks(marks, on_file)
    writes = [(m, on_file[m.enrollment_id]) for m in marks
              if _needs_write(m, on_file[m.enrollment_id])]
    _write(session, writes, actor)
    return len(writes)


def _check_marks(marks: list[Mark], on_file: dict[int, Attendance | None]) -> None:
    """Refuse the whole marking when any row is wrong, each problem named at its row."""
    problems, seen = [], set()
    for position, mark in enumerate(marks):
        if mark.enrollment_id not in on_file:
            problems.append((position, "enrollment_id",
                             _l("This student is not enrolled in this cohort.")))
        elif mark.enrollment_id in seen:
            problems.append((position, "enrollment_id", _l("This student appears twice.")))
        if mark.status is not None and mark.status not in STATUSES:
            problems.append((position, "status", _l("Choose one of the listed statuses.")))
        if len(mark.remark) > MAX_REMARK:
            problems.append((position, "remark", _l(
                "A remark can be at most %(max)d characters long.", max=MAX_REMARK)))
        seen.add(mark.enrollment_id)
    if problems:
        raise MarkingRefused(problems)


def _needs_write(mark: Mark, current: Attendance | None) -> bool:
    """A row is written when it changes what is on file and the user changed it on the page:
    a row left as the page showed it never overwrites a mark someone else saved meanwhile."""
    if mark.status is None:  # left unmarked: nothing chosen, nothing written
        return False
    if current is None:
        return True
    if mark.only_if_unmarked:
        return False
    new = (mark.status, mark.remark)
    if new == (current.status, current.remark):
        return False
    return mark.shown is None or new != mark.shown


def _write(session: ClassSession, writes: list[tuple[Mark, Attendance | None]],
           actor: User) -> None:
    """Insert or update the rows in one flush, then one audit entry per row."""
    now, changes = utcnow(), []
    for mark, row in writes:
        before = _values(row) if row is not None else None
        if row is None:
            row = Attendance(session_id=session.id, enrollment_id=mark.enrollment_id)
            db.session.add(row)
        row.status, row.remark = mark.status, mark.remark
        row.updated_by_id, row.updated_at = actor.id, now
        changes.append((row, before))
    try:
        db.session.flush()  # one batch; the new rows get their ids for the audit entries
    except sa.exc.IntegrityError as error:
        # Someone saved the same session at the same moment: their row for a student exists now.
        raise Refused(_l("Someone else saved this session at the same time. "
                         "Reload the page and check the marks.")) from error
    for row, before in changes:
        record(MARK_ACTION, row, before=before, after=_values(row), actor=actor,
               center_id=session.cohort.center_id, at=now)
    if changes:  # the summaries of lms/worklog, in this transaction
        recount_tallies(session.id)
        note_marking(session.cohort.center_id, actor.id, now.date(), session.id)


def _values(row: Attendance) -> dict:
    return {"status": row.status.value, "remark": row.remark}


