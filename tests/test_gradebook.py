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
from tests import factories
from tests.factories import count, enroll, make_cohort, make_course, make_progress, make_user


def lessons_of(course):
    return [lesson for module in course.modules for lesson in module.lessons]


def page_form(client, cohort_id) -> dict:
    """Every cell of the grid as its script would post it, changed or not: what the page showed
    (o-), the status (s-) and the score (n-), read from each cell's data attributes."""
    page = client.get(f"/gradebook/{cohort_id}").get_data(as_text=True)
    fields = {}
    for key, shown, status, score in re.findall(
            r'data-cell="([\d-]+)"\s+data-original="([^"]*)"\s+data-status="([^"]*)" data-score="([^"]*)"',
            page):
        fields.update({f"o-{key}": shown, f"s-{key}": status, f"n-{key}": score})
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


# ---- One cell on its own page (the grid's editor without JavaScript) -------------------------

def cell_url(world, lesson, enrollment=None, cohort=None) -> str:
    enrollment, cohort = enrollment or world.a.enrollment, cohort or world.a.cohort
    return f"/gradebook/{cohort.id}/cells/{enrollment.id}/{lesson.id}"


def cell_form(client, url) -> dict:
    """The cell page's form as the browser would post it unchanged."""
    page = client.get(url).get_data(as_text=True)
    shown = re.search(r'<input id="original" name="original" type="hidden" value="([^"]*)">', page)
    feedback = re.search(r'<textarea[^>]*name="feedback"[^>]*>\s*(.*?)</textarea>', page, re.S).group(1)
    return {"original": shown.group(1),
            "status": re.search(r'name="status" value="([^"]+)" checked', page).group(1),
            "score": re.search(r'name="score"[^>]*value="([^"]*)"', page).group(1),
            "feedback": feedback}


def test_the_cell_page_shows_who_set_it_and_saves_that_cell_only(client, login, world):
    lesson, other = lessons_of(world.course)[:2]
    make_progress(world.a.enrollment, lesson, status=ProgressStatus.IN_PROGRESS, score=4,
                  feedback="Почни з датчика", updated_by_id=world.a.head.id)
    make_progress(world.a.enrollment, other, status=ProgressStatus.IN_PROGRESS)
    factories.english(world.a.mentor)
    login(world.a.mentor)
    url = cell_url(world, lesson)
    page = client.get(url).get_data(as_text=True)
    assert f"Set by {world.a.head.full_name} on" in page and "Почни з датчика" in page
    fields = cell_form(client, url)
    assert (fields["status"], fields["score"], fields["feedback"]) == ("in_progress", "4", "Почни з датчика")
    fields.update(status="completed", score="9")
    response = client.post(url, data=fields)
    assert response.status_code == 302 and response.location.endswith(
        f"/gradebook/{world.a.cohort.id}#c-{world.a.enrollment.id}-{lesson.id}")
    rows = {r.lesson_id: r for r in db.session.scalars(sa.select(LessonProgress))}
    mine = rows[lesson.id]
    assert (mine.status, mine.score, mine.feedback, mine.version, mine.updated_by_id) == (
        ProgressStatus.COMPLETED, 9, "Почни з датчика", 2, world.a.mentor.id)
    assert (rows[other.id].status, rows[other.id].version) == (ProgressStatus.IN_PROGRESS, 1)
    assert count(ProgressEvent) == 1
    history = client.get(url).get_data(as_text=True)
    assert f"Set by {world.a.mentor.full_name} on" in history
    assert history.count("<li><span class=\"text-muted\">") == 1  # the one change, and who made it
    client.post(url, data=cell_form(client, url))
    assert count(ProgressEvent) == 1  # an unchanged cell writes nothing


@pytest.mark.parametrize("language, too_high, not_a_number", [
    ("en", "The score must be between 0 and 10.", "Enter a whole number."),
    ("uk", "Кількість балів має бути від 0 до 10.", "Введіть ціле число."),
])
def test_the_cell_page_refuses_bad_input_in_the_readers_language(client, login, world, language,
                                                                 too_high, not_a_number):
    world.a.mentor.locale = language
    db.session.commit()
    login(world.a.mentor)
    url = cell_url(world, lessons_of(world.course)[0])
    fields = cell_form(client, url)
    for score, message in (("11", too_high), ("abc", not_a_number), ("²", not_a_number)):
        response = client.post(url, data={**fields, "status": "completed", "score": score})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, score
        assert message in page and 'aria-invalid="true"' in page
    response = client.post(url, data={**fields, "status": "finished"})
    assert response.status_code == 422
    response = client.post(url, data={**fields, "feedback": "x" * (services.MAX_FEEDBACK + 1)})
    assert response.status_code == 422
    response = client.post(url, data={**fields, "status": "completed", "original": "x|y"})
    assert response.status_code == 422
    assert count(LessonProgress) == 0 and count(ProgressEvent) == 0


def test_the_cell_page_reports_a_conflict_and_keeps_the_other_value(app, client, login, world):
    factories.english(world.a.mentor)
    lesson = lessons_of(world.course)[0]
    url = cell_url(world, lesson)
    login(world.a.mentor)
    stale = cell_form(client, url)
    head = app.test_client()
    head.post("/auth/login", data={"email": world.a.head.email, "password": "correct-horse-battery"})
    theirs = cell_form(head, url)
    assert head.post(url, data={**theirs, "status": "completed", "score": "10"}).status_code == 302

    response = client.post(url, data={**stale, "status": "in_progress", "score": "3"})
    assert response.status_code == 302 and response.location.endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "Changed by someone else" in page and world.a.student.full_name in page
    row = db.session.scalars(sa.select(LessonProgress)).one()
    assert (row.status, row.score, row.version, row.updated_by_id) == (
        ProgressStatus.COMPLETED, 10, 1, world.a.head.id)
    assert count(ProgressEvent) == 1


def test_the_cell_page_is_for_the_cohorts_staff_only(client, login, world):
    lesson = lessons_of(world.course)[0]
    login(world.a.student)
    assert client.get(cell_url(world, lesson)).status_code == 403
    assert client.post(cell_url(world, lesson), data={"status": "completed"}).status_code == 403
    client.post("/auth/logout")
    login(world.a.other_mentor)  # same center, does not teach the cohort
    assert client.get(cell_url(world, lesson)).status_code == 403
    client.post("/auth/logout")
    login(world.a.mentor)
    assert client.get(cell_url(world, lesson)).status_code == 200
    other_center = cell_url(world, lesson, world.b.enrollment, world.b.cohort)
    assert client.get(other_center).status_code == 404
    assert client.post(other_center, data={"status": "completed"}).status_code == 404
    # Their enrollment under our cohort's address, or a lesson of another course: not a cell.
    assert client.get(cell_url(world, lesson, world.b.enrollment)).status_code == 404
    foreign = lessons_of(make_course())[0]
    db.session.commit()
    assert client.get(cell_url(world, foreign)).status_code == 404
    assert count(LessonProgress) == 0


# ---- One lesson at a time (the phone's gradebook) ----------------------------------------------

def lesson_form(client, cohort_id, lesson_id) -> tuple[str, dict]:
    """The one-lesson form's action and its fields as the browser would post them unchanged."""
    page = client.get(f"/gradebook/{cohort_id}?lesson={lesson_id}").get_data(as_text=True)
    form = re.search(r'<section class="gb-lesson".*?<form method="post" novalidate action="([^"]+)">(.*?)</form>',
                     page, re.S)
    action, body = form.group(1).replace("&amp;", "&"), form.group(2)
    fields = dict(re.findall(r'<input type="hidden" name="(o-[\d-]+)" value="([^"]*)"', body))
    fields.update(re.findall(r'name="(n-[\d-]+)" value="([^"]*)"', body))
    fields.update(re.findall(r'name="(s-[\d-]+)" value="([^"]+)" checked', body))
    return action, fields


def test_one_lesson_view_writes_only_changed_cells_and_keeps_feedback(client, login, world):
    lesson = lessons_of(world.course)[1]
    minor = db.session.scalars(sa.select(Enrollment).where(Enrollment.student_id == world.a.minor.id)).one()
    make_progress(minor, lesson, status=ProgressStatus.IN_PROGRESS, score=5, feedback="Молодець")
    db.session.commit()
    login(world.a.mentor)
    page = client.get(f"/gradebook/{world.a.cohort.id}?lesson={lesson.id}").get_data(as_text=True)
    assert f'<option value="{lesson.id}" selected>' in page
    action, fields = lesson_form(client, world.a.cohort.id, lesson.id)
    assert len([name for name in fields if name.startswith("s-")]) == 2
    assert action == f"/gradebook/{world.a.cohort.id}?lesson={lesson.id}"
    fields[f"s-{minor.id}-{lesson.id}"] = "completed"
    response = client.post(action, data=fields)
    assert response.status_code == 302 and response.location.endswith(f"lesson={lesson.id}")
    row = db.session.scalars(sa.select(LessonProgress)).one()  # the other student: no row
    assert (row.status, row.score, row.feedback, row.version) == (
        ProgressStatus.COMPLETED, 5, "Молодець", 2)
    assert count(ProgressEvent) == 1
    client.post(action, data=lesson_form(client, world.a.cohort.id, lesson.id)[1])
    assert count(ProgressEvent) == 1  # nothing changed, nothing written


def test_one_lesson_view_reports_conflicts_and_refuses_bad_scores(app, client, login, world):
    factories.english(world.a.mentor)
    lesson = lessons_of(world.course)[0]
    key = f"{world.a.enrollment.id}-{lesson.id}"
    login(world.a.mentor)
    action, stale = lesson_form(client, world.a.cohort.id, lesson.id)
    head = app.test_client()
    head.post("/auth/login", data={"email": world.a.head.email, "password": "correct-horse-battery"})
    _action, theirs = lesson_form(head, world.a.cohort.id, lesson.id)
    theirs[f"s-{key}"] = "excused"
    assert head.post(action, data=theirs).status_code == 302

    bad = {**stale, f"n-{key}": "12"}
    response = client.post(action, data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The score must be between 0 and 10." in page and f'id="le-{key}"' in page
    stale[f"s-{key}"] = "completed"
    response = client.post(action, data=stale, follow_redirects=True)
    assert "Changed by someone else" in response.get_data(as_text=True)
    row = db.session.scalars(sa.select(LessonProgress)).one()
    assert (row.status, row.updated_by_id) == (ProgressStatus.EXCUSED, world.a.head.id)


def test_an_unknown_lesson_is_not_found(client, login, world):
    login(world.a.mentor)
    assert client.get(f"/gradebook/{world.a.cohort.id}?lesson=999999").status_code == 404
    assert client.get(f"/gradebook/{world.a.cohort.id}?lesson=x").status_code == 400


def test_the_column_menu_opens_the_lesson_and_the_bulk_page(client, login, world):
    session = ClassSession(cohort_id=world.a.cohort.id, held_on=date.today(), topic="Sensors")
    db.session.add(session)
    db.session.commit()
    lesson = lessons_of(world.course)[2]
    login(world.a.mentor)
    grid = client.get(f"/gradebook/{world.a.cohort.id}").get_data(as_text=True)
    assert f'href="/gradebook/{world.a.cohort.id}?lesson={lesson.id}"' in grid
    assert f'href="/gradebook/{world.a.cohort.id}/bulk?lesson={lesson.id}"' in grid
    page = client.get(f"/gradebook/{world.a.cohort.id}/bulk?lesson={lesson.id}").get_data(as_text=True)
    assert f'<option selected value="{lesson.id}">' in page or f'<option value="{lesson.id}" selected' in page
    assert "Sensors" in page


def test_cell_and_lesson_pages_send_bounded_statements(client, login, world, page_statements):
    login(world.a.mentor)
    big = big_cohort(world, 12, 12)
    db.session.commit()
    small_lesson, big_lesson = lessons_of(world.course)[0], big.course.modules[0].lessons[0]
    big_enrollment = db.session.scalars(sa.select(Enrollment).where(Enrollment.cohort_id == big.id)).first()
    make_progress(world.a.enrollment, small_lesson)
    make_progress(big_enrollment, big_lesson)
    db.session.commit()
    counts = {
        "cell": (page_statements(cell_url(world, small_lesson)),
                 page_statements(cell_url(world, big_lesson, big_enrollment, big))),
        "lesson": (page_statements(f"/gradebook/{world.a.cohort.id}?lesson={small_lesson.id}"),
                   page_statements(f"/gradebook/{big.id}?lesson={big_lesson.id}")),
        "bulk": (page_statements(f"/gradebook/{world.a.cohort.id}/bulk"),
                 page_statements(f"/gradebook/{big.id}/bulk")),
    }
    for name, (small, large) in counts.items():
        assert small == large and large <= 12, (name, small, large)
