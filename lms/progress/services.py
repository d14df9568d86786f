"""Lesson progress: the gradebook grid, saving many cells at once, and derived completion.

One save is one transaction. Only cells the user changed are sent here; each names the version
it was read at. Rows are locked (FOR UPDATE on PostgreSQL) before versions are compared, so two
people saving the same cell cannot both win: the later one is reported as a conflict and the
cell is left as the other person wrote it.
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager

from lms.attendance.models import Attendance, ClassSession
from lms.catalog.models import CourseModule, Lesson
from lms.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from lms.core.audit import AuditEntry
from lms.core.bulk import insert_many, update_many
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus
from lms.progress.queries import ATTENDED, Cell, Grid, grid
from lms.users.models import User
from lms.worklog.counters import count_work

DONE = (ProgressStatus.COMPLETED, ProgressStatus.EXCUSED)
MAX_FEEDBACK = 2000


@dataclass
class CellEdit:
    enrollment_id: int
    lesson_id: int
    version: int  # the version the editor saw; 0 when there was no row yet
    status: ProgressStatus
    score: int | None = None
    feedback: str | None = ""  # None: keep the cell's feedback (a form without the box)

    @property
    def cell(self) -> Cell:
        return (self.enrollment_id, self.lesson_id)


@dataclass
class SaveResult:
    written: list[Cell] = field(default_factory=list)
    conflicts: list[Cell] = field(default_factory=list)
    errors: dict[Cell, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Stamp:
    """Who writes, when, and the cohort's center (copied onto every progress event). Plain
    values: a save builds thousands of rows, and `current_user` is a proxy costing a lookup
    per attribute read."""
    actor_id: int
    actor_center_id: int | None
    now: datetime
    center_id: int




def validate(grid_: Grid, edits: list[CellEdit]) -> dict[Cell, str]:
    """Per-cell messages for edits the rules refuse (an unknown cell is refused too)."""
    enrollments = {e.id for e in grid_.enrollments}
    lessons = {lesson.id: lesson for lesson in grid_.lessons}
    errors: dict[Cell, str] = {}
    for edit in edits:
        lesson = lessons.get(edit.lesson_id)
        if edit.enrollment_id not in enrollments or lesson is None:
            errors[edit.cell] = _l("This cell is not part of the gradebook.")
        elif refusal := cell_refusal(lesson, edit):
            errors[edit.cell] = refusal.message
    return errors


def cell_refusal(lesson: Lesson, edit: CellEdit) -> Refused | None:
    """Why the rules refuse one cell's edit (naming the field), or None."""
    if edit.score is not None and lesson.max_score is None:
        return Refused(_l("This lesson has no score."), "score")
    if edit.score is not None and not 0 <= edit.score <= lesson.max_score:
        return Refused(_l("The score must be between 0 and %(max)d.", max=lesson.max_score), "score")
    if edit.feedback is not None and len(edit.feedback) > MAX_FEEDBACK:
        return Refused(_l("Feedback is limited to %(max)d characters.", max=MAX_FEEDBACK),
                       "feedback")
    return None


def save_cell(cohort: Cohort, enrollment: Enrollment, lesson: Lesson, edit: CellEdit,
              actor: User) -> SaveResult:
    """One cell from its own page, under the grid's rule: refused when invalid, a conflict
    (nothing written) when someone changed it since the page was read."""
    if refusal := cell_refusal(lesson, edit):
        raise refusal
    return save_cells(cohort, [edit], actor, Grid(cohort, [enrollment], [], [lesson], {}))


def save_cells(cohort: Cohort, edits: list[CellEdit], actor: User,
               current: Grid | None = None) -> SaveResult:
    """Write the changed cells that nobody else changed meanwhile; all or nothing on errors."""
    current = current or grid(cohort)
    result = SaveResult(errors=validate(current, edits))
    if result.errors or not edits:
        return result
    locked = _lock_rows(edits)
    updates, inserts = [], []
    for edit in edits:
        row = locked.get(edit.cell)
        if edit.feedback is None:  # kept as it is
            edit = replace(edit, feedback=row.feedback if row else "")
        if (row.version if row else 0) != edit.version:
            result.conflicts.append(edit.cell)
        elif row is not None:
            updates.append((row, edit))
        else:
            inserts.append(edit)
    now = utcnow()
    stamp = Stamp(actor.id, actor.center_id, now, cohort.center_id)
    _apply_updates(updates, stamp, result)
    _apply_inserts(inserts, stamp, result)
    refresh_completion({cell[0] for cell in result.written}, actor)
    return result


def _lock_rows(edits: list[CellEdit]) -> dict[Cell, sa.Row]:
    """The edited cells' current values, locked until commit (PostgreSQL; SQLite locks the
    database). Plain rows, not ORM objects: nothing here is changed through the ORM."""
    wanted = {edit.cell for edit in edits}
    query = (sa.select(*LOCKED_COLUMNS)
             .where(LessonProgress.enrollment_id.in_({c[0] for c in wanted}),
                    LessonProgress.lesson_id.in_({c[1] for c in wanted}))
             .with_for_update())
    rows = db.session.execute(query)
    return {(r.enrollment_id, r.lesson_id): r for r in rows if (r.enrollment_id, r.lesson_id) in wanted}


LOCKED_COLUMNS = (LessonProgress.id, LessonProgress.enrollment_id, LessonProgress.lesson_id,
                  LessonProgress.version, LessonProgress.status, LessonProgress.score,
                  LessonProgress.feedback)


def _apply_updates(pairs: list[tuple[sa.Row, CellEdit]], stamp: Stamp,
                   result: SaveResult) -> None:
    """Bulk UPDATE by primary key, then one event and one audit entry per cell."""
    if not pairs:
        return
    update_many(LessonProgress, [
        {"id": row.id, "status": edit.status, "score": edit.score, "feedback": edit.feedback,
         "version": row.version + 1} for row, edit in pairs],
        same={"updated_by_id": stamp.actor_id, "updated_at": stamp.now})
    _log([(row.id, _state(row), edit) for row, edit in pairs], stamp)
    result.written += [edit.cell for _row, edit in pairs]


def _apply_inserts(edits: list[CellEdit], stamp: Stamp, result: SaveResult) -> None:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING: a cell someone created meanwhile is not
    returned, and is reported as a conflict."""
    if not edits:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(LessonProgress)
                 .on_conflict_do_nothing(index_elements=["enrollment_id", "lesson_id"])
                 .returning(LessonProgress.id, LessonProgress.enrollment_id,
                            LessonProgress.lesson_id))
    rows = [{"enrollment_id": e.enrollment_id, "lesson_id": e.lesson_id, "status": e.status,
             "score": e.score, "feedback": e.feedback, "version": 1,
             "updated_by_id": stamp.actor_id, "updated_at": stamp.now} for e in edits]
    # executemany with RETURNING: SQLAlchemy sends it as a few multi-row INSERTs
    created = {(r.enrollment_id, r.lesson_id): r.id
               for r in db.session.execute(statement, rows)}
    result.conflicts += [e.cell for e in edits if e.cell not in created]
    _log([(created[e.cell], None, e) for e in edits if e.cell in created], stamp)
    result.written += [e.cell for e in edits if e.cell in created]


def _state(row: sa.Row | None) -> dict | None:
    if row is None:
        return None
    return {"status": row.status.value, "score": row.score, "feedback": row.feedback}


def _log(changes: list[tuple[int, dict | None, CellEdit]], stamp: Stamp) -> None:
    """The append-only progress events and the audit entries of written cells, in bulk."""
    if not changes:  # an INSERT with an empty parameter list would write one empty row
        return
    address = request.remote_addr if has_request_context() else None
    actor_id, now = stamp.actor_id, stamp.now
    insert_many(ProgressEvent, [
        {"progress_id": pid, "center_id": stamp.center_id, "actor_id": actor_id, "created_at": now,
         "from_status": before["status"] if before else None, "to_status": edit.status,
         "from_score": before["score"] if before else None, "to_score": edit.score,
         "feedback": edit.feedback or None} for pid, before, edit in changes])
    insert_many(AuditEntry, [
        {"actor_id": actor_id, "center_id": stamp.actor_center_id, "action": "progress.set",
         "object_type": "LessonProgress", "object_id": pid, "before": before,
         "after": {"status": edit.status.value, "score": edit.score, "feedback": edit.feedback},
         "client_address": address, "created_at": now} for pid, before, edit in changes])
    count_work(stamp.center_id, actor_id, now.date(), progress_cells=len(changes))


def refresh_completion(enrollment_ids: set[int], actor: User | None = None) -> None:
    """Derive completion: every required, current lesson completed or excused. A completion
    set by hand (with a reason) is left alone."""
    if not enrollment_ids:
        return
    required = (sa.select(sa.func.count(Lesson.id)).join(CourseModule)
                .where(CourseModule.course_id == Cohort.course_id, Lesson.is_required,
                       ~Lesson.is_retired).scalar_subquery())
    done = (sa.select(sa.func.count(LessonProgress.id)).join(Lesson)
            .where(LessonProgress.enrollment_id == Enrollment.id, LessonProgress.status.in_(DONE),
                   Lesson.is_required, ~Lesson.is_retired).scalar_subquery())
    rows = db.session.execute(
        sa.select(Enrollment, required, done).join(Enrollment.cohort)
        .options(contains_eager(Enrollment.cohort))
        .where(Enrollment.id.in_(enrollment_ids), Enrollment.completion_set_by_id.is_(None),
               Enrollment.status != EnrollmentStatus.WITHDRAWN)).all()
    changes = [change for enrollment, total, completed in rows
               if (change := _derived_change(enrollment, total > 0 and completed >= total))]
    if changes:
        db.session.execute(sa.update(Enrollment), [after for _e, _before, after in changes])
        db.session.execute(sa.insert(AuditEntry), [
            {"actor_id": actor.id if actor else None, "center_id": enrollment.cohort.center_id,
             "action": "enrollment.derived", "object_type": "Enrollment",
             "object_id": enrollment.id, "before": {"status": before},
             "after": {"status": after["status"].value}, "created_at": utcnow()}
            for enrollment, before, after in changes])


def _derived_change(enrollment: Enrollment, complete: bool):
    """(enrollment, status before, new values) when derived completion changes its status."""
    if complete and enrollment.status == EnrollmentStatus.ACTIVE:
        new = {"status": EnrollmentStatus.COMPLETED, "completed_on": date.today()}
    elif not complete and enrollment.status == EnrollmentStatus.COMPLETED:
        new = {"status": EnrollmentStatus.ACTIVE, "completed_on": None}
    else:
        return None
    return enrollment, enrollment.status.value, {"id": enrollment.id, **new}


def complete_for_present(cohort: Cohort, lesson_id: int | None, session_id: int | None,
                         actor: User) -> SaveResult:
    """Bulk action: mark a lesson completed for everyone present (or late) at a session."""
    session = db.session.get(ClassSession, session_id) if session_id else None
    current = grid(cohort)
    lesson = next((item for item in current.lessons if item.id == lesson_id), None)
    if session is None or session.cohort_id != cohort.id or lesson is None:
        raise Refused(_l("Choose a lesson and a session of this cohort."), "session_id")
    present = set(db.session.scalars(sa.select(Attendance.enrollment_id).where(
        Attendance.session_id == session.id, Attendance.status.in_(ATTENDED))))
    edits = [_completed(enrollment.id, lesson.id, current.cells.get((enrollment.id, lesson.id)))
             for enrollment in current.enrollments if enrollment.id in present]
    return save_cells(cohort, [edit for edit in edits if edit], actor, current)


def _completed(enrollment_id: int, lesson_id: int, row: LessonProgress | None) -> CellEdit | None:
    """The edit that marks a cell completed, keeping its score and feedback (None: it is)."""
    if row is not None and row.status == ProgressStatus.COMPLETED:
        return None
    return CellEdit(enrollment_id, lesson_id, row.version if row else 0, ProgressStatus.COMPLETED,
                    row.score if row else None, row.feedback if row else "")
