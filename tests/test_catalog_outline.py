"""A course outline in the admin catalog: modules and lessons, their order, retiring lessons."""
import pytest
import sqlalchemy as sa

from lms.catalog.models import CourseModule, Lesson
from lms.cohorts.models import CohortStatus, Enrollment, EnrollmentStatus
from lms.core.extensions import db
from lms.progress import services as progress
from lms.progress.models import LessonProgress, ProgressStatus
from lms.progress.queries import grid as gradebook_grid
from lms.users.models import Role
from tests.factories import audit, enroll, make_cohort, make_course, make_progress, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

BASE = "/admin/catalog"


@pytest.fixture
def admin(world, login):
    login(world.admin)
    return world.admin


def positions(course_id: int) -> dict[str, list[tuple[str, int]]]:
    """{module title: [(lesson title, position)]} in order, plus the modules' own positions."""
    db.session.expire_all()
    modules = db.session.scalars(sa.select(CourseModule).where(CourseModule.course_id == course_id)
                                 .order_by(CourseModule.position)).all()
    return {f"{m.position}:{m.title}": [(lesson.title, lesson.position) for lesson in m.lessons]
            for m in modules}


def assert_dense(course_id: int) -> None:
    db.session.expire_all()
    modules = db.session.scalars(sa.select(CourseModule).where(CourseModule.course_id == course_id)
                                 .order_by(CourseModule.position)).all()
    assert [m.position for m in modules] == list(range(1, len(modules) + 1))
    for module in modules:
        assert [lesson.position for lesson in module.lessons] == \
            list(range(1, len(module.lessons) + 1))


def progress_rows() -> set[tuple]:
    db.session.expire_all()
    return set(db.session.execute(sa.select(
        LessonProgress.id, LessonProgress.enrollment_id, LessonProgress.lesson_id,
        LessonProgress.status, LessonProgress.score)).tuples())


def test_add_rename_and_reorder_modules(client, admin, world):
    course = world.course
    assert client.post(f"{BASE}/courses/{course.id}/modules", data={"title": "Sensors"}
                       ).status_code == 302
    assert client.post(f"{BASE}/courses/{course.id}/modules", data={"title": ""}).status_code == 422
    new = db.session.scalars(sa.select(CourseModule).filter_by(title="Sensors")).one()
    assert new.position == 3
    client.post(f"{BASE}/modules/{new.id}/move/up")
    assert list(positions(course.id)) == ["1:Module 1", "2:Sensors", "3:Module 2"]
    client.post(f"{BASE}/modules/{new.id}", data={"title": "Sensors and motors", "position": "1"})
    assert list(positions(course.id)) == ["1:Sensors and motors", "2:Module 1", "3:Module 2"]
    client.post(f"{BASE}/modules/{new.id}/move/up")  # already first: nothing changes
    client.post(f"{BASE}/modules/{new.id}", data={"title": "Sensors and motors", "position": "99"})
    assert list(positions(course.id))[-1] == "3:Sensors and motors"
    assert_dense(course.id)
    update = audit("module.update")[0]
    assert update.before == {"title": "Sensors", "position": 2}
    assert update.after == {"title": "Sensors and motors", "position": 1}
    assert [(e.before, e.after) for e in audit("module.move")] == [
        ({"position": 3}, {"position": 2})]


def test_reordering_and_moving_lessons_keeps_progress(client, admin, world):
    course = world.course
    first, second = course.modules
    lesson = first.lessons[0]
    make_progress(world.a.enrollment, lesson, score=9)
    make_progress(world.a.enrollment, first.lessons[2], status=ProgressStatus.IN_PROGRESS)
    rows = progress_rows()

    client.post(f"{BASE}/lessons/{lesson.id}/move/down")
    assert positions(course.id)["1:Module 1"] == [("Lesson 1.2", 1), ("Lesson 1.1", 2),
                                                  ("Lesson 1.3", 3)]
    client.post(f"{BASE}/lessons/{lesson.id}", data={
        "title": "Lesson 1.1", "kind": "lab", "max_score": "10", "is_required": "y",
        "module_id": str(second.id), "position": "2"})
    outline = positions(course.id)
    assert outline["1:Module 1"] == [("Lesson 1.2", 1), ("Lesson 1.3", 2)]
    assert outline["2:Module 2"] == [("Lesson 2.1", 1), ("Lesson 1.1", 2), ("Lesson 2.2", 3),
                                     ("Lesson 2.3", 4)]
    assert progress_rows() == rows  # same rows, same lesson ids, same statuses and scores
    assert_dense(course.id)
    moved = audit("lesson.move")[0]
    assert (moved.before, moved.after) == ({"module_id": first.id, "position": 1},
                                           {"module_id": first.id, "position": 2})
    updated = audit("lesson.update")[0]
    assert updated.before["kind"] == "lesson" and updated.after["kind"] == "lab"
    assert (updated.before["module_id"], updated.after["module_id"]) == (first.id, second.id)


def test_a_lesson_cannot_move_to_another_course(client, admin, world):
    other = make_course(code="OTHER")
    lesson = world.course.modules[0].lessons[0]
    response = client.post(f"{BASE}/lessons/{lesson.id}", data={
        "title": "x", "kind": "lesson", "module_id": str(other.modules[0].id)})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).module_id == world.course.modules[0].id


def test_add_and_edit_lessons_with_checks(client, admin, world):
    module = world.course.modules[1]
    response = client.post(f"{BASE}/modules/{module.id}/lessons/new", data={
        "title": "Line follower", "kind": "project", "max_score": "20", "is_required": "y"})
    assert response.status_code == 302
    lesson = db.session.scalars(sa.select(Lesson).filter_by(title="Line follower")).one()
    assert (lesson.position, lesson.max_score, lesson.is_required) == (4, 20, True)
    assert audit("lesson.create")[0].after["position"] == 4

    bad = client.post(f"{BASE}/modules/{module.id}/lessons/new",
                      data={"title": "X", "kind": "essay", "max_score": "0"})
    assert bad.status_code == 422
    make_progress(world.a.enrollment, lesson, score=18)
    lower = client.post(f"{BASE}/lessons/{lesson.id}", data={
        "title": "Line follower", "kind": "project", "max_score": "15", "is_required": "y",
        "module_id": str(module.id)})
    assert lower.status_code == 422
    assert "cannot be lower" in lower.get_data(as_text=True) or \
        "не може" in lower.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).max_score == 20


def finish_all_but(enrollment, course, left: Lesson) -> None:
    for module in course.modules:
        for lesson in module.lessons:
            if lesson.id != left.id:
                make_progress(enrollment, lesson)


def status_of(enrollment_id: int) -> EnrollmentStatus:
    db.session.expire_all()
    return db.session.get(Enrollment, enrollment_id).status


def test_retiring_keeps_history_and_changes_completion_of_running_cohorts(client, admin, world):
    course = world.course
    left = course.modules[1].lessons[2]
    finished_cohort = make_cohort(world.a.center, course, status=CohortStatus.FINISHED)
    late = enroll(make_user(Role.STUDENT, world.a.center), finished_cohort)
    for enrollment in (world.a.enrollment, late):
        finish_all_but(enrollment, course, left)
    partial = make_progress(world.b.enrollment, left, score=4)
    rows = progress_rows()

    assert client.post(f"{BASE}/lessons/{left.id}/retire").status_code == 302
    assert status_of(world.a.enrollment.id) == EnrollmentStatus.COMPLETED  # running cohort
    assert status_of(late.id) == EnrollmentStatus.ACTIVE  # a finished cohort keeps its outcome
    assert progress_rows() == rows
    assert [(e.before, e.after) for e in audit("lesson.retire")] == [
        ({"is_retired": False}, {"is_retired": True})]
    assert audit("enrollment.derived")[0].object_id == world.a.enrollment.id

    # Hidden from new work: not in the gradebook, refused as a cell.
    grid = gradebook_grid(world.b.cohort)
    assert left.id not in {lesson.id for lesson in grid.lessons}
    edit = progress.CellEdit(world.b.enrollment.id, left.id, partial.version,
                             ProgressStatus.COMPLETED)
    assert progress.save_cells(world.b.cohort, [edit], world.b.mentor).errors
    db.session.rollback()

    again = client.post(f"{BASE}/lessons/{left.id}/retire")
    assert again.status_code == 422

    client.post(f"{BASE}/lessons/{left.id}/reinstate")
    assert status_of(world.a.enrollment.id) == EnrollmentStatus.ACTIVE
    assert progress_rows() == rows


def test_retired_lesson_with_progress_stays_in_the_students_history(client, login, world):
    lesson = world.course.modules[0].lessons[1]
    make_progress(world.a.enrollment, lesson, score=7, feedback="Neat wiring")
    other = world.course.modules[0].lessons[2]
    lesson.is_retired = other.is_retired = True
    db.session.commit()
    login(world.a.student)
    page = client.get(f"/learn/cohorts/{world.a.cohort.id}").get_data(as_text=True)
    assert "Lesson 1.2" in page and "Neat wiring" in page  # recorded: still shown
    assert "Lesson 1.3" not in page  # never started: hidden


def test_required_flag_and_new_required_lessons_refresh_completion(client, admin, world):
    course = world.course
    for module in course.modules:
        for lesson in module.lessons:
            make_progress(world.a.enrollment, lesson)
    progress.refresh_completion({world.a.enrollment.id})
    db.session.commit()
    assert status_of(world.a.enrollment.id) == EnrollmentStatus.COMPLETED
    client.post(f"{BASE}/modules/{course.modules[0].id}/lessons/new",
                data={"title": "Extra", "kind": "quiz", "is_required": "y"})
    assert status_of(world.a.enrollment.id) == EnrollmentStatus.ACTIVE
    extra = db.session.scalars(sa.select(Lesson).filter_by(title="Extra")).one()
    client.post(f"{BASE}/lessons/{extra.id}", data={
        "title": "Extra", "kind": "quiz", "module_id": str(extra.module_id)})  # not required
    assert status_of(world.a.enrollment.id) == EnrollmentStatus.COMPLETED


@pytest.mark.parametrize("language", ["uk", "en"])
def test_outline_and_forms_render_in_both_languages(client, admin, world, language):
    client.post("/language", data={"language": language})
    lesson = world.course.modules[0].lessons[0]
    lesson.is_retired = True
    db.session.commit()
    for url in (f"{BASE}/courses/{world.course.id}", f"{BASE}/courses/{world.course.id}/edit",
                f"{BASE}/modules/{world.course.modules[0].id}",
                f"{BASE}/modules/{world.course.modules[0].id}/lessons/new",
                f"{BASE}/lessons/{lesson.id}", f"{BASE}/certifications/new",
                f"{BASE}/certifications/{world.certification.id}", "/admin/centers/new"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'<html lang="{language}">' in page.get_data(as_text=True)


def test_outline_statements_do_not_grow(admin, world, page_statements):
    url = f"{BASE}/courses/{world.course.id}"
    small = page_statements(url)
    for position in range(3, 8):
        module = CourseModule(course_id=world.course.id, position=position, title=f"M{position}")
        db.session.add(module)
        for number in range(1, 6):
            db.session.add(Lesson(module=module, position=number, title=f"L{number}",
                                  kind="lesson", is_retired=number == 5))
    db.session.commit()
    large = page_statements(url)
    assert small == large, f"{small} statements before, {large} after"
    assert large <= 8
