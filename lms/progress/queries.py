"""Reads of lesson progress: the gradebook grid and the mentors' needs-attention lists."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.catalog.models import CourseModule, Lesson
from lms.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from lms.core.extensions import db
from lms.core.pagination import SHORTLIST, Shortlist, shortlist
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus
from lms.users.models import User

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
Cell = tuple[int, int]  # (enrollment id, lesson id)

GRID_STUDENTS_PER_PAGE = 40  # 40 × 30 lessons stays a page a phone and a server can render


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


@dataclass
class Grid:
    cohort: Cohort
    enrollments: list[Enrollment]
    modules: list[CourseModule]
    lessons: list[Lesson]
    cells: dict[Cell, LessonProgress]
    pages: Any = None  # the roster page shown (a Flask-SQLAlchemy Pagination), when paged


def grid(cohort: Cohort, page: int | None = None, with_cells: bool = True) -> Grid:
    """Students × lessons of a cohort in three queries: roster, outline, progress (plus a count
    when `page` asks for one page of the roster). A save needs no cells (`with_cells=False`):
    it reads and locks the edited ones itself."""
    roster = (sa.select(Enrollment).join(Enrollment.student)
              .where(Enrollment.cohort_id == cohort.id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
              .options(joinedload(Enrollment.student)).order_by(User.full_name, User.id))
    pages = None
    if page is None:
        enrollments = list(db.session.scalars(roster))
    else:
        pages = db.paginate(roster, page=page, per_page=GRID_STUDENTS_PER_PAGE, error_out=False)
        enrollments = list(pages.items)
    modules = list(db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == cohort.course_id)
        .options(selectinload(CourseModule.lessons)).order_by(CourseModule.position)))
    lessons = [lesson for module in modules for lesson in module.lessons if not lesson.is_retired]
    cells = {}
    if with_cells:
        rows = db.session.scalars(sa.select(LessonProgress).where(
            LessonProgress.enrollment_id.in_([e.id for e in enrollments])))
        cells = {(row.enrollment_id, row.lesson_id): row for row in rows}
    return Grid(cohort, enrollments, modules, lessons, cells, pages)


def focus_lesson(grid_: Grid, lesson_id: int | None) -> Lesson | None:
    """The lesson of the one-lesson view: the one asked for (None if it is not a current lesson
    of the cohort), else the first that someone on this page has not finished, else the last."""
    if lesson_id is not None:
        return next((lesson for lesson in grid_.lessons if lesson.id == lesson_id), None)
    done = (ProgressStatus.COMPLETED, ProgressStatus.EXCUSED)
    for lesson in grid_.lessons:
        if any(getattr(grid_.cells.get((e.id, lesson.id)), "status", None) not in done
               for e in grid_.enrollments):
            return lesson
    return grid_.lessons[-1] if grid_.lessons else None


@dataclass
class CellDetail:
    enrollment: Enrollment
    lesson: Lesson
    row: LessonProgress | None
    history: list[ProgressEvent]


HISTORY = 10  # the latest changes shown with a cell


def cell(cohort: Cohort, enrollment_id: int, lesson_id: int) -> CellDetail | None:
    """One cell of the cohort's gradebook with who set it and its latest changes; None when the
    enrollment is not the cohort's (or withdrawn) or the lesson not a current one of its course."""
    enrollment = db.session.scalars(
        sa.select(Enrollment).where(Enrollment.id == enrollment_id, Enrollment.cohort_id == cohort.id,
                                    Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .options(joinedload(Enrollment.student))).first()
    lesson = db.session.scalars(
        sa.select(Lesson).join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(Lesson.id == lesson_id, CourseModule.course_id == cohort.course_id,
               ~Lesson.is_retired)).first()
    if enrollment is None or lesson is None:
        return None
    row = db.session.scalars(
        sa.select(LessonProgress).where(LessonProgress.enrollment_id == enrollment.id,
                                        LessonProgress.lesson_id == lesson.id)
        .options(joinedload(LessonProgress.updated_by))).first()
    history = [] if row is None else list(db.session.scalars(
        sa.select(ProgressEvent).where(ProgressEvent.progress_id == row.id)
        .options(joinedload(ProgressEvent.actor))
        .order_by(ProgressEvent.created_at.desc(), ProgressEvent.id.desc()).limit(HISTORY)))
    return CellDetail(enrollment, lesson, row, history)


def grid_rows(grid_: Grid):
    """CSV rows of a whole gradebook: the student, then each lesson's status (and score)."""
    for enrollment in grid_.enrollments:
        cells = []
        for lesson in grid_.lessons:
            row = grid_.cells.get((enrollment.id, lesson.id))
            status = row.status if row else ProgressStatus.NOT_STARTED
            score = f" ({row.score})" if row and row.score is not None else ""
            cells.append(f"{status.label}{score}")
        yield (enrollment.student.full_name, enrollment.student.email, *cells)


def session_choices(cohort: Cohort, limit: int = 50) -> list[ClassSession]:
    """The cohort's latest class sessions, for the bulk action."""
    return list(db.session.scalars(
        sa.select(ClassSession).where(ClassSession.cohort_id == cohort.id)
        .order_by(ClassSession.held_on.desc(), ClassSession.id.desc()).limit(limit)))
