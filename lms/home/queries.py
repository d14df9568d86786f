"""What each role sees first after signing in: real figures, a few queries each."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.attendance.rates import attendance_rates, low_attendance
from lms.catalog.models import Certification, CourseModule, Lesson
from lms.centers.models import Center
from lms.certifications import queries
from lms.certifications.display import PathCard, path_card
from lms.certifications.models import Pursuit, Stage
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from lms.cohorts.queries import (
    COHORT_CARD,
    cohorts_taught_by,
    enrolled_counts,
    required_lesson_counts,
)
from lms.core.extensions import db
from lms.progress.models import LessonProgress, ProgressStatus
from lms.progress.queries import inactive_enrollments
from lms.users.models import Role, StudentProfile, User
from lms.users.queries import count_by_role, minors_without_consent

DONE = (ProgressStatus.COMPLETED, ProgressStatus.EXCUSED)


@dataclass
class EnrollmentProgress:
    enrollment: Enrollment
    done: int
    total: int
    next_lesson: Lesson | None = None
    attendance: float | None = None  # share of sessions attended, None before any session

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _done_counts(enrollment_ids: list[int]) -> dict[int, int]:
    """Completed or excused required lessons per enrollment."""
    if not enrollment_ids:
        return {}
    query = (
        sa.select(LessonProgress.enrollment_id, sa.func.count())
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrollment_id.in_(enrollment_ids),
               LessonProgress.status.in_(DONE), Lesson.is_required, ~Lesson.is_retired)
        .group_by(LessonProgress.enrollment_id)
    )
    return dict(db.session.execute(query).all())


def student_enrollments(student: User) -> list[EnrollmentProgress]:
    """The student's current and completed enrollments with completed / total lessons."""
    query = (
        sa.select(Enrollment)
        .join(Enrollment.cohort)
        .where(Enrollment.student_id == student.id,
               Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .options(selectinload(Enrollment.cohort).options(*COHORT_CARD))
        .order_by(Cohort.start_date.desc())
    )
    enrollments = list(db.session.scalars(query))
    ids = [e.id for e in enrollments]
    done = _done_counts(ids)
    totals = required_lesson_counts([e.cohort.course_id for e in enrollments])
    upcoming = _next_lessons(enrollments)
    rates = attendance_rates(ids) if ids else {}
    return [EnrollmentProgress(e, done.get(e.id, 0), totals.get(e.cohort.course_id, 0),
                               upcoming.get(e.id), rates.get(e.id)) for e in enrollments]


def _next_lessons(enrollments: list[Enrollment]) -> dict[int, Lesson | None]:
    """Per enrollment, the first lesson of the course (in order) not yet completed or excused."""
    if not enrollments:
        return {}
    lessons = db.session.execute(
        sa.select(Lesson, CourseModule.course_id).join(CourseModule)
        .where(CourseModule.course_id.in_({e.cohort.course_id for e in enrollments}),
               ~Lesson.is_retired)
        .order_by(CourseModule.position, Lesson.position)).all()
    finished = set(db.session.execute(
        sa.select(LessonProgress.enrollment_id, LessonProgress.lesson_id)
        .where(LessonProgress.enrollment_id.in_([e.id for e in enrollments]),
               LessonProgress.status.in_(DONE))).tuples())
    upcoming = {}
    for enrollment in enrollments:
        upcoming[enrollment.id] = next(
            (lesson for lesson, course_id in lessons if course_id == enrollment.cohort.course_id
             and (enrollment.id, lesson.id) not in finished), None)
    return upcoming


def student_paths(student: User, today: date) -> list[PathCard]:
    """The student's certification paths as cards, most recently changed first."""
    query = (
        sa.select(Pursuit)
        .where(Pursuit.student_id == student.id)
        .options(selectinload(Pursuit.certification).joinedload(Certification.provider))
        .order_by(Pursuit.updated_at.desc())
    )
    return [path_card(pursuit, today) for pursuit in db.session.scalars(query)]


ATTENTION_PREVIEW = 5  # items awaiting verification the card lists; the queue page has them all


def needs_attention(user: User, today: date) -> dict:
    """The certification items a mentor or head should act on (center-scoped)."""
    return {
        "awaiting": queries.awaiting_verification(limit=ATTENTION_PREVIEW),
        "awaiting_evidence": queries.evidence_awaiting(user, limit=ATTENTION_PREVIEW),
        "exams": queries.upcoming_exams(today),
        "expiring_vouchers": queries.vouchers_expiring_unbooked(today),
    }


def mentor_overview(mentor: User, today: date) -> dict:
    cohorts = cohorts_taught_by(mentor)
    cohort_ids = [c.id for c in cohorts if c.status != CohortStatus.FINISHED]
    return {
        "cohorts": cohorts,
        "inactive": inactive_enrollments(cohort_ids, today),
        "low_attendance": low_attendance(cohort_ids),
        "enrolled": enrolled_counts([c.id for c in cohorts]),
        "minors": minors_without_consent(mentor.center_id, today),
        **needs_attention(mentor, today),
    }


def head_overview(head: User, today: date, page: int, per_page: int) -> dict:
    cohorts = db.paginate(
        sa.select(Cohort).where(Cohort.center_id == head.center_id).options(*COHORT_CARD)
        .order_by(Cohort.start_date.desc(), Cohort.id),
        page=page, per_page=per_page, error_out=False,
    )
    return {
        "people": count_by_role(head.center_id),
        "cohorts": cohorts,
        "enrolled": enrolled_counts([c.id for c in cohorts.items]),
        "minors": minors_without_consent(head.center_id, today),
        "cohort_status": _cohort_status_counts(head.center_id),
        **needs_attention(head, today),
    }


def _cohort_status_counts(center_id: int) -> dict[CohortStatus, int]:
    query = (sa.select(Cohort.status, sa.func.count()).where(Cohort.center_id == center_id)
             .group_by(Cohort.status))
    return dict(db.session.execute(query).all())


@dataclass
class CenterRow:
    center: Center
    students: int
    mentors: int
    running_cohorts: int
    certified: int


def cluster_overview() -> list[CenterRow]:
    """One row per center: people, running cohorts and verified valid credentials."""
    students = _count_per_center(
        sa.select(User.center_id, sa.func.count()).join(User.profile)
        .where(User.role == Role.STUDENT, User.is_active, StudentProfile.archived_at.is_(None))
        .group_by(User.center_id))
    mentors = _count_per_center(
        sa.select(User.center_id, sa.func.count())
        .where(User.role == Role.MENTOR, User.is_active).group_by(User.center_id))
    running = _count_per_center(
        sa.select(Cohort.center_id, sa.func.count())
        .where(Cohort.status == CohortStatus.RUNNING).group_by(Cohort.center_id))
    certified = _count_per_center(
        sa.select(Pursuit.center_id, sa.func.count())
        .where(Pursuit.stage == Stage.PASSED, Pursuit.verified_at.is_not(None),
               Pursuit.invalidated_at.is_(None))
        .group_by(Pursuit.center_id))
    centers = db.session.scalars(sa.select(Center).order_by(Center.name))
    return [CenterRow(c, students.get(c.id, 0), mentors.get(c.id, 0), running.get(c.id, 0),
                      certified.get(c.id, 0)) for c in centers]


def _count_per_center(query: sa.Select) -> dict[int, int]:
    return dict(db.session.execute(query).all())
