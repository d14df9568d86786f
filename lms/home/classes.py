"""The classes on the timetable that a start page lists: today's, each with its students and
the attendance of today's session so far, and the next days'. Two statements whatever the
number of cohorts and classes, even none (the statement-count test compares pages of data sets
whose cohorts meet on different days)."""
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, raiseload

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    TimetableSlot,
    cohort_mentors,
)
from lms.cohorts.timetable import ClassMeeting, classes_between
from lms.core.extensions import db

NEXT_DAYS = 7
NEXT_LIMIT = 8  # "Next classes" is a short list; the cohort pages hold the whole timetable


@dataclass
class TodayClass:
    """One of today's classes: its cohort's students and the attendance of today's session."""
    meeting: ClassMeeting
    students: int
    session_id: int | None = None
    counts: dict[AttendanceStatus, int] = field(default_factory=dict)

    @property
    def marked(self) -> int:
        return sum(self.counts.values())

    @property
    def tally(self) -> list[tuple[AttendanceStatus, int]]:
        """The marks of today's session per status, in the statuses' order, zeros left out."""
        return [(status, self.counts[status]) for status in AttendanceStatus
                if self.counts.get(status)]


@dataclass
class Classes:
    today: list[TodayClass]
    upcoming: list[ClassMeeting]
    more_upcoming: int


def _running_slots(where) -> list[tuple[TimetableSlot, int]]:
    """(slot, students of its cohort) of running cohorts under `where`, each slot with its
    cohort and course loaded (nothing else)."""
    students = (sa.select(sa.func.count(Enrollment.id))
                .where(Enrollment.cohort_id == Cohort.id,
                       Enrollment.status != EnrollmentStatus.WITHDRAWN)
                .correlate(Cohort).scalar_subquery())
    query = (sa.select(TimetableSlot, students).join(TimetableSlot.cohort).join(Cohort.course)
             .where(Cohort.status == CohortStatus.RUNNING, where)
             .options(contains_eager(TimetableSlot.cohort).contains_eager(Cohort.course),
                      raiseload("*")))
    return list(db.session.execute(query).tuples())


def classes_of(where, today: date) -> Classes:
    """Today's classes (with attendance) and those of the next days, for the cohorts `where`."""
    rows = _running_slots(where)
    slots = [slot for slot, _count in rows]
    students = {slot.cohort_id: count for slot, count in rows}
    todays = classes_between(slots, today, today)
    upcoming = classes_between(slots, today + timedelta(days=1), today + timedelta(days=NEXT_DAYS))
    sessions = _todays_sessions(sorted({m.cohort.id for m in todays}), today)
    cards = [TodayClass(m, students[m.cohort.id], *sessions.get(m.cohort.id, (None, {})))
             for m in todays]
    return Classes(cards, upcoming[:NEXT_LIMIT], max(len(upcoming) - NEXT_LIMIT, 0))


def _todays_sessions(cohort_ids: list[int], today: date) -> dict[int, tuple[int, dict]]:
    """cohort id → (its first session held today, the one "Take attendance" opens; its marks
    per status), in one statement."""
    first = (sa.select(sa.func.min(ClassSession.id))
             .where(ClassSession.cohort_id.in_(cohort_ids), ClassSession.held_on == today)
             .group_by(ClassSession.cohort_id))
    query = (sa.select(ClassSession.cohort_id, ClassSession.id, Attendance.status,
                       sa.func.count(Attendance.id))
             .outerjoin(Attendance, Attendance.session_id == ClassSession.id)
             .where(ClassSession.id.in_(first))
             .group_by(ClassSession.cohort_id, ClassSession.id, Attendance.status))
    found: dict[int, tuple[int, dict]] = {}
    for cohort_id, session_id, status, count in db.session.execute(query):
        _id, counts = found.setdefault(cohort_id, (session_id, {}))
        if status is not None:
            counts[AttendanceStatus(status)] = count
    return found


def mentor_classes(mentor_id: int, today: date) -> Classes:
    """The classes of the cohorts a mentor teaches."""
    taught = sa.select(cohort_mentors.c.cohort_id).where(cohort_mentors.c.mentor_id == mentor_id)
    return classes_of(Cohort.id.in_(taught), today)


def center_classes(center_id: int, today: date) -> Classes:
    """The classes of a center's cohorts (the head's home)."""
    return classes_of(Cohort.center_id == center_id, today)
