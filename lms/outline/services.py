"""A course outline: modules and lessons, their order, and retiring lessons.

Positions are dense (1..n) and unique per course (modules) and per module (lessons); the
database enforces uniqueness. Every change of order first locks the course row (FOR UPDATE on
PostgreSQL; SQLite has one writer at a time), then re-reads the positions, so two admins
reordering the same course at once are serialised instead of producing gaps or duplicates.
Progress rows reference lessons by id, so moving a lesson never touches anyone's progress.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from lms.catalog.models import Course, CourseModule, Lesson
from lms.catalog.services import snapshot
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.progress.models import LessonProgress
from lms.progress.services import refresh_completion

LESSON_FIELDS = ("title", "kind", "max_score", "is_required")
UP, DOWN = "up", "down"


def outline(course_id: int) -> list[CourseModule]:
    """The course's modules with all their lessons (retired ones too), in order."""
    return list(db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == course_id)
        .options(selectinload(CourseModule.lessons)).order_by(CourseModule.position)))


def lock_course(course_id: int) -> Course:
    """Lock the course row until commit: the one lock every reorder of its outline takes."""
    return db.session.scalars(sa.select(Course).where(Course.id == course_id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def _fresh_outline(course_id: int) -> list[CourseModule]:
    """The outline as committed, read after taking the lock (not from the identity map)."""
    return list(db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == course_id)
        .options(selectinload(CourseModule.lessons))
        .order_by(CourseModule.position).execution_options(populate_existing=True)))


def _renumber(rows_by_parent: dict[int, list], parent_attr: str) -> list:
    """Write dense positions 1..n for each parent's rows in the given order; rows whose place
    changes first move to unique negative positions so no step breaks the unique constraint."""
    changed = [(row, parent, number) for parent, rows in rows_by_parent.items()
               for number, row in enumerate(rows, start=1)
               if (getattr(row, parent_attr), row.position) != (parent, number)]
    for temporary, (row, _parent, _number) in enumerate(changed, start=1):
        row.position = -temporary
    db.session.flush()
    for row, parent, number in changed:
        setattr(row, parent_attr, parent)
        row.position = number
    db.session.flush()
    return [row for row, _parent, _number in changed]


def _clamp(position: int | None, count: int) -> int:
    """A wanted position within 1..count (None: the end)."""
    return count if position is None else max(1, min(position, count))


# --- modules --------------------------------------------------------------------------

def add_module(course: Course, title: str, actor) -> CourseModule:
    """Append a module to the course."""
    lock_course(course.id)
    modules = _fresh_outline(course.id)
    module = CourseModule(course_id=course.id, title=title, position=len(modules) + 1)
    db.session.add(module)
    db.session.flush()
    record("module.create", module, after={"course_id": course.id, "title": title,
                                           "position": module.position}, actor=actor)
    return module


def edit_module(module: CourseModule, title: str, position: int | None, actor) -> None:
    """Rename a module and/or move it to another position in its course."""
    lock_course(module.course_id)
    db.session.refresh(module)
    before = {"title": module.title, "position": module.position}
    module.title = title
    if position is not None:
        place_module(module, position, actor, audit=False)
    after = {"title": module.title, "position": module.position}
    if before != after:
        record("module.update", module, before=before, after=after, actor=actor)


def place_module(module: CourseModule, position: int, actor, audit: bool = True) -> None:
    """Move a module to `position` (clamped) in its course, keeping positions dense."""
    lock_course(module.course_id)
    modules = _fresh_outline(module.course_id)
    before = module.position
    order = [m for m in modules if m.id != module.id]
    order.insert(_clamp(position, len(modules)) - 1, module)
    _renumber({module.course_id: order}, "course_id")
    if audit and module.position != before:
        record("module.move", module, before={"position": before},
               after={"position": module.position}, actor=actor)


def step_module(module: CourseModule, direction: str, actor) -> None:
    """Move a module one place up or down (nothing happens at either end)."""
    lock_course(module.course_id)
    db.session.refresh(module)
    place_module(module, module.position + (-1 if direction == UP else 1), actor)


# --- lessons --------------------------------------------------------------------------

def add_lesson(module: CourseModule, data: dict, actor) -> Lesson:
    """Append a lesson to a module; a required one changes completion of running cohorts."""
    lock_course(module.course_id)
    module = next(m for m in _fresh_outline(module.course_id) if m.id == module.id)
    lesson = Lesson(module_id=module.id, position=len(module.lessons) + 1,
                    **{name: data[name] for name in LESSON_FIELDS})
    db.session.add(lesson)
    db.session.flush()
    record("lesson.create", lesson, after={**snapshot(lesson, LESSON_FIELDS),
                                           "module_id": module.id, "position": lesson.position},
           actor=actor)
    if lesson.is_required:
        refresh_running_cohorts(module.course_id, actor)
    return lesson


def edit_lesson(lesson: Lesson, data: dict, module_id: int, position: int | None,
                actor) -> None:
    """Change a lesson's fields, and its place (another module of the same course too)."""
    lock_course(_course_of(lesson))
    db.session.refresh(lesson)
    _check_max_score(lesson, data["max_score"])
    before = {**snapshot(lesson, LESSON_FIELDS), "module_id": lesson.module_id,
              "position": lesson.position}
    for name in LESSON_FIELDS:
        setattr(lesson, name, data[name])
    if module_id != lesson.module_id or position is not None:
        place_lesson(lesson, module_id, position, actor, audit=False)
    after = {**snapshot(lesson, LESSON_FIELDS), "module_id": lesson.module_id,
             "position": lesson.position}
    if before != after:
        record("lesson.update", lesson, before=before, after=after, actor=actor)
    if before["is_required"] != after["is_required"]:
        refresh_running_cohorts(lesson.module.course_id, actor)


def _check_max_score(lesson: Lesson, max_score: int | None) -> None:
    """Recorded scores stay valid: the maximum cannot drop below the best score given."""
    best = db.session.scalar(sa.select(sa.func.max(LessonProgress.score))
                             .where(LessonProgress.lesson_id == lesson.id))
    if best is None:
        return
    if max_score is None:
        raise Refused(_l("Scores up to %(best)d are recorded for this lesson; it needs a "
                         "maximum score.", best=best), "max_score")
    if max_score < best:
        raise Refused(_l("A score of %(best)d is recorded for this lesson; the maximum cannot "
                         "be lower.", best=best), "max_score")


def place_lesson(lesson: Lesson, module_id: int, position: int | None, actor,
                 audit: bool = True) -> None:
    """Put a lesson at `position` (clamped; None: the end) of a module of its course."""
    course_id = _course_of(lesson)
    lock_course(course_id)
    modules = {m.id: m for m in _fresh_outline(course_id)}
    if module_id not in modules:
        raise Refused(_l("Choose a module of this course."), "module_id")
    before = {"module_id": lesson.module_id, "position": lesson.position}
    orders = {mid: [item for item in m.lessons if item.id != lesson.id]
              for mid, m in modules.items()}
    target = orders[module_id]
    target.insert(_clamp(position, len(target) + 1) - 1, lesson)
    _renumber(orders, "module_id")
    after = {"module_id": lesson.module_id, "position": lesson.position}
    if audit and before != after:
        record("lesson.move", lesson, before=before, after=after, actor=actor)


def _course_of(lesson: Lesson) -> int:
    return db.session.scalar(sa.select(CourseModule.course_id)
                             .where(CourseModule.id == lesson.module_id))


def step_lesson(lesson: Lesson, direction: str, actor) -> None:
    """Move a lesson one place up or down within its module (nothing happens at either end)."""
    lock_course(_course_of(lesson))
    db.session.refresh(lesson)
    wanted = lesson.position + (-1 if direction == UP else 1)
    if wanted >= 1:
        place_lesson(lesson, lesson.module_id, wanted, actor)


def set_retired(lesson: Lesson, retired: bool, actor) -> None:
    """Retire (or reinstate) a lesson. Its progress rows stay and show in history; a retired
    lesson is no longer offered for new work nor counted for completion of running cohorts."""
    if lesson.is_retired == retired:
        message = _l("The lesson is already retired.") if retired else \
            _l("The lesson is not retired.")
        raise Refused(message)
    lesson.is_retired = retired
    record("lesson.retire" if retired else "lesson.reinstate", lesson,
           before={"is_retired": not retired}, after={"is_retired": retired}, actor=actor)
    refresh_running_cohorts(lesson.module.course_id, actor)


def refresh_running_cohorts(course_id: int, actor) -> None:
    """Derive completion again for the course's planned and running cohorts; finished cohorts
    keep the completions they ended with."""
    db.session.flush()
    ids = set(db.session.scalars(
        sa.select(Enrollment.id).join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.course_id == course_id, Cohort.status != CohortStatus.FINISHED,
               Enrollment.status != EnrollmentStatus.WITHDRAWN)))
    refresh_completion(ids, actor)
