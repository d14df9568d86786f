"""`flask lms demo`: a deterministic, idempotent demo data set for three resource centers.

Catalog rows are matched by natural key (provider slug, track code, course code, certification
provider and name), centers by slug and the administrator by e-mail. A center's people and activity
are created only together with the center, so a second run changes nothing.
"""
import random
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from lms.auth.passwords import hash_password
from lms.catalog.models import (
    Audience,
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
from lms.cohorts.models import Cohort, CohortStatus
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.demo import activity, catalog, people, pursuits
from lms.demo.rebuild_summaries import rebuild
from lms.users.models import Role, User
from lms.users.queries import find_user_by_email

DEMO_PASSWORD = "demo-password"
ADMIN_EMAIL = "admin@demo.example"
ADMIN_NAME = "Адміністратор кластера"
SEED = 2014  # every center draws from its own Random(f"{SEED}:{slug}")
SIZES = {"small": {"students": 80}}
CENTERS = [
    {"slug": "kramatorsk", "name": "Ресурсний центр Краматорськ", "city": "Краматорськ",
     "region": "Донецька область", "cluster": "Kramatorsk IT Cluster"},
    {"slug": "mariupol", "name": "Ресурсний центр Маріуполь",
     "city": "Маріуполь (релоковано до Дніпра)", "region": "Донецька область",
     "cluster": "Mariupol IT Cluster"},
    {"slug": "sievierodonetsk", "name": "Ресурсний центр Сєвєродонецьк",
     "city": "Сєвєродонецьк (релоковано до Києва)", "region": "Луганська область",
     "cluster": "Luhansk IT Cluster"},
]
CERT_FIELDS = ("exam_code", "validity_months", "renewal_window_months", "voucher_validity_months",
               "retake_wait_days", "min_age", "guardian_acceptance_under",
               "verification_url_pattern", "readiness_threshold")


@dataclass
class DemoCatalog:
    courses: dict[str, Course]  # by course code
    certifications: dict[str, Certification]  # by catalog key


def build_demo(size: str = "small") -> bool:
    """Create whatever demo data is missing, in one transaction; True when anything was created."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size: {size}")
    try:
        demo_catalog, created = sync_catalog()
        missing = [spec for spec in CENTERS if not _center_exists(spec["slug"])]
        admin_missing = find_user_by_email(ADMIN_EMAIL) is None
        # argon2 is deliberately slow: hash once, and only when an account will be created.
        password_hash = hash_password(DEMO_PASSWORD) if admin_missing or missing else ""
        if admin_missing:
            _create_admin(password_hash)
        today, now = date.today(), utcnow()
        for spec in missing:
            build_center(spec, demo_catalog, password_hash, SIZES[size], today, now)
        if missing:
            rebuild()  # the demo writes history rows directly, not through the services
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created or admin_missing or bool(missing)


def sync_catalog() -> tuple[DemoCatalog, bool]:
    """Get or create providers, tracks, certifications and courses; True when any was created."""
    providers, new_providers = _get_or_create_many(
        Provider, "slug", catalog.PROVIDERS, lambda spec: Provider(**spec))
    tracks, new_tracks = _get_or_create_many(
        Track, "code", catalog.TRACKS, lambda spec: Track(**spec))
    certs, new_certs = _sync_certifications(providers)
    courses, new_courses = _get_or_create_many(
        Course, "code", catalog.COURSES, lambda spec: _new_course(spec, tracks))
    _link_preparation(courses, certs, set(new_courses) | set(new_certs))
    db.session.flush()
    created = bool(new_providers or new_tracks or new_certs or new_courses)
    return DemoCatalog(courses, certs), created


def _get_or_create_many(model, key: str, specs: list[dict], make) -> tuple[dict, list]:
    """Rows by natural key, creating the missing ones; also the keys that were created."""
    column = getattr(model, key)
    existing = {getattr(row, key): row for row in
                db.session.scalars(sa.select(model).where(column.in_([s[key] for s in specs])))}
    created = []
    for spec in specs:
        if spec[key] not in existing:
            existing[spec[key]] = make(spec)
            db.session.add(existing[spec[key]])
            created.append(spec[key])
    return existing, created


def _sync_certifications(providers: dict[str, Provider]) -> tuple[dict, list]:
    """Certifications by catalog key, matched on (provider, name)."""
    rows = {(row.provider_id, row.name): row
            for row in db.session.scalars(sa.select(Certification))}
    certs, created = {}, []
    for spec in catalog.CERTIFICATIONS:
        provider = providers[spec["provider"]]
        cert = rows.get((provider.id, spec["name"])) if provider.id else None
        if cert is None:
            cert = Certification(provider=provider, name=spec["name"],
                                 level=CertificationLevel(spec["level"]),
                                 **{name: spec[name] for name in CERT_FIELDS})
            db.session.add(cert)
            created.append(spec["key"])
        certs[spec["key"]] = cert
    return certs, created


def _new_course(spec: dict, tracks: dict[str, Track]) -> Course:
    """A course with its ordered modules and lessons."""
    course = Course(code=spec["code"], title=spec["title"], track=tracks[spec["track"]],
                    level=CourseLevel(spec["level"]), audience=Audience(spec["audience"]),
                    description=spec["description"], estimated_hours=spec["estimated_hours"],
                    is_published=spec.get("is_published", True))
    for position, (title, lessons) in enumerate(spec["modules"], start=1):
        module = CourseModule(course=course, position=position, title=title)
        for number, (lesson_title, kind, max_score) in enumerate(lessons, start=1):
            Lesson(module=module, position=number, title=lesson_title, kind=LessonKind(kind),
                   max_score=max_score)
    return course


def _link_preparation(courses: dict, certs: dict, new_keys: set) -> None:
    """Mark courses as preparation for certifications, when either side was just created."""
    for spec in catalog.COURSES:
        course = courses[spec["code"]]
        for key in spec["certifications"]:
            new = spec["code"] in new_keys or key in new_keys
            if new and certs[key] not in course.certifications:
                course.certifications.append(certs[key])


def _center_exists(slug: str) -> bool:
    return db.session.scalar(sa.select(Center.id).where(Center.slug == slug)) is not None


def _create_admin(password_hash: str) -> None:
    db.session.add(User(email=ADMIN_EMAIL, full_name=ADMIN_NAME, role=Role.ADMIN, locale="uk",
                        password_hash=password_hash))


def build_center(spec: dict, demo_catalog: DemoCatalog, password_hash: str, size: dict,
                 today: date, now: datetime) -> Center:
    """A new center with its people, cohorts, progress, attendance, pursuits and vouchers."""
    rng = random.Random(f"{SEED}:{spec['slug']}")
    center = Center(**spec)
    db.session.add(center)
    db.session.flush()
    staff = people.create_people(center, rng, password_hash, size["students"], today, now)
    cohorts = activity.create_cohorts(center, staff, demo_catalog.courses, today, rng)
    enrollments = activity.enroll_students(cohorts, staff, today, rng)
    lessons = activity.course_lessons(sorted({cohort.course_id for cohort in cohorts}))
    activity.record_progress(cohorts, enrollments, lessons, today, rng)
    activity.record_sessions(cohorts, enrollments, lessons, today, rng)
    pursuits.create_pursuits(pursuits.PursuitContext(
        center=center, people=staff, certs=demo_catalog.certifications,
        prep_cohorts=_prep_cohorts(cohorts, demo_catalog), today=today, now=now, rng=rng))
    return center


def _prep_cohorts(cohorts: list[Cohort], demo_catalog: DemoCatalog) -> dict[str, Cohort]:
    """Certification key → a running or finished cohort of a course preparing for it."""
    codes = {course.id: code for code, course in demo_catalog.courses.items()}
    specs = {spec["code"]: spec for spec in catalog.COURSES}
    result = {}
    for cohort in cohorts:
        if cohort.status != CohortStatus.PLANNED:
            for key in specs[codes[cohort.course_id]]["certifications"]:
                result.setdefault(key, cohort)
    return result


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role, e-mail, center) of demo logins: admin, then per center head, mentors, 3 students."""
    rows = []
    admin = find_user_by_email(ADMIN_EMAIL)
    if admin is not None:
        rows.append((admin.role.value, admin.email, "—"))
    slugs = [spec["slug"] for spec in CENTERS]
    query = sa.select(Center).where(Center.slug.in_(slugs))
    centers = {center.slug: center for center in db.session.scalars(query)}
    for slug in slugs:
        if slug in centers:
            rows += _center_accounts(centers[slug])
    return rows


def _center_accounts(center: Center) -> list[tuple[str, str, str]]:
    """Head, mentors and the first three students of one demo center."""
    demo = sa.select(User).where(User.center_id == center.id,
                                 User.email.endswith("@" + people.demo_domain(center.slug)))
    staff = db.session.scalars(demo.where(User.role.in_([Role.HEAD, Role.MENTOR]))
                               .order_by(User.role, User.email))  # "head" sorts before "mentor"
    students = db.session.scalars(demo.where(User.role == Role.STUDENT).order_by(User.id).limit(3))
    return [(user.role.value, user.email, center.name) for user in [*staff, *students]]
