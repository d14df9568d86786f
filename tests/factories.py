"""Builders for test data: small functions with sensible defaults, committed on return.

Inside `batch()` (the worlds use it) they only flush, and the batch commits once at its end:
a commit expires every loaded object, so committing per object reloaded the world row by row.
Below the builders, the plain helpers the test modules share (reading back, signing in).
Passwords are hashed per user: with TestConfig's cheap argon2 parameters a hash takes about
0.06 ms (a world of 11 users: under 1 ms), so hashing the password once would not pay.
"""
import csv
import io
import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from lms.auth.passwords import hash_password
from lms.catalog.models import (
    Certification,
    CertificationLevel,
    Course,
    CourseLevel,
    CourseModule,
    Lesson,
    LessonKind,
    Provider,
    Track,
)
from lms.centers.models import Center
from lms.certifications.models import Pursuit, Stage, Voucher
from lms.cohorts.models import Cohort, CohortStatus, Enrollment
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.progress.models import LessonProgress, ProgressStatus
from lms.users.models import Role, StudentProfile, User

PASSWORD = "correct-horse-battery"
_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


def make_center(slug: str | None = None, **fields) -> Center:
    n = _next()
    center = Center(slug=slug or f"center-{n}", name=fields.pop("name", f"Center {n}"),
                    city=fields.pop("city", "Kramatorsk"), region=fields.pop("region", "Donetsk"),
                    cluster=fields.pop("cluster", "East IT Cluster"), **fields)
    return _save(center)


def make_user(role: Role = Role.STUDENT, center: Center | None = None, **fields) -> User:
    n = _next()
    password = fields.pop("password", PASSWORD)
    profile_fields = fields.pop("profile", {})
    user = User(email=fields.pop("email", f"{role.value}{n}@example.org"),
                full_name=fields.pop("full_name", f"{role.value.title()} {n}"), role=role,
                center_id=center.id if center else None, password_hash=hash_password(password),
                **fields)
    if role == Role.STUDENT:
        user.profile = StudentProfile(**{"date_of_birth": date(2005, 5, 5), **profile_fields})
    return _save(user)


def make_course(modules: int = 2, lessons_per_module: int = 3, **fields) -> Course:
    n = _next()
    track = db.session.query(Track).filter_by(code="cs").first() or Track(code="cs", name="CS")
    course = Course(code=fields.pop("code", f"C{n}"), title=fields.pop("title", f"Course {n}"),
                    track=track, level=fields.pop("level", CourseLevel.BEGINNER),
                    is_published=True, **fields)
    for m in range(1, modules + 1):
        module = CourseModule(course=course, position=m, title=f"Module {m}")
        for pos in range(1, lessons_per_module + 1):
            Lesson(module=module, position=pos, title=f"Lesson {m}.{pos}",
                   kind=LessonKind.LESSON, max_score=10)
    return _save(course)


def make_cohort(center: Center, course: Course, mentors: list[User] = (), **fields) -> Cohort:
    n = _next()
    cohort = Cohort(center_id=center.id, course_id=course.id, name=fields.pop("name", f"Cohort {n}"),
                    start_date=fields.pop("start_date", date.today() - timedelta(days=30)),
                    status=fields.pop("status", CohortStatus.RUNNING), **fields)
    cohort.mentors = list(mentors)
    return _save(cohort)


def enroll(student: User, cohort: Cohort, **fields) -> Enrollment:
    enrollment = Enrollment(student_id=student.id, cohort_id=cohort.id,
                            enrolled_on=fields.pop("enrolled_on", cohort.start_date), **fields)
    return _save(enrollment)


def make_progress(enrollment: Enrollment, lesson: Lesson, status=ProgressStatus.COMPLETED,
                  **fields) -> LessonProgress:
    return _save(LessonProgress(enrollment_id=enrollment.id, lesson_id=lesson.id, status=status,
                                **fields))


def make_certification(**fields) -> Certification:
    provider = db.session.query(Provider).filter_by(slug="aws").first() or Provider(
        slug="aws", name="Amazon Web Services")
    n = _next()
    certification = Certification(provider=provider, name=fields.pop("name", f"Cert {n}"),
                                  level=fields.pop("level", CertificationLevel.FOUNDATIONAL),
                                  **fields)
    return _save(certification)


def make_pursuit(student: User, certification: Certification, **fields) -> Pursuit:
    return _save(Pursuit(student_id=student.id, certification_id=certification.id,
                         center_id=student.center_id, stage=fields.pop("stage", Stage.INTERESTED),
                         **fields))


def make_voucher(center: Center, certification: Certification, **fields) -> Voucher:
    n = _next()
    return _save(Voucher(center_id=center.id, provider_id=certification.provider_id,
                         certification_id=certification.id, code=fields.pop("code", f"VCH-{n:06d}"),
                         issued_on=fields.pop("issued_on", date.today()), **fields))


_batches = [0]  # how many batch() blocks are open


@contextmanager
def batch():
    """Builders inside only flush (ids are known); one commit at the end of the outermost."""
    _batches[0] += 1
    try:
        yield
    finally:
        _batches[0] -= 1
    if not _batches[0]:
        db.session.commit()


def settle() -> None:
    """A builder's end: flush, and commit unless a batch() commits later."""
    db.session.flush()
    if not _batches[0]:
        db.session.commit()


def _save(obj):
    db.session.add(obj)
    settle()
    return obj


# --- reading back and signing in -----------------------------------------------------------

def english(*users: User) -> None:
    """Messages are asserted in English (the msgids); the default language is Ukrainian."""
    for user in users:
        user.locale = "en"
    settle()


def fresh(obj):
    """`obj` read again from the database (what a request wrote since is seen)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit(action: str, obj=None) -> list[AuditEntry]:
    """The audit entries of `action` (about `obj`, when given), oldest first, read afresh."""
    db.session.flush()
    db.session.expire_all()
    query = sa.select(AuditEntry).where(AuditEntry.action == action)
    if obj is not None:
        query = query.where(AuditEntry.object_type == type(obj).__name__,
                            AuditEntry.object_id == obj.id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download, which must open in Excel (UTF-8 with its BOM)."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Excel reads UTF-8 (Cyrillic names) only with the BOM
    return list(csv.reader(io.StringIO(body[1:])))


def signed_in(app, user: User, password: str = PASSWORD):
    """A client of its own (a second browser) signed in as `user` through the form, with the
    form's CSRF token when the app checks it."""
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"email": user.email, "password": password,
            **({"csrf_token": token.group(1)} if token else {})}
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def user_of(world, role: Role | None) -> User | None:
    """The world's admin, or center a's student, mentor or head; None for an anonymous visitor."""
    if role is None:
        return None
    if role == Role.ADMIN:
        return world.admin
    return getattr(world.a, role.value)


@dataclass
class CenterWorld:
    center: Center
    head: User
    mentor: User
    other_mentor: User
    student: User
    minor: User
    cohort: Cohort
    enrollment: Enrollment
    pursuit: Pursuit
    voucher: Voucher


@batch()
def build_center_world(slug: str, course: Course, certification: Certification) -> CenterWorld:
    """One center with a head, a mentor teaching a cohort, a second mentor and two students."""
    center = make_center(slug)
    head = make_user(Role.HEAD, center)
    mentor = make_user(Role.MENTOR, center)
    other_mentor = make_user(Role.MENTOR, center)
    student = make_user(Role.STUDENT, center)
    minor = make_user(Role.STUDENT, center,
                      profile={"date_of_birth": date.today() - timedelta(days=365 * 13)})
    cohort = make_cohort(center, course, mentors=[mentor])
    enrollment = enroll(student, cohort)
    enroll(minor, cohort)
    return CenterWorld(center, head, mentor, other_mentor, student, minor, cohort, enrollment,
                       make_pursuit(student, certification), make_voucher(center, certification))


@batch()
def build_world() -> SimpleNamespace:
    """Two centers (`a` and `b`) sharing one course and certification, plus an admin."""
    course = make_course()
    certification = make_certification(validity_months=36)
    return SimpleNamespace(
        course=course,
        certification=certification,
        admin=make_user(Role.ADMIN),
        a=build_center_world("alpha", course, certification),
        b=build_center_world("beta", course, certification),
    )
