"""The gradebook over HTTP: changed cells only, per-cell errors, conflicts, bulk, completion."""
import re
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import Enrollment, EnrollmentStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.progress import services
from lms.progress.forms import original
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus
from lms.progress.queries import GRID_STUDENTS_PER_PAGE
from lms.users.models import Role
from tests.factories import count, enroll, make_cohort, make_course, make_progress, make_user


def lessons_of(course):
    return [lesson for module in course.modules for lesson in module.lessons]


def page_form(client, cohort_id) -> dict:
    """Every field of the gradebook form as the browser would post it unchanged."""
    page = client.get(f"/gradebook/{cohort_id}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(o-[\d-]+)" value="([^"]*)"', page))
    for name, value in re.findall(r'name="([nf]-[\d-]+)" value="([^"]*)"', page):
        fields[name] = value
    for name, body in re.findall(r'<select id="[^"]+" name="(s-[\d-]+)"[^>]*>(.*?)</select>', page, re.S):
        fields[name] = re.search(r'<option value="([^"]+)" selected', body).group(1)
    return fields


def test_only_changed_cells_are_written_with_events_and_audit(client, login, world):
    login(world.a.mentor)
    fields = page_form(client, world.a.cohort.id)
    first, second = lessons_of(world.course)[:2]
    fields[f"s-{world.a.enrollment.id}-{first.id}"] = "completed"
    fields[f"n-{world.a.enrollment.id}-{first.id}"] = "9"
    fields[f"f-{world.a.enrollment.id}-{second.id}"] = "Гарна робота"
    response = client.post(f"/gradebook/{world.a.cohort.id}", data=fields)
    assert response.status_code == 302
    rows = db.session.scalars(sa.select(LessonProgress).order_by(LessonProgress.lesson_id)).all()
    assert [(r.lesson_id, r.status, r.score, r.feedback, r.version) for r in rows] == [
        (first.id, ProgressStatus.COMPLETED, 9, "", 1),
        (second.id, ProgressStatus.NOT_STARTED, None, "Гарна робота", 1)]
    assert count(ProgressEvent) == 2
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "progress.set")) == 2
    client.post(f"/gradebook/{world.a.cohort.id}", data=page_form(client, world.a.cohort.id))
    assert count(ProgressEvent) == 2  # an unchanged grid writes nothing


def test_a_score_over_the_maximum_is_refused_next_to_the_cell(client, login, world):
    world.a.mentor.locale = "en"
    db.session.commit()
    login(world.a.mentor)
    fields = page_form(client, world.a.cohort.id)
    lesson_a, lesson_b = lessons_of(world.course)[:2]
    fields[f"n-{world.a.enrollment.id}-{lesson_a.id}"] = "11"  # max 10
    fields[f"s-{world.a.enrollment.id}-{lesson_b.id}"] = "completed"  # valid, but not written
    fields[f"n-{world.a.enrollment.id}-{lesson_b.id}"] = "abc"
    response = client.post(f"/gradebook/{world.a.cohort.id}", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The score must be between 0 and 10." in page and "Enter a whole number." in page
    assert f'id="e-{world.a.enrollment.id}-{lesson_a.id}"' in page
    assert count(LessonProgress) == 0 and count(ProgressEvent) == 0


def test_a_cell_changed_meanwhile_is_a_conflict_and_keeps_the_other_value(app, client, login, world):
    lesson = lessons_of(world.course)[0]
    key = f"{world.a.enrollment.id}-{lesson.id}"
    login(world.a.mentor)
    stale = page_form(client, world.a.cohort.id)
    head = app.test_client()
    head.post("/auth/login", data={"email": world.a.head.email, "password": "correct-horse-battery"})
    theirs = page_form(head, world.a.cohort.id)
    theirs[f"s-{key}"], theirs[f"n-{key}"] = "completed", "10"
    assert head.post(f"/gradebook/{world.a.cohort.id}", data=theirs).status_code == 302

    stale[f"s-{key}"], stale[f"n-{key}"] = "in_progress", "3"
    response = client.post(f"/gradebook/{world.a.cohort.id}", data=stale, follow_redirects=True)
    assert world.a.student.full_name in response.get_data(as_text=True)
    row = db.session.scalars(sa.select(LessonProgress)).one()
    assert (row.status, row.score, row.version, row.updated_by_id) == (
        ProgressStatus.COMPLETED, 10, 1, world.a.head.id)


def test_access_follows_teaching(client, login, world):
    login(world.a.other_mentor)  # same center, does not teach the cohort
    assert client.get(f"/gradebook/{world.a.cohort.id}").status_code == 403
    client.post("/auth/logout")
    login(world.a.head)
    assert client.get(f"/gradebook/{world.a.cohort.id}").status_code == 200
    assert client.get(f"/gradebook/{world.b.cohort.id}").status_code == 404


def test_foreign_cells_in_the_post_are_ignored(client, login, world):
    login(world.a.mentor)
    fields = page_form(client, world.a.cohort.id)
    lesson = lessons_of(world.course)[0]
    foreign = f"{world.b.enrollment.id}-{lesson.id}"
    fields.update({f"o-{foreign}": original(None), f"s-{foreign}": "completed"})
    client.post(f"/gradebook/{world.a.cohort.id}", data=fields)
    assert count(LessonProgress) == 0


def test_completion_is_derived_from_required_lessons(client, login, world):
    login(world.a.mentor)
    fields = page_form(client, world.a.cohort.id)
    for lesson in lessons_of(world.course):
        fields[f"s-{world.a.enrollment.id}-{lesson.id}"] = "completed"
    client.post(f"/gradebook/{world.a.cohort.id}", data=fields)
    enrollment = db.session.get(Enrollment, world.a.enrollment.id, populate_existing=True)
    assert enrollment.status == EnrollmentStatus.COMPLETED and enrollment.completed_on == date.today()
    fields = page_form(client, world.a.cohort.id)
    fields[f"s-{world.a.enrollment.id}-{lessons_of(world.course)[0].id}"] = "in_progress"
    client.post(f"/gradebook/{world.a.cohort.id}", data=fields)
    enrollment = db.session.get(Enrollment, world.a.enrollment.id, populate_existing=True)
    assert enrollment.status == EnrollmentStatus.ACTIVE and enrollment.completed_on is None


def test_bulk_completes_a_lesson_for_everyone_present(client, login, world):
    session = ClassSession(cohort_id=world.a.cohort.id, held_on=date.today(), topic="Sensors")
    db.session.add(session)
    db.session.flush()
    minor_enrollment = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.student_id == world.a.minor.id)).one()
    db.session.add_all([
        Attendance(session_id=session.id, enrollment_id=world.a.enrollment.id,
                   status=AttendanceStatus.LATE),
        Attendance(session_id=session.id, enrollment_id=minor_enrollment.id,
                   status=AttendanceStatus.ABSENT)])
    db.session.commit()
    lesson = lessons_of(world.course)[2]
    login(world.a.mentor)
    response = client.post(f"/gradebook/{world.a.cohort.id}/bulk",
                           data={"lesson_id": str(lesson.id), "session_id": str(session.id)})
    assert response.status_code == 302
    rows = db.session.scalars(sa.select(LessonProgress)).all()
    assert [(r.enrollment_id, r.lesson_id, r.status) for r in rows] == [
        (world.a.enrollment.id, lesson.id, ProgressStatus.COMPLETED)]
    other = client.post(f"/gradebook/{world.a.cohort.id}/bulk",
                        data={"lesson_id": str(lesson.id), "session_id": "999999"})
    assert other.status_code == 422
    assert 'aria-invalid="true"' in other.get_data(as_text=True)  # next to the session field


def big_cohort(world, students: int, lessons: int):
    course = make_course(modules=4, lessons_per_module=lessons // 4)
    cohort = make_cohort(world.a.center, course, mentors=[world.a.mentor])
    for _ in range(students):
        enroll(make_user(Role.STUDENT, world.a.center), cohort)
    return cohort


def test_forty_by_forty_saves_in_one_request_with_bounded_statements(client, login, world,
                                                                     count_queries):
    cohort = big_cohort(world, 40, 40)
    login(world.a.mentor)
    fields = page_form(client, cohort.id)
    cells = [name[2:] for name in fields if name.startswith("s-")]
    assert len(cells) == 1600
    for key in cells:
        fields[f"s-{key}"], fields[f"n-{key}"] = "completed", "7"
    with count_queries() as statements:
        response = client.post(f"/gradebook/{cohort.id}", data=fields)
    assert response.status_code == 302
    assert count(LessonProgress) == 1600 and count(ProgressEvent) == 1600
    assert len(statements) <= 40, "\n".join(s[:80] for s in statements)
    for key in cells[:800]:
        fields[f"s-{key}"] = "completed"
    fields = page_form(client, cohort.id)
    for key in cells:
        fields[f"n-{key}"] = "8"
    with count_queries() as statements:
        assert client.post(f"/gradebook/{cohort.id}", data=fields).status_code == 302
    assert len(statements) <= 40, len(statements)
    assert set(db.session.scalars(sa.select(LessonProgress.version))) == {2}


def test_grid_page_statements_do_not_grow(client, login, world, count_queries):
    login(world.a.mentor)

    def statements(cohort_id) -> int:
        with count_queries() as sent:
            assert client.get(f"/gradebook/{cohort_id}").status_code == 200
        return len(sent)

    small = statements(world.a.cohort.id)
    large = statements(big_cohort(world, 12, 12).id)
    assert small == large and large <= 12, (small, large)


@pytest.mark.real_commits
@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.parametrize("existing", [False, True], ids=["new cell", "existing cell"])
def test_two_connections_saving_the_same_cell(app, world, existing):
    """PostgreSQL: both read the same version of a cell; exactly one write wins."""
    lesson = lessons_of(world.course)[0]
    version = 0
    if existing:
        make_progress(world.a.enrollment, lesson, status=ProgressStatus.IN_PROGRESS)
        version = 1
    cohort_id, enrollment_id, lesson_id = world.a.cohort.id, world.a.enrollment.id, lesson.id
    actor_ids = [world.a.mentor.id, world.a.head.id]
    db.session.remove()
    barrier, results = threading.Barrier(2), []

    def save(actor_id, score):
        with app.app_context():
            from lms.cohorts.models import Cohort
            from lms.users.models import User

            cohort, actor = db.session.get(Cohort, cohort_id), db.session.get(User, actor_id)
            edit = services.CellEdit(enrollment_id, lesson_id, version, ProgressStatus.COMPLETED,
                                     score)
            barrier.wait()
            result = services.save_cells(cohort, [edit], actor)
            db.session.commit()
            results.append((score, result.written, result.conflicts))
            db.session.remove()

    threads = [threading.Thread(target=save, args=(a, s)) for a, s in zip(actor_ids, (5, 9))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [r for r in results if r[1]]
    losers = [r for r in results if r[2]]
    assert len(winners) == 1 and len(losers) == 1
    row = db.session.scalars(sa.select(LessonProgress)).one()
    assert row.score == winners[0][0] and row.version == version + 1
    assert count(ProgressEvent) == 1


def test_a_large_cohort_is_paged_and_a_save_stays_on_its_page(client, login, world):
    for _ in range(GRID_STUDENTS_PER_PAGE):
        enroll(make_user(Role.STUDENT, world.a.center), world.a.cohort)
    db.session.commit()
    login(world.a.mentor)
    first = client.get(f"/gradebook/{world.a.cohort.id}").get_data(as_text=True)
    second = client.get(f"/gradebook/{world.a.cohort.id}?page=2").get_data(as_text=True)
    enrolled = db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment)
                                 .where(Enrollment.cohort_id == world.a.cohort.id))
    assert first.count('<th scope="row"') == GRID_STUDENTS_PER_PAGE
    assert second.count('<th scope="row"') == enrolled - GRID_STUDENTS_PER_PAGE > 0
    fields = page_form(client, world.a.cohort.id)
    key = next(name[2:] for name in fields if name.startswith("s-"))
    fields[f"s-{key}"] = "completed"
    client.post(f"/gradebook/{world.a.cohort.id}?page=2", data=fields)
    assert count(LessonProgress) == 0  # page 1's cells are not part of page 2's grid
    response = client.post(f"/gradebook/{world.a.cohort.id}?page=1", data=fields)
    assert response.status_code == 302 and response.location.endswith("page=1")
    assert count(LessonProgress) == 1
