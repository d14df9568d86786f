"""Reads of the cohorts domain: the scoped list, rosters, outlines, counts, enrollment candidates."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, raiseload, selectinload

from lms.access import visible
from lms.catalog.models import Course, CourseModule, Lesson
from lms.centers.models import Center
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, cohort_mentors
from lms.cohorts.timetable import clock, weekday_names
from lms.core.extensions import db
from lms.core.pagination import in_chunks
from lms.users.models import Role, StudentProfile, User
from lms.users.queries import name_or_email_contains

SEARCH_LIMIT = 50

# Loader options for any page that shows a cohort with its course and mentors.
COHORT_CARD = (selectinload(Cohort.course).selectinload(Course.track), selectinload(Cohort.mentors))

# The cohort's own pages add its timetable.
COHORT_PAGE = (*COHORT_CARD, joinedload(Cohort.slots))

# The list shows course, center and mentors of each cohort: loaded with the page, never lazily.
COHORT_ROW = (joinedload(Cohort.course), joinedload(Cohort.center), selectinload(Cohort.mentors))

# Loader options for a roster action: the rule needs the cohort's mentors.
ENROLLMENT_CARD = (joinedload(Enrollment.cohort).selectinload(Cohort.mentors),)


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


@dataclass
class CohortFilter:
    status: CohortStatus | None = None
    course_id: int | None = None
    center_id: int | None = None


def filtered(filters: CohortFilter) -> sa.Select:
    """Visible cohorts under the filters, newest start first (the list and its CSV share it)."""
    query = visible(Cohort)
    if filters.status:
        query = query.where(Cohort.status == filters.status)
    if filters.course_id:
        query = query.where(Cohort.course_id == filters.course_id)
    if filters.center_id:
        query = query.where(Cohort.center_id == filters.center_id)
    return query.options(*COHORT_ROW, raiseload("*")).order_by(Cohort.start_date.desc(), Cohort.id.desc())


def cohort_page(filters: CohortFilter, page: int, per_page: int):
    """One page of cohorts and their enrolled counts (two queries plus the page count)."""
    result = db.paginate(filtered(filters), page=page, per_page=per_page, error_out=False)
    return result, enrolled_counts([cohort.id for cohort in result.items])


def export_rows(filters: CohortFilter):
    """CSV rows of every filtered cohort, read in chunks of one page each."""
    for chunk in in_chunks(filtered(filters).options(selectinload(Cohort.slots))):
        counts = enrolled_counts([cohort.id for cohort in chunk])
        for cohort in chunk:
            yield (cohort.name, cohort.center.name, cohort.course.code, cohort.course.title,
                   cohort.status.label, cohort.start_date, cohort.end_date,
                   timetable_text(cohort.slots), cohort.schedule,
                   counts.get(cohort.id, 0), cohort.capacity,
                   ", ".join(mentor.full_name for mentor in cohort.mentors))


def timetable_text(slots) -> str:
    """A timetable in one line: "Monday 16:00–17:30 (room 204); Thursday …"."""
    names = weekday_names()
    return "; ".join(f"{names[s.weekday]} {clock(s.starts_at)}–{clock(s.ends_at)}"
                     + (f" ({s.place})" if s.place else "") for s in slots)


def center_options() -> list[tuple[int, str]]:
    """The visible centers as filter options; empty when there is only one to see (a head's)."""
    centers = db.session.scalars(visible(Center).order_by(Center.name)).all()
    return [(c.id, c.name) for c in centers] if len(centers) > 1 else []


def filter_options() -> dict[str, list[tuple]]:
    """(value, text) options of the list's filters."""
    return {"status": [(s.value, s.label) for s in CohortStatus],
            "course": [(c.id, f"{c.code} · {c.title}") for c in db.session.scalars(
                sa.select(Course).order_by(Course.title))],
            "center": center_options()}


def course_choices(current_id: int | None = None) -> list[Course]:
    """Published courses (and the cohort's own course, even if it was unpublished since)."""
    wanted = Course.is_published
    if current_id:
        wanted = sa.or_(wanted, Course.id == current_id)
    return list(db.session.scalars(sa.select(Course).where(wanted).order_by(Course.title)))


def mentor_choices(center_id: int, current: list[User] = ()) -> list[User]:
    """Active mentors of the center (and the cohort's current mentors, so none vanish silently)."""
    wanted = sa.and_(User.center_id == center_id, User.role == Role.MENTOR, User.is_active)
    ids = [mentor.id for mentor in current]
    if ids:
        wanted = sa.or_(wanted, User.id.in_(ids))
    return list(db.session.scalars(sa.select(User).where(wanted).order_by(User.full_name, User.id)))


def enrollable(cohort: Cohort) -> sa.Select:
    """(student, earlier enrollment or None): active, unarchived students of the cohort's center
    who are not enrolled in it now (a withdrawn enrollment can be reactivated)."""
    earlier = sa.and_(Enrollment.student_id == User.id, Enrollment.cohort_id == cohort.id)
    return (
        visible(User).add_columns(Enrollment)
        .join(StudentProfile, StudentProfile.user_id == User.id)
        .outerjoin(Enrollment, earlier)
        .where(User.role == Role.STUDENT, User.center_id == cohort.center_id, User.is_active,
               StudentProfile.archived_at.is_(None),
               sa.or_(Enrollment.id.is_(None), Enrollment.status == EnrollmentStatus.WITHDRAWN))
    )


def find_candidates(cohort: Cohort, text: str, limit: int = SEARCH_LIMIT) -> list[tuple]:
    """Up to `limit` students who could join the cohort, by name, matching `text` if given."""
    query = enrollable(cohort)
    if text:
        query = query.where(name_or_email_contains(text))
    query = query.order_by(User.full_name, User.id).limit(limit)
    return [tuple(row) for row in db.session.execute(query)]


def free_places(cohort: Cohort) -> int | None:
    """Places left in the cohort, or None when its capacity is not limited."""
    if cohort.capacity is None:
        return None
    return max(cohort.capacity - enrolled_counts([cohort.id]).get(cohort.id, 0), 0)
