"""SPEC §4, "every table a head looks at exports CSV": the certification board, a cohort's
roster, gradebook and attendance register, each in the reader's language, scoped like its page."""
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa
from flask import url_for

from lms.attendance.models import AttendanceStatus
from lms.certifications.models import Stage
from lms.cohorts.models import Enrollment
from lms.core.exports import Sheet, looks_like_formula, safe_cell, xlsx_response
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
from tests.test_access import import_batch
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


# --- the formula guard (issue 18, finding 7) --------------------------------------------------

EVIL = "Ivan;=cmd|' /C calc'!A0;x"  # not a formula at its start: a `;` reader used to split it
POISON = {"cohort": '=HYPERLINK("http://evil.example")', "center": "+SUM(1+1)",
          "certification": "@SUM(1)", "course": "-2+3", "provider": "\t=1", "lesson": " =1+1",
          "funder": "\uff1dcmd|' /C calc'!A0", "topic": "\r=1", "phone": "+380 67 123 45 67"}
NUMBER = re.compile(r"-?\d+(\.\d+)?%?")


def export_rules(app) -> list:
    """Every download of the URL map: a new export is checked without editing this file."""
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.endswith((".csv", ".xlsx", "/csv", "/xlsx"))]


def poison(world) -> None:
    """Text that a spreadsheet would run, in every kind of text the exports carry."""
    world.a.student.full_name = EVIL
    world.a.cohort.name = POISON["cohort"]
    world.a.center.name = POISON["center"]
    world.certification.name = POISON["certification"]
    world.certification.provider.name = POISON["provider"]
    world.course.title = POISON["course"]
    world.course.modules[0].lessons[0].title = POISON["lesson"]
    world.a.voucher.funder = POISON["funder"]
    world.a.student.profile.guardian_contact = POISON["phone"]
    world.a.student.profile.school = POISON["phone"]
    make_session(world.a.cohort, date.today(), POISON["topic"])
    db.session.flush()


def assert_csv_guarded(body: str, what) -> None:
    """Every field quoted, and no cell a spreadsheet could run, whether it splits on , or ;."""
    assert body.startswith("\ufeff"), what
    text = body[1:]
    records = list(csv.reader(io.StringIO(text)))
    again = io.StringIO()
    csv.writer(again, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(records)
    assert again.getvalue() == text, ("a field left unquoted", what)
    for delimiter in ",;":
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert NUMBER.fullmatch(cell) or not looks_like_formula(cell), (what, cell)


def assert_xlsx_guarded(data: bytes, what) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (what, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and looks_like_formula(cell.value):
                    assert cell.quotePrefix, (what, cell.coordinate, cell.value)


def test_every_export_quotes_every_field_and_defuses_every_text_cell(app, client, login, world):
    poison(world)
    batch = import_batch(world.a.center)
    args = {"cohort_id": world.a.cohort.id, "center_id": world.a.center.id, "figure": "active",
            "kind": "students", "batch_id": batch.id}
    downloads, seen = 0, ""
    for user in (world.admin, world.a.head):
        login(user)
        for rule in export_rules(app):
            with app.test_request_context():
                url = url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code in (403, 404), (url, response.status_code)
                continue
            downloads += 1
            if response.mimetype == "text/csv":
                seen += response.get_data(as_text=True)
                assert_csv_guarded(response.get_data(as_text=True), (user.role, url))
            else:
                assert_xlsx_guarded(response.get_data(), (user.role, url))
        client.post("/auth/logout")
    assert downloads >= len(export_rules(app))  # each export answered at least one of them
    assert f'"{EVIL}"' in seen  # unchanged, and one cell even where `;` separates
    assert f'"\'{POISON["cohort"].replace(chr(34), chr(34) * 2)}"' in seen
    assert f'"\'{POISON["center"]}"' in seen


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "\n=1",
                                  "  =1", "\u00a0=1", "\uff1d1", "\uff0b1", "\uff20x",
                                  POISON["phone"]])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-5, 0, 3.5, Decimal("-2.50"), date(2026, 1, 2),
                                   datetime(2026, 1, 2, 3, 4)])
def test_numbers_and_dates_stay_typed(value):
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


@pytest.mark.parametrize("text", [EVIL, "Олена", "a=b", "e-mail@x.org", "1-2", "—", ""])
def test_other_text_is_left_as_it_is(text):
    assert safe_cell(text) == text


def test_a_phone_number_stays_readable_in_a_workbook(app):
    with app.test_request_context():
        response = xlsx_response("x.xlsx", [Sheet("S", ["Phone"], [[POISON["phone"]], [EVIL]])])
        response.direct_passthrough = False
        data = response.get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    phone, evil = sheet["A2"], sheet["A3"]
    assert phone.value == POISON["phone"] and phone.data_type == "s" and phone.quotePrefix
    assert evil.value == EVIL and not evil.quotePrefix
