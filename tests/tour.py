"""A tour of the pages each role uses, resolved against whatever data is loaded.

Shared by the query-count test (the same statements on small and medium data) and by
`benchmarks/pages.py` (timings on the large set), so both measure the same requests.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from lms.certifications.models import Pursuit
from lms.centers.models import Center
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, cohort_mentors
from lms.extensions import db
from lms.progress.models import ClassSession
from lms.users.models import Role, User

ADMIN_EMAIL = "admin@demo.example"


@dataclass(frozen=True)
class Stop:
    role: Role
    email: str
    name: str
    url: str


@dataclass(frozen=True)
class Cast:
    """The representative people and objects of one center."""
    center: Center
    cohort: Cohort
    mentor: User
    student: User
    head: User
    pursuit: Pursuit
    session: ClassSession | None


def busiest_running_cohort(center_id: int) -> Cohort:
    active = (sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.cohort_id == Cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE)
        .scalar_subquery())
    return db.session.scalars(
        sa.select(Cohort).where(Cohort.center_id == center_id, Cohort.status == CohortStatus.RUNNING)
        .order_by(active.desc(), Cohort.id).limit(1)).one()


def cast_of(center_slug: str) -> Cast:
    center = db.session.scalars(sa.select(Center).where(Center.slug == center_slug)).one()
    cohort = busiest_running_cohort(center.id)
    mentor = db.session.scalars(
        sa.select(User).join(cohort_mentors, cohort_mentors.c.mentor_id == User.id)
        .where(cohort_mentors.c.cohort_id == cohort.id).order_by(User.id).limit(1)).one()
    has_pursuit = sa.exists().where(Pursuit.student_id == User.id)
    student = db.session.scalars(
        sa.select(User).join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE)
        .order_by(has_pursuit.desc(), User.id).limit(1)).one()
    pursuit = db.session.scalars(
        sa.select(Pursuit).where(Pursuit.center_id == center.id)
        .order_by((Pursuit.student_id == student.id).desc(), Pursuit.id).limit(1)).one()
    head = db.session.scalars(sa.select(User).where(
        User.center_id == center.id, User.role == Role.HEAD).order_by(User.id).limit(1)).one()
    session = db.session.scalars(sa.select(ClassSession).where(ClassSession.cohort_id == cohort.id)
                                 .order_by(ClassSession.held_on.desc()).limit(1)).first()
    return Cast(center, cohort, mentor, student, head, pursuit, session)


def stops(cast: Cast) -> list[Stop]:
    """Every page of SPEC §4 that has a screen today, as the user who would open it."""
    student, mentor, head = cast.student.email, cast.mentor.email, cast.head.email
    own_path = cast.pursuit.student_id == cast.student.id
    tour = [
        Stop(Role.STUDENT, student, "student home", "/my"),
        Stop(Role.STUDENT, student, "student cohort page", f"/learn/cohorts/{cast.cohort.id}"),
        Stop(Role.STUDENT, student, "my data (JSON)", "/learn/my-data.json"),
        Stop(Role.MENTOR, mentor, "mentor home", "/mentor"),
        Stop(Role.MENTOR, mentor, "cohort page", f"/cohorts/{cast.cohort.id}"),
        Stop(Role.MENTOR, mentor, "gradebook", f"/gradebook/{cast.cohort.id}"),
        Stop(Role.MENTOR, mentor, "attendance sessions", f"/attendance/cohort/{cast.cohort.id}"),
        Stop(Role.MENTOR, mentor, "student page", f"/students/{cast.student.id}"),
        Stop(Role.MENTOR, mentor, "certification board", "/pursuits/"),
        Stop(Role.MENTOR, mentor, "verification queue", "/pursuits/verification"),
        Stop(Role.MENTOR, mentor, "pursuit page", f"/pursuits/{cast.pursuit.id}"),
        Stop(Role.HEAD, head, "head home", "/center"),
        Stop(Role.ADMIN, ADMIN_EMAIL, "cluster home", "/cluster"),
    ]
    if own_path:
        tour.insert(2, Stop(Role.STUDENT, student, "certification path", f"/paths/{cast.pursuit.id}"))
    if cast.session is not None:
        tour.insert(-2, Stop(Role.MENTOR, mentor, "attendance marking", f"/attendance/session/{cast.session.id}"))
    return tour
