"""`flask lms demo --size large|medium`: the data volumes of SPEC §7, written set-based.

Rows are generated as tuples with ids assigned here and streamed into the database with
`lms.core.bulk.insert_rows` (COPY on PostgreSQL, chunked executemany on SQLite): one ORM object at
a time would take hours for a million progress rows. The data is deterministic (seeded) and
dated relative to today, so dashboards for this year always have something to show.
"""
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from lms.auth.passwords import hash_password
from lms.catalog.models import Certification, Course, CourseModule, Lesson, Track
from lms.centers.models import Center
from lms.cohorts.models import Cohort, TimetableSlot, cohort_mentors
from lms.core.bulk import insert_rows
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.demo import scale_activity
from lms.demo.builder import ADMIN_EMAIL, DEMO_PASSWORD, _create_admin, sync_catalog
from lms.demo.rebuild_summaries import rebuild
from lms.users.models import LearnerType, Settlement, Sex, StudentProfile, User, YesNo
from lms.users.queries import find_user_by_email

SEED = 7417


@dataclass(frozen=True)
class Scale:
    centers: int
    mentors_per_center: int
    students_per_center: int
    cohorts_per_center: int
    vouchers_per_center: int
    courses: int = 60
    modules_per_course: int = 6
    lessons_per_module: int = 5


SCALES = {
    "large": Scale(centers=10, mentors_per_center=20, students_per_center=5000,
                   cohorts_per_center=40, vouchers_per_center=2000),
    "medium": Scale(centers=10, mentors_per_center=2, students_per_center=500,
                    cohorts_per_center=4, vouchers_per_center=200),
}


@dataclass
class Plan:
    """What has been generated so far, for the later steps to refer to by id."""
    scale: Scale
    today: date
    now: datetime
    rng: random.Random
    next_ids: dict[str, int] = field(default_factory=dict)
    centers: list[int] = field(default_factory=list)
    mentors: dict[int, list[int]] = field(default_factory=dict)  # center id -> mentor ids
    students: dict[int, list[int]] = field(default_factory=dict)  # center id -> student ids
    heads: dict[int, int] = field(default_factory=dict)
    lessons: dict[int, list[int]] = field(default_factory=dict)  # course id -> lesson ids in order
    certifications: list[tuple[int, int]] = field(default_factory=list)  # (id, provider id)
    counts: dict[str, int] = field(default_factory=dict)

    def ids(self, model, count: int) -> range:
        """`count` fresh primary keys for `model`'s table, after those already used."""
        table = model.__table__.name
        if table not in self.next_ids:
            self.next_ids[table] = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
        start = self.next_ids[table]
        self.next_ids[table] = start + count
        return range(start, start + count)

    def wrote(self, table: str, count: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + count


def center_slug(number: int) -> str:
    return f"scale-{number:02d}"


def build_scale(size: "str | Scale", today: date | None = None) -> dict[str, int] | None:
    """Create the data set of `size`; None when it is already there (nothing changes)."""
    scale = SCALES[size] if isinstance(size, str) else size
    if db.session.scalar(sa.select(Center.id).where(Center.slug == center_slug(1))):
        return None
    plan = Plan(scale, today or date.today(), utcnow(), random.Random(SEED))
    try:
        sync_catalog()
        if find_user_by_email(ADMIN_EMAIL) is None:
            _create_admin(hash_password(DEMO_PASSWORD))
        db.session.flush()
        _write_catalog(plan)
        _write_people(plan, hash_password(DEMO_PASSWORD))
        scale_activity.write_activity(plan, write_cohorts(plan))
        rebuild()  # history was copied in bulk, past the services that keep summaries
        _fix_sequences(plan)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    refresh_statistics()
    return plan.counts


def _write_catalog(plan: Plan) -> None:
    scale = plan.scale
    track_ids = db.session.scalars(sa.select(Track.id).order_by(Track.id)).all()
    course_ids = plan.ids(Course, scale.courses)
    levels, audiences = ["beginner", "intermediate", "advanced"], ["school", "university", "any"]
    plan.wrote("courses", insert_rows(Course, (
        "id", "code", "title", "track_id", "level", "audience", "description", "estimated_hours",
        "is_published", "created_at"), (
        (cid, f"SC-{n:03d}", f"Курс навантаження {n:03d}", track_ids[n % len(track_ids)],
         levels[n % 3], audiences[n % 3], "", 30, True, plan.now)
        for n, cid in enumerate(course_ids, start=1))))
    module_rows, lesson_rows = [], []
    module_ids = iter(plan.ids(CourseModule, scale.courses * scale.modules_per_course))
    lesson_ids = iter(plan.ids(Lesson, scale.courses * scale.modules_per_course * scale.lessons_per_module))
    kinds = ["lesson", "lab", "lesson", "project", "quiz"]
    for cid in course_ids:
        plan.lessons[cid] = []
        for m in range(1, scale.modules_per_course + 1):
            mid = next(module_ids)
            module_rows.append((mid, cid, m, f"Модуль {m}"))
            for position in range(1, scale.lessons_per_module + 1):
                lid = next(lesson_ids)
                kind = kinds[(position - 1) % len(kinds)]
                lesson_rows.append((lid, mid, position, f"Заняття {m}.{position}", kind,
                                    100 if kind == "quiz" else None, True, False))
                plan.lessons[cid].append(lid)
    plan.wrote("course_modules", insert_rows(CourseModule, ("id", "course_id", "position", "title"), module_rows))
    plan.wrote("lessons", insert_rows(Lesson, (
        "id", "module_id", "position", "title", "kind", "max_score", "is_required", "is_retired"), lesson_rows))
    plan.certifications = [tuple(r) for r in db.session.execute(
        sa.select(Certification.id, Certification.provider_id).order_by(Certification.id))]


def _write_people(plan: Plan, password_hash: str) -> None:
    scale = plan.scale
    center_ids = plan.ids(Center, scale.centers)
    plan.wrote("centers", insert_rows(Center, ("id", "slug", "name", "city", "region", "cluster", "is_active", "created_at"), (
        (cid, center_slug(n), f"Ресурсний центр №{n:02d}", f"Місто {n:02d}", "Донецька область",
         "Scale IT Cluster", True, plan.now) for n, cid in enumerate(center_ids, start=1))))
    plan.centers = list(center_ids)
    users, profiles = [], []
    per_center = 1 + scale.mentors_per_center + scale.students_per_center
    user_ids = iter(plan.ids(User, per_center * scale.centers))
    for n, cid in enumerate(center_ids, start=1):
        domain = f"{center_slug(n)}.demo.example"
        plan.heads[cid] = head = next(user_ids)
        users.append((head, f"head@{domain}", f"Керівник центру {n:02d}", "head", cid))
        plan.mentors[cid] = [next(user_ids) for _ in range(scale.mentors_per_center)]
        users += [(uid, f"mentor{i:03d}@{domain}", f"Ментор {n:02d}-{i:03d}", "mentor", cid)
                  for i, uid in enumerate(plan.mentors[cid], start=1)]
        plan.students[cid] = [next(user_ids) for _ in range(scale.students_per_center)]
        for i, uid in enumerate(plan.students[cid], start=1):
            users.append((uid, f"student{i:05d}@{domain}", f"Студент {n:02d}-{i:05d}", "student", cid))
            profiles.append(_profile(plan, uid))
    plan.wrote("users", insert_rows(User, (
        "id", "email", "full_name", "role", "center_id", "locale", "is_active", "password_hash",
        "session_version", "created_at"),
        ((*u, "uk", True, password_hash, 1, plan.now) for u in users)))
    plan.wrote("student_profiles", insert_rows(StudentProfile, (
        "user_id", "date_of_birth", "sex", "disability", "displaced", "settlement", "learner_type",
        "institution", "grade", "guardian_consent_on", "archived_at"), profiles))


def _profile(plan: Plan, user_id: int) -> tuple:
    rng = plan.rng
    age_days = rng.randint(11 * 365, 31 * 365)
    born = plan.today - timedelta(days=age_days)
    learner = LearnerType.SCHOOL if age_days < 17 * 365 else rng.choice(
        [LearnerType.UNIVERSITY, LearnerType.UNIVERSITY, LearnerType.OTHER])
    return (user_id, born,
            rng.choices([Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.NOT_STATED], [46, 48, 1, 5])[0],
            rng.choices([YesNo.YES, YesNo.NO, YesNo.NOT_STATED], [4, 86, 10])[0],
            rng.choices([YesNo.YES, YesNo.NO, YesNo.NOT_STATED], [22, 70, 8])[0],
            rng.choice([Settlement.URBAN, Settlement.URBAN, Settlement.RURAL]),
            learner, "Ліцей №1" if learner == LearnerType.SCHOOL else "ДДМА", None,
            born + timedelta(days=16 * 365) if age_days < 16 * 365 and rng.random() < 0.8 else None,
            plan.now - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.02 else None)


def write_cohorts(plan: Plan) -> dict[int, tuple]:
    """Cohorts per center with mentors; returns id -> (center, course, status, start, end)."""
    scale, rng, today = plan.scale, plan.rng, plan.today
    courses = list(plan.lessons)
    cohorts, links = {}, []
    ids = iter(plan.ids(Cohort, scale.centers * scale.cohorts_per_center))
    for cid in plan.centers:
        for n in range(scale.cohorts_per_center):
            cohort_id = next(ids)
            status = ("finished", "running", "finished", "finished", "planned")[n % 5]
            if status == "finished":
                start = today - timedelta(days=rng.randint(200, 700))
            elif status == "running":
                start = today - timedelta(days=rng.randint(14, 120))
            else:
                start = today + timedelta(days=rng.randint(7, 60))
            cohorts[cohort_id] = (cid, courses[(cohort_id * 7) % len(courses)], status, start,
                                  start + timedelta(days=150))
            mentors = plan.mentors[cid]
            links += [(cohort_id, m) for m in {mentors[n % len(mentors)], mentors[(n * 3 + 1) % len(mentors)]}]
    plan.wrote("cohorts", insert_rows(Cohort, (
        "id", "center_id", "course_id", "name", "start_date", "end_date", "schedule", "capacity",
        "status", "created_at"), (
        (k, c, course, f"Група {k}", start, end, "Пн, Ср 16:00", 400, status, plan.now)
        for k, (c, course, status, start, end) in cohorts.items())))
    plan.wrote("cohort_mentors", insert_rows(cohort_mentors, ("cohort_id", "mentor_id"), links))
    # Running cohorts meet on Monday and Wednesday, as their schedule notes say. (Times as text in
    # SQLAlchemy's SQLite form, which PostgreSQL's COPY reads too: the bulk path binds raw values.)
    plan.wrote("timetable_slots", insert_rows(TimetableSlot, (
        "cohort_id", "weekday", "starts_at", "ends_at", "place"), (
        (k, day, "16:00:00.000000", "17:30:00.000000", f"Аудиторія {100 + k % 20}")
        for k, (_c, _course, status, _start, _end) in cohorts.items() if status == "running"
        for day in (0, 2))))
    return cohorts


def _fix_sequences(plan: Plan) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the new rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in plan.next_ids:
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))"))


def refresh_statistics() -> None:
    """Fresh planner statistics after millions of new rows, and (PostgreSQL) the visibility map
    that index-only scans need: without VACUUM they fetch every row from the heap again."""
    if db.session.get_bind().dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
