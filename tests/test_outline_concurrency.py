"""Two admins reordering the same course at the same moment: positions stay dense and unique.

PostgreSQL only: each thread has its own app context, session and connection, like two
concurrent requests. Every reorder locks the course row first (SELECT … FOR UPDATE), so the
second waits, then re-reads the positions the first one committed.
"""
import threading

import pytest
import sqlalchemy as sa

from lms.catalog.models import CourseModule, Lesson
from lms.core.extensions import db
from lms.outline import services as outline
from lms.users.models import Role, User
from tests.factories import make_course, make_user

ROUNDS = 10
TIMEOUT = 30


# Threads and several connections: real commits, emptied afterwards.
pytestmark = [pytest.mark.real_commits, pytest.mark.usefixtures("postgresql_only")]


def in_own_context(app, action, start: threading.Barrier, outcome: dict) -> None:
    """What one request does: wait for the other, act, commit."""
    try:
        with app.app_context():
            try:
                start.wait(TIMEOUT)
                action()
                db.session.commit()
            finally:
                db.session.remove()
    except BaseException as unexpected:  # noqa: BLE001 — reported by the test, not lost
        outcome["unexpected"] = unexpected


def race(app, *actions) -> None:
    start = threading.Barrier(len(actions))
    outcomes = [{} for _ in actions]
    threads = [threading.Thread(target=in_own_context, args=(app, action, start, outcome),
                                daemon=True) for action, outcome in zip(actions, outcomes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a reorder hung"
    for outcome in outcomes:
        assert "unexpected" not in outcome, repr(outcome["unexpected"])


def lesson_positions(module_id: int) -> list[tuple[int, int]]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(Lesson.id, Lesson.position)
                                   .where(Lesson.module_id == module_id)
                                   .order_by(Lesson.position)).tuples())


def test_concurrent_lesson_moves_keep_positions_dense_and_unique(app):
    course = make_course(modules=2, lessons_per_module=6)
    admin_id = make_user(Role.ADMIN).id
    first, second = (m.id for m in course.modules)
    lessons = [lesson.id for lesson in course.modules[0].lessons]

    def step(lesson_id, direction):
        return lambda: outline.step_lesson(db.session.get(Lesson, lesson_id), direction,
                                           db.session.get(User, admin_id))

    def move_across(lesson_id, module_id):
        return lambda: outline.place_lesson(db.session.get(Lesson, lesson_id), module_id, 1,
                                            db.session.get(User, admin_id))

    for round_ in range(ROUNDS):
        a, b = lessons[round_ % 6], lessons[(round_ + 3) % 6]
        race(app, step(a, "down"), step(b, "up"))
        race(app, move_across(a, second), move_across(b, second))
        race(app, move_across(a, first), move_across(b, first))
        for module_id in (first, second):
            numbers = [position for _id, position in lesson_positions(module_id)]
            assert numbers == list(range(1, len(numbers) + 1)), (round_, module_id, numbers)
    assert sorted(i for i, _p in lesson_positions(first)) == sorted(lessons)


def test_concurrent_module_moves_keep_positions_dense_and_unique(app):
    course = make_course(modules=5, lessons_per_module=1)
    admin_id = make_user(Role.ADMIN).id
    modules = [m.id for m in course.modules]

    def step(module_id, direction):
        return lambda: outline.step_module(db.session.get(CourseModule, module_id), direction,
                                           db.session.get(User, admin_id))

    for round_ in range(ROUNDS):
        race(app, step(modules[round_ % 5], "down"), step(modules[(round_ + 2) % 5], "up"))
        db.session.expire_all()
        numbers = list(db.session.scalars(sa.select(CourseModule.position)
                                          .where(CourseModule.course_id == course.id)
                                          .order_by(CourseModule.position)))
        assert numbers == [1, 2, 3, 4, 5], (round_, numbers)
