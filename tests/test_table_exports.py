"""SPEC §4, "every table a head looks at exports CSV": the certification board, a cohort's
roster, gradebook and attendance register, each in the reader's language, scoped like its page."""
from datetime import date

import pytest
import sqlalchemy as sa

from lms.attendance.models import AttendanceStatus
from lms.certifications.models import Stage
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.progress.models import ProgressStatus
from lms.users.models import Role
from tests.factories import (
    english,
    enroll,
    make_cohort,
    make_progress,
    make_pursuit,
    make_user,
    read_csv,
)
from tests.test_attendance import make_session, put_marks

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def english_head(world):
    english(world.a.head, world.a.mentor, world.a.other_mentor)
    return world.a.head


def test_the_board_exports_what_its_filters_show(client, login, world, english_head):
    passed = make_user(Role.STUDENT, world.a.center, full_name="Passed Student")
    make_pursuit(passed, world.certification, stage=Stage.PASSED, result_date=date(2026, 5, 4),
                 credential_id="CRED-9", attempt=2)
    login(english_head)
    rows = read_csv(client.get("/pursuits/export.csv"))
    assert rows[0][:5] == ["Student", "E-mail", "Provider", "Certification", "Stage"]
    assert {row[0] for row in rows[1:]} == {world.a.student.full_name, "Passed Student"}
    only_passed = read_csv(client.get("/pursuits/export.csv?stage=passed"))
    assert [row[0] for row in only_passed[1:]] == ["Passed Student"]
    assert only_passed[1][4:6] == ["Passed", "2"] and "2026-05-04" in only_passed[1]
    assert "CRED-9" in only_passed[1]
    board = client.get("/pursuits/?stage=passed").get_data(as_text=True)
    assert "/pursuits/export.csv?stage=passed" in board
    assert client.get("/pursuits/export.csv?stage=bogus").status_code == 400


def test_the_roster_exports_every_enrollment_with_its_dates(client, login, world, english_head):
    login(english_head)
    rows = read_csv(client.get(f"/cohorts/{world.a.cohort.id}/roster.csv"))
    assert rows[0] == ["Student", "E-mail", "Status", "Enrolled", "Completed on", "Withdrawn on",
                       "Completion set by", "Reason"]
    assert sorted(row[0] for row in rows[1:]) == sorted(
        [world.a.student.full_name, world.a.minor.full_name])
    assert all(row[2] == "Active" and row[3] == world.a.cohort.start_date.isoformat()
               for row in rows[1:])
    page = client.get(f"/cohorts/{world.a.cohort.id}").get_data(as_text=True)
    assert f"/cohorts/{world.a.cohort.id}/roster.csv" in page


def test_the_gradebook_exports_all_students_and_lessons(client, login, world, english_head,
                                                        monkeypatch):
    monkeypatch.setattr("lms.progress.queries.GRID_STUDENTS_PER_PAGE", 1)  # the page: 1 student
    lessons = [lesson for module in world.course.modules for lesson in module.lessons]
    make_progress(world.a.enrollment, lessons[0], score=90)
    make_progress(world.a.enrollment, lessons[1], status=ProgressStatus.IN_PROGRESS)
    login(world.a.mentor)
    rows = read_csv(client.get(f"/gradebook/{world.a.cohort.id}/export.csv"))
    assert rows[0] == ["Student", "E-mail", *(lesson.title for lesson in lessons)]
    student = next(row for row in rows if row[0] == world.a.student.full_name)
    assert student[2:5] == ["Completed (90)", "In progress", "Not started"]
    assert len(rows) == 3  # both enrolled students, though the page shows one


def test_the_attendance_register_exports_every_mark(client, login, world, english_head):
    minor = db.session.scalar(
        sa.select(Enrollment).where(Enrollment.student_id == world.a.minor.id))
    first = make_session(world.a.cohort, date(2026, 3, 2), "Motors")
    second = make_session(world.a.cohort, date(2026, 3, 9), "Sensors")
    put_marks(first, {world.a.enrollment: AttendanceStatus.PRESENT,
                      minor: AttendanceStatus.ABSENT})
    put_marks(second, {world.a.enrollment: AttendanceStatus.LATE})
    login(world.a.other_mentor)  # any mentor of the center, as on the sessions page
    rows = read_csv(client.get(f"/attendance/cohort/{world.a.cohort.id}/export.csv"))
    assert rows[0] == ["Date", "Topic", "Student", "E-mail", "Status", "Remark"]
    by_student = {(row[0], row[2]): row[4] for row in rows[1:]}
    assert by_student == {("2026-03-02", world.a.student.full_name): "Present",
                          ("2026-03-02", world.a.minor.full_name): "Absent",
                          ("2026-03-09", world.a.student.full_name): "Late"}
    assert [row[:2] for row in rows[1:]] == [["2026-03-02", "Motors"], ["2026-03-02", "Motors"],
                                            ["2026-03-09", "Sensors"]]  # session by session


def test_headers_follow_the_readers_language(client, login, world):
    login(world.a.head)  # Ukrainian, the default
    rows = read_csv(client.get(f"/cohorts/{world.a.cohort.id}/roster.csv"))
    assert rows[0][:3] == ["Студент", "Електронна пошта", "Статус"]


@pytest.mark.parametrize("path", [
    "/cohorts/{cohort}/roster.csv", "/gradebook/{cohort}/export.csv",
    "/attendance/cohort/{cohort}/export.csv",
])
def test_another_centers_cohort_is_not_found(client, login, world, path):
    login(world.b.head)
    assert client.get(path.format(cohort=world.a.cohort.id)).status_code == 404


def test_the_board_export_holds_only_the_readers_center(client, login, world):
    login(world.b.head)
    rows = read_csv(client.get("/pursuits/export.csv"))
    assert [row[0] for row in rows[1:]] == [world.b.student.full_name]


def test_a_mentor_who_does_not_teach_the_cohort_cannot_export_its_gradebook(client, login,
                                                                            world):
    other = make_cohort(world.a.center, world.course, mentors=[world.a.other_mentor])
    enroll(make_user(Role.STUDENT, world.a.center), other)
    login(world.a.mentor)
    assert client.get(f"/gradebook/{other.id}/export.csv").status_code == 403
