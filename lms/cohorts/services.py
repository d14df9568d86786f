"""Cohort queries: roster, counts and outlines, scoped by the caller."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.catalog.models import Course, CourseModule, Lesson
from lms.cohorts.models import Cohort, Enrollment, EnrollmentStatus, cohort_mentors
from lms.core.extensions import db
from lms.core.pagination import in_chunks
from lms.users.models import User

# Loader options for any page that shows a cohort with its course and mentors.
COHORT_CARD = (selectinload(Cohort.course).selectinload(Course.track), selectinload(Cohort.mentors))


def enrolled_counts(cohort_ids: list[int]) -> dict[int, int]:
    """Active or completed enrollments per cohort, in one query."""
    if not cohort_ids:
        return {}
    query = (
        sa.select(Enrollment.cohort_id, sa.func.count())
        .where(Enrollment.cohort_id.in_(cohort_ids), Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .group_by(Enrollment.cohort_id)
    )
    return dict(db.session.execute(query).all())


def cohorts_taught_by(mentor: User) -> list[Cohort]:
    """The cohorts a mentor teaches, newest first, with course and mentors loaded."""
    query = (
        sa.select(Cohort)
        .join(cohort_mentors, cohort_mentors.c.cohort_id == Cohort.id)
        .where(cohort_mentors.c.mentor_id == mentor.id)
        .options(*COHORT_CARD)
        .order_by(Cohort.start_date.desc(), Cohort.id)
    )
    return list(db.session.scalars(query))


ROSTER_PER_PAGE = 40


def roster(cohort: Cohort, page: int = 1):
    """One page of a cohort's enrollments with each student and profile, ordered by name."""
    query = (
        sa.select(Enrollment)
        .join(Enrollment.student)
        .where(Enrollment.cohort_id == cohort.id)
        .options(selectinload(Enrollment.student).selectinload(User.profile),
                 selectinload(Enrollment.completion_set_by))
        .order_by(User.full_name, User.id)
    )
    return db.paginate(query, page=page, per_page=ROSTER_PER_PAGE, error_out=False)


def roster_rows(cohort: Cohort):
    """CSV rows of a cohort's whole roster, by name (what the roster shows, with dates)."""
    query = (sa.select(Enrollment).join(Enrollment.student)
             .where(Enrollment.cohort_id == cohort.id)
             .options(selectinload(Enrollment.student), selectinload(Enrollment.completion_set_by))
             .order_by(User.full_name, User.id))
    for chunk in in_chunks(query):
        for e in chunk:
            reason = e.withdraw_reason or e.completion_reason or ""
            set_by = e.completion_set_by.full_name if e.completion_set_by else ""
            yield (e.student.full_name, e.student.email, e.status.label, e.enrolled_on,
                   e.completed_on, e.withdrawn_on, set_by, reason)


def outline(course_id: int) -> list[CourseModule]:
    """A course's modules with their lessons, in order."""
    query = (
        sa.select(CourseModule)
        .where(CourseModule.course_id == course_id)
        .options(selectinload(CourseModule.lessons))
        .order_by(CourseModule.position)
    )
    return list(db.session.scalars(query))


def required_lesson_counts(course_ids: list[int]) -> dict[int, int]:
    """Required, non-retired lessons per course."""
    if not course_ids:
        return {}
    query = (
        sa.select(CourseModule.course_id, sa.func.count(Lesson.id))
        .join(Lesson, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id.in_(course_ids), Lesson.is_required, ~Lesson.is_retired)
        .group_by(CourseModule.course_id)
    )
    return dict(db.session.execute(query).all())
