"""The center's cohorts over HTTP: list, CSV, create and edit with their refusals and audit."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.cohorts.models import Cohort, CohortStatus
from lms.core.extensions import db
from lms.users.models import Role
from tests.factories import audit, count, english, enroll, make_cohort, make_course, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

TODAY = date.today()


def form(world, **changes) -> dict:
    data = {"name": "Robotics spring", "course_id": world.course.id,
            "mentor_ids": [world.a.mentor.id], "capacity": "12",
            "start_date": TODAY.isoformat(), "end_date": (TODAY + timedelta(days=90)).isoformat(),
            "schedule": "Tue/Thu 16:00", "status": "planned"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def heads(world):
    english(world.a.head, world.b.head, world.admin, world.a.mentor)
    return world


# --- list and CSV ------------------------------------------------------------------------

def test_head_lists_own_center_cohorts_with_filters(client, login, heads):
    world = heads
    other_course = make_course(title="Cloud basics")
    make_cohort(world.a.center, other_course, name="Cloud A", status=CohortStatus.PLANNED)
    login(world.a.head)
    page = client.get("/cohorts/").get_data(as_text=True)
    assert world.a.cohort.name in page and "Cloud A" in page
    assert world.b.cohort.name not in page
    planned = client.get("/cohorts/?status=planned").get_data(as_text=True)
    assert "Cloud A" in planned and world.a.cohort.name not in planned
    by_course = client.get(f"/cohorts/?course={world.course.id}").get_data(as_text=True)
    assert world.a.cohort.name in by_course and "Cloud A" not in by_course
    # a head asking for another center's cohorts gets none of them
    other = client.get(f"/cohorts/?center={world.b.center.id}").get_data(as_text=True)
    assert world.b.cohort.name not in other


def test_admin_filters_by_center(client, login, heads):
    login(heads.admin)
    page = client.get(f"/cohorts/?center={heads.b.center.id}").get_data(as_text=True)
    assert heads.b.cohort.name in page and heads.a.cohort.name not in page


def test_mentor_reads_the_list_without_edit_links(client, login, heads):
    login(heads.a.mentor)
    page = client.get("/cohorts/").get_data(as_text=True)
    assert heads.a.cohort.name in page
    assert "/edit" not in page and "/cohorts/new" not in page
    assert client.get("/cohorts/new").status_code == 403
    assert client.get(f"/cohorts/{heads.a.cohort.id}/edit").status_code == 403


@pytest.mark.parametrize("query", ["status=ongoing", "course=abc", "page=-1", "center=x"])
def test_bad_filter_values_are_a_bad_request(client, login, heads, query):
    login(heads.a.head)
    assert client.get(f"/cohorts/?{query}").status_code == 400


def test_csv_lists_filtered_cohorts_of_own_center(client, login, heads):
    login(heads.a.head)
    response = client.get("/cohorts/export.csv?status=running", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith('\ufeff"Cohort","Center","Course code"')
    assert heads.a.cohort.name in body and heads.b.cohort.name not in body
    assert heads.a.mentor.full_name in body
    row = next(line for line in body.splitlines() if heads.a.cohort.name in line)
    assert ',"Running",' in row and ',"2",' in row  # two students enrolled


# --- create -------------------------------------------------------------------------------

def test_head_creates_a_cohort_and_it_is_audited(client, login, heads):
    world = heads
    login(world.a.head)
    response = client.post("/cohorts/new", data=form(world, mentor_ids=[
        world.a.mentor.id, world.a.other_mentor.id]))
    assert response.status_code == 302
    cohort = db.session.scalars(sa.select(Cohort).where(Cohort.name == "Robotics spring")).one()
    assert cohort.center_id == world.a.center.id and cohort.capacity == 12
    assert {m.id for m in cohort.mentors} == {world.a.mentor.id, world.a.other_mentor.id}
    assert response.location.endswith(f"/cohorts/{cohort.id}")
    [entry] = audit("cohort.create")
    assert entry.before is None and entry.actor_id == world.a.head.id
    assert entry.center_id == world.a.center.id and entry.object_id == cohort.id
    assert entry.after["name"] == "Robotics spring" and entry.after["capacity"] == 12
    assert entry.after["mentor_ids"] == sorted([world.a.mentor.id, world.a.other_mentor.id])


def test_admin_picks_a_center_first(client, login, heads):
    login(heads.admin)
    picker = client.get("/cohorts/new")
    assert picker.status_code == 200 and heads.b.center.name in picker.get_data(as_text=True)
    page = client.get(f"/cohorts/new?center={heads.b.center.id}").get_data(as_text=True)
    assert heads.b.mentor.full_name in page and heads.a.mentor.full_name not in page
    response = client.post(f"/cohorts/new?center={heads.b.center.id}",
                           data=form(heads, mentor_ids=[heads.b.mentor.id]))
    assert response.status_code == 302
    created = db.session.scalars(sa.select(Cohort).where(Cohort.name == "Robotics spring")).one()
    assert created.center_id == heads.b.center.id
    assert client.get("/cohorts/new?center=999999").status_code == 404


REFUSALS = {
    "no mentor": (dict(mentor_ids=None), "Choose at least one mentor."),
    "end before start": (dict(end_date=(TODAY - timedelta(days=1)).isoformat()),
                         "The end date cannot be before the start date."),
    "no name": (dict(name="  "), "This field is required."),
    "zero capacity": (dict(capacity="0"), "Number must be between 1 and 1000."),
    "bad date": (dict(start_date="31.02.2026"), "Not a valid date value."),
    "bad status": (dict(status="paused"), "Not a valid choice."),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_create_refusals_write_nothing(client, login, heads, case):
    changes, message = REFUSALS[case]
    login(heads.a.head)
    before = count(Cohort)
    response = client.post("/cohorts/new", data=form(heads, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Cohort) == before and audit("cohort.create") == []


def test_mentors_of_another_center_or_inactive_are_refused(client, login, heads):
    world = heads
    retired = make_user(Role.MENTOR, world.a.center, is_active=False)
    login(world.a.head)
    for outsider in (world.b.mentor.id, retired.id, world.a.student.id):
        response = client.post("/cohorts/new", data=form(world, mentor_ids=[outsider]))
        assert response.status_code == 422
        assert "Only active mentors of this center can teach the cohort." in \
            response.get_data(as_text=True)
    assert audit("cohort.create") == []


def test_unpublished_course_is_refused(client, login, heads):
    draft = make_course(title="Draft course")
    draft.is_published = False
    db.session.commit()
    login(heads.a.head)
    response = client.post("/cohorts/new", data=form(heads, course_id=draft.id))
    assert response.status_code == 422 and "Not a valid choice." in response.get_data(as_text=True)
    assert audit("cohort.create") == []


# --- edit ---------------------------------------------------------------------------------

def test_head_edits_a_cohort_and_before_after_are_audited(client, login, heads):
    world = heads
    cohort, old_name = world.a.cohort, world.a.cohort.name
    login(world.a.head)
    page = client.get(f"/cohorts/{cohort.id}/edit").get_data(as_text=True)
    assert f'value="{old_name}"' in page
    response = client.post(f"/cohorts/{cohort.id}/edit", data=form(
        world, name="Renamed", capacity="5", status="finished", mentor_ids=[world.a.other_mentor.id],
        start_date=cohort.start_date.isoformat()))
    assert response.status_code == 302
    [entry] = audit("cohort.update")
    assert entry.before["name"] == old_name and entry.after["name"] == "Renamed"
    assert entry.before["status"] == "running" and entry.after["status"] == "finished"
    assert entry.before["capacity"] is None and entry.after["capacity"] == 5
    assert entry.before["mentor_ids"] == [world.a.mentor.id]
    assert entry.after["mentor_ids"] == [world.a.other_mentor.id]
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).name == "Renamed"


def test_capacity_cannot_drop_below_enrolled_students(client, login, heads):
    world = heads  # the cohort holds two students
    login(world.a.head)
    response = client.post(f"/cohorts/{world.a.cohort.id}/edit", data=form(
        world, name="Shrunk", capacity="1", start_date=world.a.cohort.start_date.isoformat()))
    assert response.status_code == 422
    assert "The capacity cannot be below the 2 students enrolled now." in \
        response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cohort, world.a.cohort.id).name != "Shrunk"
    assert audit("cohort.update") == []


def test_course_stays_while_students_are_enrolled(client, login, heads):
    other = make_course(title="Other course")
    login(heads.a.head)
    response = client.post(f"/cohorts/{heads.a.cohort.id}/edit", data=form(
        heads, course_id=other.id, start_date=heads.a.cohort.start_date.isoformat()))
    assert response.status_code == 422
    assert "The course cannot change while students are enrolled" in response.get_data(as_text=True)
    assert audit("cohort.update") == []


def test_an_unchanged_save_writes_no_audit_entry(client, login, heads):
    cohort = heads.a.cohort
    login(heads.a.head)
    data = form(heads, name=cohort.name, capacity=None, end_date=None, schedule="",
                status="running", start_date=cohort.start_date.isoformat())
    assert client.post(f"/cohorts/{cohort.id}/edit", data=data).status_code == 302
    assert audit("cohort.update") == []


def test_inactive_current_mentor_may_stay(client, login, heads):
    world = heads
    world.a.mentor.is_active = False
    db.session.commit()
    login(world.a.head)
    response = client.post(f"/cohorts/{world.a.cohort.id}/edit", data=form(
        world, name="Kept", start_date=world.a.cohort.start_date.isoformat(),
        mentor_ids=[world.a.mentor.id]))
    assert response.status_code == 302


def test_another_centers_cohort_is_not_found(client, login, heads):
    login(heads.a.head)
    target = heads.b.cohort
    assert client.get(f"/cohorts/{target.id}/edit").status_code == 404
    response = client.post(f"/cohorts/{target.id}/edit",
                           data=form(heads, mentor_ids=[heads.b.mentor.id]))
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Cohort, target.id).name == target.name


# --- pages: statements and languages ---------------------------------------------------------

def grow(world, count: int) -> None:
    for n in range(count):
        course = make_course(modules=1, lessons_per_module=1)
        cohort = make_cohort(world.a.center, course, mentors=[world.a.mentor, world.a.other_mentor])
        enroll(make_user(Role.STUDENT, world.a.center), cohort)


@pytest.mark.parametrize("who, url", [
    ("head", lambda w: "/cohorts/"),
    ("admin", lambda w: "/cohorts/"),
    ("head", lambda w: f"/cohorts/{w.a.cohort.id}/edit"),
    ("head", lambda w: "/cohorts/new"),
])
def test_statement_count_does_not_grow_with_data(login, world, page_statements, who, url):
    login(world.admin if who == "admin" else world.a.head)
    small = page_statements(url(world))
    grow(world, 6)
    large = page_statements(url(world))
    assert small == large, (small, large)
    assert large <= 12, large


@pytest.mark.parametrize("language", ["uk", "en"])
def test_pages_render_in_both_languages(client, login, world, language):
    world.a.head.locale = language
    db.session.commit()
    login(world.a.head)
    for url in ("/cohorts/", f"/cohorts/{world.a.cohort.id}/edit", "/cohorts/new",
                "/cohorts/export.csv"):
        response = client.get(url, buffered=True)
        assert response.status_code == 200, url
    page = client.get("/cohorts/").get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    assert ("Групи" in page) if language == "uk" else ("Cohorts" in page)
