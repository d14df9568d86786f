"""Cohort and enrollment use cases: create and edit a cohort; enroll, withdraw, complete,
reopen. Each change is audited."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from lms.catalog.models import Course
from lms.centers.models import Center
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, TimetableSlot
from lms.cohorts.queries import enrollable, enrolled_counts, free_places, mentor_choices
from lms.cohorts.timetable import SlotInput, clock, slot_problems
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.users.models import User


class CohortError(Refused):
    """A cohort change that the rules refuse."""


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
    slots: list[SlotInput] = field(default_factory=list)


def create_cohort(center: Center, data: CohortInput, actor: User) -> Cohort:
    """A new cohort of a published course at the center, taught by mentors of that center."""
    course = _check_course(data.course_id)
    mentors = _check_mentors(center.id, data.mentor_ids)
    _check_dates(data)
    _check_timetable(data.slots)
    cohort = Cohort(center_id=center.id, course_id=course.id)
    _apply(cohort, data, mentors)
    db.session.add(cohort)
    db.session.flush()  # the audit entry names the new id
    record("cohort.create", cohort, after=cohort_snapshot(cohort), actor=actor)
    return cohort


def update_cohort(cohort: Cohort, data: CohortInput, actor: User) -> Cohort:
    """Change a cohort's fields; its capacity never drops below the students it holds."""
    before = cohort_snapshot(cohort)
    if data.course_id != cohort.course_id:
        _check_course_change(cohort)
        _check_course(data.course_id)
    mentors = _check_mentors(cohort.center_id, data.mentor_ids, cohort.mentors)
    _check_dates(data)
    _check_timetable(data.slots)
    _check_capacity(cohort, data.capacity)
    _apply(cohort, data, mentors)
    after = cohort_snapshot(cohort)
    if after != before:
        record("cohort.update", cohort, before=before, after=after, actor=actor)
    return cohort


def _apply(cohort: Cohort, data: CohortInput, mentors: list[User]) -> None:
    cohort.name, cohort.course_id, cohort.schedule = data.name, data.course_id, data.schedule
    cohort.start_date, cohort.end_date = data.start_date, data.end_date
    cohort.capacity, cohort.status, cohort.mentors = data.capacity, data.status, mentors
    wanted = sorted(data.slots, key=_slot_key)
    if [_slot_key(s) for s in wanted] != [_slot_key(s) for s in cohort.slots]:
        cohort.slots = [TimetableSlot(weekday=s.weekday, starts_at=s.starts_at, ends_at=s.ends_at,
                                      place=s.place) for s in wanted]


def _slot_key(slot) -> tuple:
    return (slot.weekday, slot.starts_at, slot.ends_at, slot.place)


def _check_timetable(slots: list[SlotInput]) -> None:
    """Refuse a timetable that breaks a rule (the form shows each at its row first)."""
    problems = slot_problems(slots)
    if problems:
        raise CohortError(problems[0][2])


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


def cohort_snapshot(cohort: Cohort) -> dict:
    """The audited state of a cohort, JSON-ready."""
    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None
    return {"name": cohort.name, "center_id": cohort.center_id, "course_id": cohort.course_id,
            "start_date": iso(cohort.start_date), "end_date": iso(cohort.end_date),
            "schedule": cohort.schedule, "capacity": cohort.capacity,
            "status": cohort.status.value, "mentor_ids": sorted(m.id for m in cohort.mentors),
            "timetable": [{"weekday": s.weekday, "starts_at": clock(s.starts_at),
                           "ends_at": clock(s.ends_at), "place": s.place}
                          for s in sorted(cohort.slots, key=_slot_key)]}


class EnrollmentError(Refused):
    """A change of a cohort's roster that the rules refuse."""


def enroll_students(cohort: Cohort, student_ids: Iterable[int], actor: User,
                    today: date) -> list[Enrollment]:
    """Enroll the chosen students, all or none: same center, room left, not enrolled already."""
    wanted = set(student_ids or ())
    if not wanted:
        raise EnrollmentError(_l("Choose at least one student."), "student_ids")
    # Serialise enrollments into one cohort, so two requests cannot both take the last place.
    db.session.execute(sa.select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    rows = db.session.execute(enrollable(cohort).where(User.id.in_(wanted))).all()
    if len(rows) != len(wanted):
        raise EnrollmentError(_l("Some of the chosen students cannot be enrolled in this cohort: "
                                 "they are not active students of its center, or they are "
                                 "enrolled already. Nobody was enrolled."), "student_ids")
    _check_room(cohort, len(wanted))
    reactivated = [_reactivate(earlier, actor) for _, earlier in rows if earlier is not None]
    fresh = [student for student, earlier in rows if earlier is None]
    return reactivated + _create(cohort, fresh, actor, today)


def _check_room(cohort: Cohort, chosen: int) -> None:
    """Refuse the whole choice when it does not fit in the places left."""
    free = free_places(cohort)
    if free is not None and chosen > free:
        raise EnrollmentError(lazy_ngettext(
            "The cohort has room for %(num)d more student and you chose %(chosen)d. "
            "Nobody was enrolled.",
            "The cohort has room for %(num)d more students and you chose %(chosen)d. "
            "Nobody was enrolled.", free, chosen=chosen), "student_ids")


def _create(cohort: Cohort, students: list[User], actor: User, today: date) -> list[Enrollment]:
    """New active enrollments, each with its audit entry."""
    created = [Enrollment(student_id=s.id, cohort_id=cohort.id, enrolled_on=today,
                          status=EnrollmentStatus.ACTIVE) for s in students]
    db.session.add_all(created)
    db.session.flush()  # the audit entries name the new ids
    for enrollment in created:
        record("enrollment.create", enrollment, after=enrollment_snapshot(enrollment), actor=actor,
               center_id=cohort.center_id)
    return created


def _reactivate(enrollment: Enrollment, actor: User) -> Enrollment:
    """A withdrawn student comes back on the same row (one enrollment per student and cohort)."""
    return _change(enrollment, "enrollment.reactivate", actor, status=EnrollmentStatus.ACTIVE,
                   withdrawn_on=None, withdraw_reason=None)


def withdraw(enrollment: Enrollment, actor: User, reason: str, today: date) -> Enrollment:
    """Withdraw an active enrollment with a reason; its history stays."""
    if _status_locked(enrollment) != EnrollmentStatus.ACTIVE:
        raise EnrollmentError(_l("Only an active enrollment can be withdrawn."))
    return _change(enrollment, "enrollment.withdraw", actor, status=EnrollmentStatus.WITHDRAWN,
                   withdrawn_on=today, withdraw_reason=reason)


def mark_completed(enrollment: Enrollment, actor: User, reason: str, today: date) -> Enrollment:
    """Mark an active enrollment completed by hand ("completed, set by …")."""
    if _status_locked(enrollment) != EnrollmentStatus.ACTIVE:
        raise EnrollmentError(_l("Only an active enrollment can be marked completed."))
    return _change(enrollment, "enrollment.complete", actor, status=EnrollmentStatus.COMPLETED,
                   completed_on=today, completion_set_by_id=actor.id, completion_reason=reason)


def reopen(enrollment: Enrollment, actor: User) -> Enrollment:
    """Undo a completion set by hand: the enrollment is active again."""
    status = _status_locked(enrollment)
    if status != EnrollmentStatus.COMPLETED or enrollment.completion_set_by_id is None:
        raise EnrollmentError(_l("Only a completion marked by hand can be undone."))
    return _change(enrollment, "enrollment.reopen", actor, status=EnrollmentStatus.ACTIVE,
                   completed_on=None, completion_set_by_id=None, completion_reason=None)


def _status_locked(enrollment: Enrollment) -> EnrollmentStatus:
    """Re-read the row under a lock, so two concurrent changes cannot both pass the check."""
    query = (sa.select(Enrollment).where(Enrollment.id == enrollment.id).with_for_update()
             .execution_options(populate_existing=True))
    return db.session.scalars(query).one().status


def _change(enrollment: Enrollment, action: str, actor: User, **fields) -> Enrollment:
    """Set `fields` and audit the enrollment's state before and after."""
    before = enrollment_snapshot(enrollment)
    for name, value in fields.items():
        setattr(enrollment, name, value)
    record(action, enrollment, before=before, after=enrollment_snapshot(enrollment), actor=actor,
           center_id=enrollment.cohort.center_id)
    return enrollment


def enrollment_snapshot(enrollment: Enrollment) -> dict:
    """The audited state of an enrollment, JSON-ready."""
    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None
    return {"student_id": enrollment.student_id, "cohort_id": enrollment.cohort_id,
            "status": enrollment.status.value, "enrolled_on": iso(enrollment.enrolled_on),
            "completed_on": iso(enrollment.completed_on),
            "completion_set_by_id": enrollment.completion_set_by_id,
            "completion_reason": enrollment.completion_reason,
            "withdrawn_on": iso(enrollment.withdrawn_on),
            "withdraw_reason": enrollment.withdraw_reason}
