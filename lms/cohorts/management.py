"""Running a center's cohorts: the scoped list, create and edit, each change audited."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import joinedload, selectinload

from lms.access import visible
from lms.audit.services import record
from lms.catalog.models import Course
from lms.centers.models import Center
from lms.cohorts.models import Cohort, CohortStatus
from lms.cohorts.services import enrolled_counts
from lms.core.extensions import db
from lms.core.pagination import in_chunks
from lms.core.refusal import Refused
from lms.users.models import Role, User

# The list shows course, center and mentors of each cohort: loaded with the page, never lazily.
COHORT_ROW = (joinedload(Cohort.course), joinedload(Cohort.center), selectinload(Cohort.mentors))


class CohortError(Refused):
    """A cohort change that the rules refuse."""


@dataclass
class CohortFilter:
    status: CohortStatus | None = None
    course_id: int | None = None
    center_id: int | None = None


@dataclass
class CohortInput:
    """The fields of the cohort form, as the service receives them."""
    name: str
    course_id: int
    start_date: date
    end_date: date | None = None
    schedule: str = ""
    capacity: int | None = None
    status: CohortStatus = CohortStatus.PLANNED
    mentor_ids: list[int] = field(default_factory=list)


def filtered(filters: CohortFilter) -> sa.Select:
    """Visible cohorts under the filters, newest start first (the list and its CSV share it)."""
    query = visible(Cohort)
    if filters.status:
        query = query.where(Cohort.status == filters.status)
    if filters.course_id:
        query = query.where(Cohort.course_id == filters.course_id)
    if filters.center_id:
        query = query.where(Cohort.center_id == filters.center_id)
    return query.options(*COHORT_ROW).order_by(Cohort.start_date.desc(), Cohort.id.desc())


def cohort_page(filters: CohortFilter, page: int, per_page: int):
    """One page of cohorts and their enrolled counts (two queries plus the page count)."""
    result = db.paginate(filtered(filters), page=page, per_page=per_page, error_out=False)
    return result, enrolled_counts([cohort.id for cohort in result.items])


def export_rows(filters: CohortFilter):
    """CSV rows of every filtered cohort, read in chunks of one page each."""
    for chunk in in_chunks(filtered(filters)):
        counts = enrolled_counts([cohort.id for cohort in chunk])
        for cohort in chunk:
            yield (cohort.name, cohort.center.name, cohort.course.code, cohort.course.title,
                   cohort.status.label, cohort.start_date, cohort.end_date, cohort.schedule,
                   counts.get(cohort.id, 0), cohort.capacity,
                   ", ".join(mentor.full_name for mentor in cohort.mentors))


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


def create_cohort(center: Center, data: CohortInput, actor: User) -> Cohort:
    """A new cohort of a published course at the center, taught by mentors of that center."""
    course = _check_course(data.course_id)
    mentors = _check_mentors(center.id, data.mentor_ids)
    _check_dates(data)
    cohort = Cohort(center_id=center.id, course_id=course.id)
    _apply(cohort, data, mentors)
    db.session.add(cohort)
    db.session.flush()  # the audit entry names the new id
    record("cohort.create", cohort, after=snapshot(cohort), actor=actor)
    return cohort


def update_cohort(cohort: Cohort, data: CohortInput, actor: User) -> Cohort:
    """Change a cohort's fields; its capacity never drops below the students it holds."""
    before = snapshot(cohort)
    if data.course_id != cohort.course_id:
        _check_course_change(cohort)
        _check_course(data.course_id)
    mentors = _check_mentors(cohort.center_id, data.mentor_ids, cohort.mentors)
    _check_dates(data)
    _check_capacity(cohort, data.capacity)
    _apply(cohort, data, mentors)
    after = snapshot(cohort)
    if after != before:
        record("cohort.update", cohort, before=before, after=after, actor=actor)
    return cohort


def _apply(cohort: Cohort, data: CohortInput, mentors: list[User]) -> None:
    cohort.name, cohort.course_id, cohort.schedule = data.name, data.course_id, data.schedule
    cohort.start_date, cohort.end_date = data.start_date, data.end_date
    cohort.capacity, cohort.status, cohort.mentors = data.capacity, data.status, mentors


def _check_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not course.is_published:
        raise CohortError(_l("Choose a published course."), "course_id")
    return course


def _check_course_change(cohort: Cohort) -> None:
    """Progress is recorded against a course's lessons: a cohort with students keeps its course."""
    if enrolled_counts([cohort.id]).get(cohort.id, 0):
        raise CohortError(_l("The course cannot change while students are enrolled in the "
                             "cohort: their progress belongs to the current course."), "course_id")


def _check_mentors(center_id: int, mentor_ids: list[int], current: list[User] = ()) -> list:
    """One or more active mentors of the center; mentors already teaching the cohort may stay."""
    wanted = set(mentor_ids or ())
    if not wanted:
        raise CohortError(_l("Choose at least one mentor."), "mentor_ids")
    allowed = {mentor.id: mentor for mentor in mentor_choices(center_id, current)}
    if not wanted <= set(allowed):
        raise CohortError(_l("Only active mentors of this center can teach the cohort."),
                          "mentor_ids")
    return [allowed[i] for i in allowed if i in wanted]


def _check_dates(data: CohortInput) -> None:
    if data.end_date is not None and data.end_date < data.start_date:
        raise CohortError(_l("The end date cannot be before the start date."), "end_date")


def _check_capacity(cohort: Cohort, capacity: int | None) -> None:
    """Lock the cohort row (as enrolling does), then compare with its enrolled students."""
    if capacity is None:
        return
    db.session.execute(sa.select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    taken = enrolled_counts([cohort.id]).get(cohort.id, 0)
    if capacity < taken:
        raise CohortError(lazy_ngettext(
            "The capacity cannot be below the %(num)d student enrolled now.",
            "The capacity cannot be below the %(num)d students enrolled now.", taken), "capacity")


def snapshot(cohort: Cohort) -> dict:
    """The audited state of a cohort, JSON-ready."""
    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None
    return {"name": cohort.name, "center_id": cohort.center_id, "course_id": cohort.course_id,
            "start_date": iso(cohort.start_date), "end_date": iso(cohort.end_date),
            "schedule": cohort.schedule, "capacity": cohort.capacity,
            "status": cohort.status.value, "mentor_ids": sorted(m.id for m in cohort.mentors)}
