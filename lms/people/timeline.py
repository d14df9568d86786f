"""What the staff's page of one student reads: enrollments and the timeline."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from lms.attendance.models import Attendance, ClassSession
from lms.certifications.models import Pursuit, PursuitStageChange
from lms.cohorts.models import Cohort, Enrollment
from lms.core.extensions import db
from lms.core.pagination import ListPage
from lms.people.models import StudentNote
from lms.progress.models import LessonProgress, ProgressEvent
from lms.users.models import User

STUDENT_PAGE = (selectinload(User.profile),)
TIMELINE_PER_PAGE = 25


def enrollments_of(student: User) -> list[Enrollment]:
    """All enrollments of a student, newest cohort first, with cohort, course and center."""
    # Joined in the same statement: all many-to-one, so the joins cannot multiply rows.
    cohort = joinedload(Enrollment.cohort)
    query = (
        sa.select(Enrollment)
        .join(Enrollment.cohort)
        .where(Enrollment.student_id == student.id)
        .options(cohort.joinedload(Cohort.course), cohort.joinedload(Cohort.center),
                 joinedload(Enrollment.completion_set_by))
        .order_by(Cohort.start_date.desc(), Enrollment.id)
    )
    return list(db.session.scalars(query))


# --- the timeline ---------------------------------------------------------------------

TimelinePage = ListPage  # one page of a timeline's rows


def _kind(name: str) -> sa.ColumnElement:
    # A constant of our own, inlined so every branch of the UNION has the same plain type.
    return sa.literal_column(f"'{name}'", sa.String).label("kind")


def _sources(student_id: int) -> list[sa.Select]:
    """(kind, id, at) of each of the four histories shown on the timeline."""
    progress = (sa.select(_kind("progress"), ProgressEvent.id, ProgressEvent.created_at.label("at"))
                .join(LessonProgress, LessonProgress.id == ProgressEvent.progress_id)
                .join(Enrollment, Enrollment.id == LessonProgress.enrollment_id)
                .where(Enrollment.student_id == student_id))
    # A session has a date, not a time; type_coerce (not CAST) keeps SQLite's text dates sortable.
    held_on = sa.type_coerce(ClassSession.held_on, sa.DateTime).label("at")
    attendance = (sa.select(_kind("attendance"), Attendance.id, held_on)
                  .join(ClassSession, ClassSession.id == Attendance.session_id)
                  .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
                  .where(Enrollment.student_id == student_id))
    stages = (sa.select(_kind("stage"), PursuitStageChange.id, PursuitStageChange.created_at)
              .join(Pursuit, Pursuit.id == PursuitStageChange.pursuit_id)
              .where(Pursuit.student_id == student_id))
    notes = (sa.select(_kind("note"), StudentNote.id, StudentNote.created_at)
             .where(StudentNote.student_id == student_id))
    return [progress, attendance, stages, notes]


# One eager-loaded fetch per kind: the page costs the same number of statements whatever it holds.
FETCH = {
    "progress": (ProgressEvent, (
        joinedload(ProgressEvent.progress).joinedload(LessonProgress.lesson),
        joinedload(ProgressEvent.progress).joinedload(LessonProgress.enrollment)
        .joinedload(Enrollment.cohort),
        joinedload(ProgressEvent.actor))),
    "attendance": (Attendance, (joinedload(Attendance.session).joinedload(ClassSession.cohort),)),
    "stage": (PursuitStageChange, (
        joinedload(PursuitStageChange.pursuit).joinedload(Pursuit.certification),
        joinedload(PursuitStageChange.actor))),
    "note": (StudentNote, (joinedload(StudentNote.author),)),
}


def timeline(student: User, page: int, per_page: int = TIMELINE_PER_PAGE) -> TimelinePage | None:
    """A page of the student's merged history, or None for a page past the end."""
    merged = sa.union_all(*_sources(student.id)).subquery("timeline")
    query = (sa.select(merged.c.kind, merged.c.id, sa.func.count().over().label("total"))
             .order_by(merged.c.at.desc(), merged.c.kind, merged.c.id.desc())
             .limit(per_page).offset((page - 1) * per_page))
    rows = db.session.execute(query).all()
    if not rows and page > 1:
        return None
    loaded = _fetch({kind: [row.id for row in rows if row.kind == kind] for kind in FETCH})
    items = [(row.kind, loaded[row.kind, row.id]) for row in rows]
    return TimelinePage(items, page, per_page, rows[0].total if rows else 0)


def _fetch(ids: dict[str, list[int]]) -> dict[tuple[str, int], object]:
    """The page's objects by (kind, id), one statement per kind."""
    loaded = {}
    for kind, (model, options) in FETCH.items():
        query = sa.select(model).where(model.id.in_(ids[kind])).options(*options)
        loaded.update({(kind, obj.id): obj for obj in db.session.scalars(query).unique()})
    return loaded
