"""The student's own view: a cohort with my progress, and everything stored about me."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.attendance.models import Attendance, ClassSession
from lms.catalog.models import CourseModule
from lms.certifications.models import (
    Evidence,
    PracticeScore,
    Pursuit,
    PursuitStageChange,
    Voucher,
)
from lms.cohorts.models import Cohort, Enrollment
from lms.core.extensions import db
from lms.people.models import StudentNote
from lms.progress.models import LessonProgress, ProgressEvent
from lms.users.models import User


def my_enrollment(student: User, cohort: Cohort) -> Enrollment | None:
    query = sa.select(Enrollment).where(Enrollment.student_id == student.id,
                                        Enrollment.cohort_id == cohort.id)
    return db.session.scalars(query).first()


def cohort_page(student: User, cohort: Cohort) -> dict:
    """Modules and lessons of the cohort's course with my status, score and feedback."""
    enrollment = my_enrollment(student, cohort)
    modules = list(db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == cohort.course_id)
        .options(selectinload(CourseModule.lessons)).order_by(CourseModule.position)))
    progress = {row.lesson_id: row for row in db.session.scalars(
        sa.select(LessonProgress).where(LessonProgress.enrollment_id == enrollment.id))}
    return {"cohort": cohort, "enrollment": enrollment, "modules": modules, "progress": progress}


# --- "my data": a JSON document with every row that is about the student ------------------

def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # enumerations
        return value.value
    return value


def _row(obj, *exclude: str) -> dict:
    return {column.key: _plain(getattr(obj, column.key)) for column in obj.__table__.columns
            if column.key not in exclude}


def my_data(student: User) -> dict:
    """Everything stored about the student, for download (SPEC §4 "My data")."""
    enrollments = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.student_id == student.id)).all()
    enrollment_ids = [e.id for e in enrollments]
    pursuits = db.session.scalars(sa.select(Pursuit).where(Pursuit.student_id == student.id)).all()
    pursuit_ids = [p.id for p in pursuits]
    progress_ids = sa.select(LessonProgress.id).where(
        LessonProgress.enrollment_id.in_(enrollment_ids))
    marked_sessions = sa.select(Attendance.session_id).where(
        Attendance.enrollment_id.in_(enrollment_ids))
    return {
        "account": _row(student, "password_hash", "session_version"),
        "profile": _row(student.profile) if student.profile else None,
        "enrollments": [_row(e) for e in enrollments],
        "lesson_progress": _rows(LessonProgress, LessonProgress.enrollment_id.in_(enrollment_ids)),
        "progress_history": _rows(ProgressEvent, ProgressEvent.progress_id.in_(progress_ids)),
        "attendance": _rows(Attendance, Attendance.enrollment_id.in_(enrollment_ids)),
        # the sessions those marks belong to: their dates and topics, not other students' tallies
        "class_sessions": _rows(ClassSession, ClassSession.id.in_(marked_sessions),
                                exclude=("attended_count", "counted_count")),
        "certification_paths": [_row(p) for p in pursuits],
        "path_history": _rows(PursuitStageChange, PursuitStageChange.pursuit_id.in_(pursuit_ids)),
        "practice_scores": _rows(PracticeScore, PracticeScore.pursuit_id.in_(pursuit_ids)),
        "vouchers": _rows(Voucher, Voucher.pursuit_id.in_(pursuit_ids), exclude=("code",)),
        "evidence": _rows(Evidence, sa.or_(Evidence.pursuit_id.in_(pursuit_ids),
                                           Evidence.progress_id.in_(progress_ids)),
                          exclude=("stored_name",)),
        "mentor_notes": _rows(StudentNote, StudentNote.student_id == student.id),
    }


def _rows(model, condition, exclude: tuple[str, ...] = ()) -> list[dict]:
    return [_row(obj, *exclude) for obj in db.session.scalars(
        sa.select(model).where(condition).order_by(model.id))]
