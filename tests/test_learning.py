"""The student's own pages: the cohort with my progress and feedback, and "my data"."""
import json
from datetime import date

import pytest

from lms.attendance.models import AttendanceStatus
from lms.core.extensions import db
from lms.people.models import StudentNote
from lms.progress import services as progress
from lms.progress.models import ProgressStatus
from lms.progress.services import CellEdit
from tests.factories import make_progress
from tests.test_attendance import make_session, put_marks

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def lessons_of(course):
    return [lesson for module in course.modules for lesson in module.lessons]


def test_cohort_page_shows_my_status_score_and_feedback(client, login, world):
    lesson = lessons_of(world.course)[0]
    make_progress(world.a.enrollment, lesson, score=8, feedback="Чудовий робот!")
    login(world.a.student)
    page = client.get(f"/learn/cohorts/{world.a.cohort.id}").get_data(as_text=True)
    assert "Чудовий робот!" in page and "8 / 10" in page
    assert "Lesson 2.3" in page


def test_cohort_page_is_only_for_my_cohorts(client, login, world):
    login(world.a.student)
    assert client.get(f"/learn/cohorts/{world.b.cohort.id}").status_code == 404
    enrollment, start = world.a.enrollment, world.a.cohort.start_date
    enrollment.status, enrollment.withdrawn_on = "withdrawn", start
    db.session.commit()
    # a withdrawn student still sees the history of the cohort
    assert client.get(f"/learn/cohorts/{world.a.cohort.id}").status_code == 200


def test_my_data_contains_everything_about_me_and_nothing_else(client, login, world):
    make_progress(world.a.enrollment, lessons_of(world.course)[0], status=ProgressStatus.EXCUSED)
    db.session.add(StudentNote(student_id=world.a.student.id, author_id=world.a.mentor.id,
                               body="Needs a laptop"))
    db.session.commit()
    login(world.a.student)
    response = client.get("/learn/my-data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == world.a.student.email
    assert "password_hash" not in data["account"]
    assert data["profile"]["date_of_birth"] == "2005-05-05"
    assert [e["cohort_id"] for e in data["enrollments"]] == [world.a.cohort.id]
    assert [p["status"] for p in data["lesson_progress"]] == ["excused"]
    assert [p["id"] for p in data["certification_paths"]] == [world.a.pursuit.id]
    assert [n["body"] for n in data["mentor_notes"]] == ["Needs a laptop"]
    assert world.b.student.email not in response.get_data(as_text=True)


def test_my_data_names_the_sessions_of_my_marks_and_my_progress_history(client, login, world):
    session = make_session(world.a.cohort, date(2026, 3, 2), "Line followers")
    put_marks(session, {world.a.enrollment: AttendanceStatus.PRESENT})
    lesson = lessons_of(world.course)[0]
    edit = CellEdit(world.a.enrollment.id, lesson.id, 0, ProgressStatus.COMPLETED)
    assert progress.save_cells(world.a.cohort, [edit], world.a.mentor).written
    db.session.commit()
    login(world.a.student)
    data = client.get("/learn/my-data.json").get_json()
    assert [(s["held_on"], s["topic"]) for s in data["class_sessions"]] == [
        ("2026-03-02", "Line followers")]
    assert "attended_count" not in data["class_sessions"][0]
    assert [a["session_id"] for a in data["attendance"]] == [session.id]
    assert [e["to_status"] for e in data["progress_history"]] == ["completed"]


def test_staff_cannot_use_student_pages(client, login, world):
    login(world.a.mentor)
    assert client.get("/learn/my-data.json").status_code == 403
