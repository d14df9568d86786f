"""Attendance: class sessions, marking a whole session in one form, its history, and rates."""
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from lms.attendance import rates as rate_queries
from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import Enrollment, EnrollmentStatus
from lms.core.extensions import db
from tests.factories import audit, english, enroll, make_cohort, make_course, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

P, L, A, E = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT,
              AttendanceStatus.EXCUSED)


# --- helpers ---------------------------------------------------------------------------

def flat(response, status: int = 200) -> str:
    """The page's text with whitespace collapsed, after checking the status code."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return " ".join(response.get_data(as_text=True).split())


def make_session(cohort, held_on: date | None = None, topic: str = "Sensors",
                 lessons=()) -> ClassSession:
    session = ClassSession(cohort_id=cohort.id, held_on=held_on or date.today(), topic=topic,
                           lessons=list(lessons))
    db.session.add(session)
    db.session.commit()
    return session


def put_marks(session, marks: dict) -> None:
    """Attendance rows straight into the database: {enrollment: status}."""
    db.session.add_all(Attendance(session_id=session.id, enrollment_id=enrollment.id,
                                  status=status) for enrollment, status in marks.items())
    db.session.commit()


class _MarkInputs(HTMLParser):
    """The values a browser would submit from the marking form."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag != "input" or not name.startswith("marks-"):
            return
        if attrs.get("type") == "radio" and "checked" not in attrs:
            return
        self.fields[name] = attrs.get("value") or ""


def page_fields(client, session) -> dict[str, str]:
    response = client.get(f"/attendance/session/{session.id}")
    assert response.status_code == 200
    parser = _MarkInputs()
    parser.feed(response.get_data(as_text=True))
    return parser.fields


def mark_everyone_present(client, session, fields: dict | None = None):
    """Press "Everyone present" on the marking page (with the page's fields unless given)."""
    data = dict(page_fields(client, session) if fields is None else fields)
    data["everyone_present"] = "Everyone present"
    return client.post(f"/attendance/session/{session.id}", data=data)


class _CheckedRadios(HTMLParser):
    """The names of the radios the page shows as chosen."""

    def __init__(self):
        super().__init__()
        self.checked: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio" and "checked" in attrs:
            self.checked[attrs["name"]] = attrs["value"]


def row_of(fields: dict, enrollment) -> str:
    """The "marks-N" prefix of an enrollment's row in the submitted fields."""
    for name, value in fields.items():
        if name.endswith("-enrollment_id") and value == str(enrollment.id):
            return name.removesuffix("-enrollment_id")
    raise AssertionError(f"no row for enrollment {enrollment.id}")


def marks_on_file(session) -> dict[int, tuple[AttendanceStatus, str]]:
    rows = db.session.execute(sa.select(Attendance.enrollment_id, Attendance.status,
                                        Attendance.remark)
                              .where(Attendance.session_id == session.id))
    return {enrollment_id: (status, remark) for enrollment_id, status, remark in rows}


def enrollment_of(student, cohort) -> Enrollment:
    return db.session.scalars(sa.select(Enrollment).where(
        Enrollment.student_id == student.id, Enrollment.cohort_id == cohort.id)).one()


@pytest.fixture
def switch_to(client, login):
    """Sign the test client out and in again as another user."""
    def switch(user):
        client.post("/auth/logout")
        login(user)
    return switch


# --- class sessions -----------------------------------------------------------------------

def test_mentor_creates_a_session_with_lesson_links(client, login, world):
    lessons = world.course.modules[0].lessons
    english(world.a.other_mentor)
    login(world.a.other_mentor)  # any mentor of the center may keep a cohort's attendance
    form = flat(client.get(f"/attendance/cohort/{world.a.cohort.id}"))
    assert "<select multiple" not in form and "Ctrl" not in form  # checkboxes, no multi-select
    for lesson in (lessons[0], lessons[2]):
        assert f'type="checkbox" value="{lesson.id}"' in form.replace(
            'name="lesson_ids" ', "")
    response = client.post(f"/attendance/cohort/{world.a.cohort.id}/sessions", data={
        "held_on": date.today().isoformat(), "topic": "  Line followers ",
        "lesson_ids": [str(lessons[0].id), str(lessons[2].id)]})
    assert response.status_code == 302
    created = db.session.scalars(sa.select(ClassSession)).one()
    assert response.location == f"/attendance/session/{created.id}"
    assert (created.cohort_id, created.held_on, created.topic) == (
        world.a.cohort.id, date.today(), "Line followers")
    assert sorted(lesson.id for lesson in created.lessons) == [lessons[0].id, lessons[2].id]
    assert created.created_by_id == world.a.other_mentor.id
    [entry] = audit("class_session.create")
    assert (entry.object_id, entry.center_id, entry.actor_id) == (
        created.id, world.a.center.id, world.a.other_mentor.id)
    page = flat(client.get(f"/attendance/cohort/{world.a.cohort.id}"))
    assert "Line followers" in page and "Lesson 1.1, Lesson 1.3" in page
    assert "Not marked yet" in page


def test_sessions_list_newest_first_with_counts(client, login, world):
    older = make_session(world.a.cohort, date.today() - timedelta(days=7), topic="Motors")
    newer = make_session(world.a.cohort, date.today(), topic="Servos")
    put_marks(older, {world.a.enrollment: L, enroll(make_user(center=world.a.center),
                                                    world.a.cohort): L})
    put_marks(newer, {world.a.enrollment: P})
    make_session(world.b.cohort, topic="Elsewhere")
    login(world.a.mentor)
    page = flat(client.get(f"/attendance/cohort/{world.a.cohort.id}"))
    assert page.index("Servos") < page.index("Motors")
    assert "Elsewhere" not in page
    servos = page.split("Servos", 1)[1].split("</tr>", 1)[0]
    motors = page.split("Motors", 1)[1].split("</tr>", 1)[0]
    assert 'data-status="present">1<' in servos and 'data-status="late">0<' in servos
    assert 'data-status="late">2<' in motors and 'data-status="present">0<' in motors


def test_sessions_list_is_paginated(app, client, login, world, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for day, topic in ((3, "Oldest"), (2, "Middle"), (1, "Newest")):
        make_session(world.a.cohort, date.today() - timedelta(days=day), topic=topic)
    login(world.a.mentor)
    first = flat(client.get(f"/attendance/cohort/{world.a.cohort.id}"))
    assert "Newest" in first and "Middle" in first and "Oldest" not in first
    assert f'href="/attendance/cohort/{world.a.cohort.id}?page=2"' in first
    second = flat(client.get(f"/attendance/cohort/{world.a.cohort.id}?page=2"))
    assert "Oldest" in second and "Newest" not in second
    assert client.get(f"/attendance/cohort/{world.a.cohort.id}?page=x").status_code == 400


@pytest.mark.parametrize("days, topic, message", [
    (400, "Sensors", "The date can be at most a year from today."),
    (-400, "Sensors", "The date can be at most a year ago."),
    (0, "   ", "This field is required."),
])
def test_session_form_refuses_bad_input(client, login, world, days, topic, message):
    english(world.a.mentor)
    login(world.a.mentor)
    response = client.post(f"/attendance/cohort/{world.a.cohort.id}/sessions", data={
        "held_on": (date.today() + timedelta(days=days)).isoformat(), "topic": topic})
    assert message in flat(response, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClassSession)) == 0
    assert audit("class_session.create") == []


def test_session_refuses_lessons_of_another_course(client, login, world):
    other = make_course()
    login(world.a.mentor)
    response = client.post(f"/attendance/cohort/{world.a.cohort.id}/sessions", data={
        "held_on": date.today().isoformat(), "topic": "Sensors",
        "lesson_ids": [str(other.modules[0].lessons[0].id)]})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClassSession)) == 0


def test_same_date_and_topic_twice_is_allowed(client, login, world):
    login(world.a.mentor)
    for _ in range(2):
        response = client.post(f"/attendance/cohort/{world.a.cohort.id}/sessions", data={
            "held_on": date.today().isoformat(), "topic": "Double lesson"})
        assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClassSession)) == 2


# --- marking ------------------------------------------------------------------------------

def test_a_new_session_starts_unmarked_and_everyone_present_marks_it(client, login, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    withdrawn = enroll(make_user(center=world.a.center), world.a.cohort,
                       status=EnrollmentStatus.WITHDRAWN, withdrawn_on=date.today())
    english(world.a.mentor)
    login(world.a.mentor)
    page = flat(client.get(f"/attendance/session/{session.id}"))
    assert world.a.student.full_name in page and world.a.minor.full_name in page
    assert withdrawn.student.full_name not in page
    assert page.count('class="att-row__note">Not marked yet') == 2
    assert 'data-status="none">2<' in page and 'data-status="present">0<' in page
    fields = page_fields(client, session)
    assert [k for k in fields if k.endswith("-status")] == []  # no status chosen for anyone

    response = mark_everyone_present(client, session, fields)
    assert response.status_code == 302 and response.location == f"/attendance/session/{session.id}"
    assert marks_on_file(session) == {world.a.enrollment.id: (P, ""), minor.id: (P, "")}
    rows = db.session.scalars(sa.select(Attendance)).all()
    assert {row.updated_by_id for row in rows} == {world.a.mentor.id}
    assert all(row.updated_at is not None for row in rows)
    entries = audit("attendance.mark")
    assert len(entries) == 2
    assert all(e.before is None and e.after == {"status": "present", "remark": ""}
               for e in entries)
    assert {e.center_id for e in entries} == {world.a.center.id}
    assert {e.object_id for e in entries} == {row.id for row in rows}
    page = flat(client.get(f"/attendance/session/{session.id}"))
    assert "2 marks saved." in page and "att-row__note" not in page
    assert 'data-status="present">2<' in page and 'data-status="none">0<' in page


def test_only_changed_rows_are_written(client, login, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    english(world.a.mentor)
    login(world.a.mentor)
    mark_everyone_present(client, session)
    assert len(audit("attendance.mark")) == 2
    stamp = db.session.scalar(sa.select(Attendance.updated_at)
                              .where(Attendance.enrollment_id == world.a.enrollment.id))

    unchanged = client.post(f"/attendance/session/{session.id}", data=page_fields(client, session))
    assert unchanged.status_code == 302 and len(audit("attendance.mark")) == 2
    assert "Nothing changed." in flat(client.get(f"/attendance/session/{session.id}"))

    fields = page_fields(client, session)
    row = row_of(fields, minor)
    fields.update({f"{row}-status": "absent", f"{row}-remark": " ill "})
    assert client.post(f"/attendance/session/{session.id}", data=fields).status_code == 302
    entries = audit("attendance.mark")
    assert len(entries) == 3
    assert entries[-1].object_id == db.session.scalar(
        sa.select(Attendance.id).where(Attendance.enrollment_id == minor.id))
    assert entries[-1].before == {"status": "present", "remark": ""}
    assert entries[-1].after == {"status": "absent", "remark": "ill"}
    db.session.expire_all()
    assert db.session.scalar(sa.select(Attendance.updated_at).where(
        Attendance.enrollment_id == world.a.enrollment.id)) == stamp  # not rewritten
    assert marks_on_file(session) == {world.a.enrollment.id: (P, ""), minor.id: (A, "ill")}


def test_editing_keeps_history_and_shows_it(client, login, switch_to, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    english(world.a.mentor, world.a.head)
    login(world.a.mentor)
    mark_everyone_present(client, session)
    switch_to(world.a.head)
    fields = page_fields(client, session)
    assert fields[f"{row_of(fields, minor)}-status"] == "present"  # the form is pre-filled
    fields.update({f"{row_of(fields, minor)}-status": "late",
                   f"{row_of(fields, minor)}-remark": "bus"})
    client.post(f"/attendance/session/{session.id}", data=fields)
    fields = page_fields(client, session)
    assert fields[f"{row_of(fields, minor)}-status"] == "late"
    assert fields[f"{row_of(fields, minor)}-remark"] == "bus"
    fields[f"{row_of(fields, minor)}-status"] = "excused"
    client.post(f"/attendance/session/{session.id}", data=fields)

    minor_mark = db.session.scalar(
        sa.select(Attendance.id).where(Attendance.enrollment_id == minor.id))
    minor_entries = [e for e in audit("attendance.mark") if e.after and e.object_id == minor_mark]
    assert [(e.before, e.after, e.actor_id) for e in minor_entries] == [
        (None, {"status": "present", "remark": ""}, world.a.mentor.id),
        ({"status": "present", "remark": ""}, {"status": "late", "remark": "bus"}, world.a.head.id),
        ({"status": "late", "remark": "bus"}, {"status": "excused", "remark": "bus"},
         world.a.head.id),
    ]
    page = flat(client.get(f"/attendance/session/{session.id}"))
    history = page.split("History of changes", 1)[1]
    name = world.a.minor.full_name
    assert history.count(f"{name}</strong>: changed by") == 3
    assert f"changed by {world.a.head.full_name} at" in history
    assert f"changed by {world.a.mentor.full_name} at" in history
    assert "Late («bus») → Excused («bus»)" in history
    assert "Present → Late («bus»)" in history
    assert "not marked → Present" in history
    assert history.index("→ Excused") < history.index("→ Late")  # newest first


def test_untouched_row_keeps_a_change_saved_meanwhile(client, login, switch_to, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    login(world.a.mentor)
    mark_everyone_present(client, session)
    stale = page_fields(client, session)  # the mentor's page, opened before the head's change
    switch_to(world.a.head)
    fresh = page_fields(client, session)
    fresh[f"{row_of(fresh, world.a.enrollment)}-status"] = "absent"
    client.post(f"/attendance/session/{session.id}", data=fresh)
    switch_to(world.a.mentor)
    stale[f"{row_of(stale, minor)}-status"] = "late"
    assert client.post(f"/attendance/session/{session.id}", data=stale).status_code == 302
    assert marks_on_file(session) == {world.a.enrollment.id: (A, ""), minor.id: (L, "")}


def checked_radios(client, session) -> dict[str, str]:
    parser = _CheckedRadios()
    parser.feed(client.get(f"/attendance/session/{session.id}").get_data(as_text=True))
    return parser.checked


def test_only_a_mark_on_file_is_shown_chosen(client, login, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    put_marks(session, {world.a.enrollment: A})
    login(world.a.mentor)
    fields = page_fields(client, session)
    assert checked_radios(client, session) == {f"{row_of(fields, world.a.enrollment)}-status":
                                                "absent"}
    assert f"{row_of(fields, minor)}-status" not in fields


@pytest.mark.parametrize("marked, unmarked, message", [
    (1, 1, "Збережено 1 позначку. 1 студент ще без позначки."),
    (2, 3, "Збережено 2 позначки. 3 студенти ще без позначки."),
    (5, 5, "Збережено 5 позначок. 5 студентів ще без позначки."),
])
def test_saving_some_rows_writes_only_those_and_counts_the_rest(client, login, world, marked,
                                                                unmarked, message):
    session = make_session(world.a.cohort)
    for _ in range(marked + unmarked - 2):  # the cohort has two students already
        enroll(make_user(center=world.a.center), world.a.cohort)
    login(world.a.mentor)  # in Ukrainian, the default
    fields = page_fields(client, session)
    rows = sorted({name.split("-")[1] for name in fields}, key=int)
    chosen = rows[:marked]
    fields.update({f"marks-{row}-status": "late" for row in chosen})
    assert client.post(f"/attendance/session/{session.id}", data=fields).status_code == 302
    chosen_ids = {int(fields[f"marks-{row}-enrollment_id"]) for row in chosen}
    assert marks_on_file(session) == {eid: (L, "") for eid in chosen_ids}
    assert len(audit("attendance.mark")) == marked
    page = flat(client.get(f"/attendance/session/{session.id}"))
    assert message in page
    assert f'data-status="late">{marked}<' in page and f'data-status="none">{unmarked}<' in page
    assert 'data-status="present">0<' in page


def test_the_flash_counts_in_english(client, login, world):
    session = make_session(world.a.cohort)
    english(world.a.mentor)
    login(world.a.mentor)
    fields = page_fields(client, session)
    fields[f"{row_of(fields, world.a.enrollment)}-status"] = "present"
    client.post(f"/attendance/session/{session.id}", data=fields)
    assert "1 mark saved. 1 student is not marked yet." in flat(
        client.get(f"/attendance/session/{session.id}"))
    client.post(f"/attendance/session/{session.id}", data=page_fields(client, session))
    assert "Nothing changed. 1 student is not marked yet." in flat(
        client.get(f"/attendance/session/{session.id}"))


def test_everyone_present_marks_only_the_unmarked(client, login, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    third = enroll(make_user(center=world.a.center), world.a.cohort)
    put_marks(session, {world.a.enrollment: A})
    english(world.a.mentor)
    login(world.a.mentor)
    fields = page_fields(client, session)
    fields[f"{row_of(fields, third)}-status"] = "late"  # an exception chosen before pressing
    assert mark_everyone_present(client, session, fields).status_code == 302
    assert marks_on_file(session) == {world.a.enrollment.id: (A, ""), minor.id: (P, ""),
                                      third.id: (L, "")}
    assert len(audit("attendance.mark")) == 2  # the minor and the third student; the absent one kept
    page = flat(client.get(f"/attendance/session/{session.id}"))
    assert "2 marks saved." in page and "att-row__note" not in page
    assert "not marked yet." not in page  # the flash names nobody left


def test_everyone_present_from_a_stale_page_keeps_a_mark_saved_meanwhile(client, login,
                                                                         switch_to, world):
    session = make_session(world.a.cohort)
    minor = enrollment_of(world.a.minor, world.a.cohort)
    login(world.a.mentor)
    stale = page_fields(client, session)  # both students unmarked on the mentor's page
    switch_to(world.a.head)
    fresh = page_fields(client, session)
    fresh[f"{row_of(fresh, minor)}-status"] = "excused"
    client.post(f"/attendance/session/{session.id}", data=fresh)
    switch_to(world.a.mentor)
    assert mark_everyone_present(client, session, stale).status_code == 302
    assert marks_on_file(session) == {world.a.enrollment.id: (P, ""), minor.id: (E, "")}


def test_a_remark_needs_a_status(client, login, world):
    session = make_session(world.a.cohort)
    english(world.a.mentor)
    login(world.a.mentor)
    fields = page_fields(client, session)
    row = row_of(fields, world.a.enrollment)
    fields[f"{row}-remark"] = "left early"
    page = flat(client.post(f"/attendance/session/{session.id}", data=fields), 422)
    assert (f'id="{row}-status-error" class="invalid-feedback d-block">'
            "Choose a status to save this remark.</div>") in page
    assert marks_on_file(session) == {}
    assert mark_everyone_present(client, session, fields).status_code == 302
    assert marks_on_file(session)[world.a.enrollment.id] == (P, "left early")


def _bad_row(world, fields):
    """Kinds of bad input: (field changes, where the message shows, message)."""
    student_row = row_of(fields, world.a.enrollment)
    withdrawn = enroll(make_user(center=world.a.center), world.a.cohort,
                       status=EnrollmentStatus.WITHDRAWN, withdrawn_on=date.today())
    return {
        "unknown status": ({f"{student_row}-status": "sick"}, f"{student_row}-status",
                           "Choose one of the listed statuses."),
        "long remark": ({f"{student_row}-remark": "x" * 501}, f"{student_row}-remark",
                        "A remark can be at most 500 characters long."),
        "foreign enrollment": ({"marks-7-enrollment_id": str(world.b.enrollment.id),
                                "marks-7-status": "present"}, "marks-7-enrollment_id",
                               "This student is not enrolled in this cohort."),
        "withdrawn enrollment": ({"marks-7-enrollment_id": str(withdrawn.id),
                                  "marks-7-status": "absent"}, "marks-7-enrollment_id",
                                 "This student is not enrolled in this cohort."),
        "same student twice": ({"marks-7-enrollment_id": str(world.a.enrollment.id),
                                "marks-7-status": "absent"}, "marks-7-enrollment_id",
                               "This student appears twice."),
        "not a number": ({"marks-7-enrollment_id": "1 OR 1=1", "marks-7-status": "absent"},
                         "marks-7-enrollment_id", "Not a valid integer value."),
    }


@pytest.mark.parametrize("kind", ["unknown status", "long remark", "foreign enrollment",
                                  "withdrawn enrollment", "same student twice", "not a number"])
def test_bad_input_is_refused_and_nothing_is_written(client, login, world, kind):
    session = make_session(world.a.cohort)
    english(world.a.mentor)
    login(world.a.mentor)
    fields = page_fields(client, session)
    changes, field_id, message = _bad_row(world, fields)[kind]
    fields.update(changes)
    response = client.post(f"/attendance/session/{session.id}", data=fields)
    page = flat(response, 422)
    assert f'id="{field_id}-error" class="invalid-feedback d-block">{message}</div>' in page
    assert marks_on_file(session) == {}
    assert audit("attendance.mark") == []
    assert world.a.student.full_name in page  # the form is shown again, row by row


# --- access --------------------------------------------------------------------------------

def _attendance_urls(world, session) -> list[tuple[str, str]]:
    cohort_id = world.a.cohort.id
    return [("get", f"/attendance/cohort/{cohort_id}"),
            ("post", f"/attendance/cohort/{cohort_id}/sessions"),
            ("get", f"/attendance/session/{session.id}"),
            ("post", f"/attendance/session/{session.id}")]


def _valid_posts(world, session) -> dict[str, dict]:
    return {f"/attendance/cohort/{world.a.cohort.id}/sessions":
            {"held_on": date.today().isoformat(), "topic": "Probe"},
            f"/attendance/session/{session.id}":
            {"marks-0-enrollment_id": str(world.a.enrollment.id), "marks-0-status": "absent"}}


@pytest.mark.parametrize("who", ["mentor", "head"])
def test_staff_of_another_center_get_404(client, login, world, who):
    session = make_session(world.a.cohort)
    login(getattr(world.b, who))
    data = _valid_posts(world, session)
    for method, url in _attendance_urls(world, session):
        response = getattr(client, method)(url, data=data.get(url))
        assert response.status_code == 404, (method, url)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClassSession)) == 1
    assert marks_on_file(session) == {} and audit("attendance.mark") == []


def test_students_get_403(client, login, world):
    session = make_session(world.a.cohort)
    login(world.a.student)
    data = _valid_posts(world, session)
    for method, url in _attendance_urls(world, session):
        assert getattr(client, method)(url, data=data.get(url)).status_code == 403, (method, url)
    assert marks_on_file(session) == {}


def test_missing_objects_answer_404(client, login, world):
    login(world.admin)
    assert client.get("/attendance/cohort/999999").status_code == 404
    assert client.get("/attendance/session/999999").status_code == 404
    assert client.post("/attendance/session/999999", data={}).status_code == 404


@pytest.mark.parametrize("who", ["admin", "head", "other_mentor"])
def test_staff_of_the_center_and_admins_may_mark(client, login, world, who):
    session = make_session(world.a.cohort)
    login(world.admin if who == "admin" else getattr(world.a, who))
    data = _valid_posts(world, session)
    for method, url in _attendance_urls(world, session):
        response = getattr(client, method)(url, data=data.get(url))
        assert response.status_code == (200 if method == "get" else 302), (method, url)
    assert marks_on_file(session) == {world.a.enrollment.id: (A, "")}


# --- language ---------------------------------------------------------------------------------

def test_pages_speak_ukrainian_by_default_and_english_when_chosen(client, login, world):
    session = make_session(world.a.cohort)
    login(world.a.mentor)
    for url in (f"/attendance/cohort/{world.a.cohort.id}", f"/attendance/session/{session.id}"):
        page = flat(client.get(url))
        assert '<html lang="uk">' in page
        assert "Присутність" in page and "Запізнення" in page and "Вийти" in page
        assert "Sign out" not in page
    english(world.a.mentor)
    sessions = flat(client.get(f"/attendance/cohort/{world.a.cohort.id}"))
    assert '<html lang="en">' in sessions
    for text in ("Class sessions", "New class session", "Create session", "Present", "Late",
                 "Absent", "Excused", "Lessons covered (optional)"):
        assert text in sessions, text
    marking = flat(client.get(f"/attendance/session/{session.id}"))
    for text in ("Save attendance", "History of changes", "No changes yet.", "Remark",
                 f"Remark for {world.a.student.full_name}", "Not marked yet", "Present"):
        assert text in marking, text


# --- rates for other screens --------------------------------------------------------------------

@pytest.fixture
def register(world):
    """An attendance register: nine weekly sessions of cohort a (the oldest inserted last, so
    only the dates order them), a second cohort asked about and a third one not asked about.

    recent eight (oldest → newest)          9th, older
    student   P P P P P A A A   5/8 = 0.625   A
    minor     P P L L P E A P   6/7          P
    steady    P P P P P P A A   6/8 = 0.75   A   (6/9 with nine sessions)
    quitter   A A A A A A A A   withdrawn
    excused   E E E E E E E E
    newcomer  (no marks)
    cohort 2: mover  A L  → 1/2;  cohort 3 (not asked for): idle  A
    """
    cohort, center = world.a.cohort, world.a.center
    start = date.today() - timedelta(days=90)
    recent = [make_session(cohort, start + timedelta(days=7 * k)) for k in range(1, 9)]
    oldest = make_session(cohort, start)
    people = {"student": world.a.enrollment, "minor": enrollment_of(world.a.minor, cohort)}
    for name in ("steady", "quitter", "excused", "newcomer"):
        people[name] = enroll(make_user(center=center, full_name=name.title()), cohort)
    rows = {"student": "PPPPPAAA" "A", "minor": "PPLLPEAP" "P", "steady": "PPPPPPAA" "A",
            "quitter": "AAAAAAAA" "A", "excused": "EEEEEEEE" "E"}
    for name, letters in rows.items():
        for session, letter in zip([*recent, oldest], letters):
            put_marks(session, {people[name]: {"P": P, "L": L, "A": A, "E": E}[letter]})
    people["quitter"].status, people["quitter"].withdrawn_on = EnrollmentStatus.WITHDRAWN, start
    second = make_cohort(center, world.course, name="Second")
    people["mover"] = enroll(make_user(center=center, full_name="Mover"), second)
    for day, status in ((1, A), (2, L)):
        put_marks(make_session(second, start + timedelta(days=day)), {people["mover"]: status})
    third = make_cohort(center, world.course, name="Third")
    people["idle"] = enroll(make_user(center=center, full_name="Idle"), third)
    put_marks(make_session(third, start), {people["idle"]: A})
    db.session.commit()
    return {"people": people, "recent": recent, "oldest": oldest, "cohorts": [cohort, second]}


def test_attendance_rates(register):
    people = register["people"]
    rates = rate_queries.attendance_rates([e.id for e in people.values()])
    assert rates == {
        people["student"].id: 5 / 9, people["minor"].id: 7 / 8, people["steady"].id: 6 / 9,
        people["quitter"].id: 0.0, people["excused"].id: None, people["newcomer"].id: None,
        people["mover"].id: 0.5, people["idle"].id: 0.0,
    }
    assert rate_queries.attendance_rates([]) == {}


def test_low_attendance_over_the_last_sessions(register, count_queries):
    people = register["people"]
    cohort_ids = [c.id for c in register["cohorts"]]
    db.session.expire_all()
    with count_queries() as sent:
        flagged = rate_queries.low_attendance(cohort_ids)
        names = [(e.student.full_name, e.cohort.name, rate) for e, rate in flagged]
    assert len(sent) == 1  # students and cohorts come with the enrollments
    assert [(e.id, rate) for e, rate in flagged] == [(people["mover"].id, 0.5),
                                                     (people["student"].id, 0.625)]
    assert names[0][:2] == ("Mover", "Second")
    assert [e.id for e, _ in rate_queries.low_attendance(cohort_ids, threshold=0.625)] == [
        people["mover"].id]  # strictly below
    nine = rate_queries.low_attendance(cohort_ids, last_sessions=9)
    assert [(e.id, round(rate, 4)) for e, rate in nine] == [
        (people["mover"].id, 0.5), (people["student"].id, round(5 / 9, 4)),
        (people["steady"].id, round(6 / 9, 4))]
    assert rate_queries.low_attendance([]) == []


def test_last_attended_on(register):
    people, recent, oldest = register["people"], register["recent"], register["oldest"]
    assert rate_queries.last_attended_on([e.id for e in people.values()]) == {
        people["student"].id: recent[4].held_on, people["minor"].id: recent[7].held_on,
        people["steady"].id: recent[5].held_on,
        people["mover"].id: oldest.held_on + timedelta(days=2),
    }
    assert rate_queries.last_attended_on([]) == {}


# --- a fixed number of statements ----------------------------------------------------------------

def test_statement_counts_do_not_grow_with_students_and_sessions(client, login, world,
                                                                 count_queries):
    cohort = world.a.cohort
    lessons = world.course.modules[0].lessons
    session = make_session(cohort, date.today(), lessons=lessons[:1])
    login(world.a.mentor)
    mark_everyone_present(client, session)
    urls = [f"/attendance/cohort/{cohort.id}", f"/attendance/session/{session.id}"]

    def statements() -> list[int]:
        counts = []
        for url in urls:
            with count_queries() as sent:
                assert client.get(url).status_code == 200
            counts.append(len(sent))
        return counts

    small = statements()
    for _ in range(6):
        enroll(make_user(center=world.a.center), cohort)
    for day in range(1, 6):
        make_session(cohort, date.today() - timedelta(days=day), lessons=lessons)
    for _ in range(2):  # two rounds of edits: a longer history
        fields = page_fields(client, session)
        for name in fields:
            if name.endswith("-status"):
                fields[name] = "late" if fields[name] == "present" else "present"
        client.post(f"/attendance/session/{session.id}", data=fields)
    large = statements()
    assert small == large, f"{small} statements before, {large} after adding data"
    assert large[0] <= 10 and large[1] <= 5, large  # sessions page, marking page
