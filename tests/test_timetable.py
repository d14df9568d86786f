"""A cohort's timetable: its rules, the cohort form's timetable rows (both languages), the cohort
page and CSV, and the audit trail."""
from datetime import date, time

import pytest
import sqlalchemy as sa

from lms.cohorts.models import Cohort, TimetableSlot
from lms.cohorts.timetable import SlotInput, slot_problems
from lms.core.extensions import db
from tests.factories import audit, english, fresh

pytestmark = pytest.mark.usefixtures("module_world")

TODAY = date.today()


def slot(day=0, start=(16, 0), end=(17, 30), place=""):
    return SlotInput(day, time(*start), time(*end), place)


# --- the rules ----------------------------------------------------------------------------

def test_a_good_timetable_has_no_problems(app):
    with app.test_request_context():
        assert slot_problems([slot(0), slot(0, (17, 30), (19, 0)), slot(2, place="Room 2")]) == []


@pytest.mark.parametrize("slots, row, field", [
    ([slot(7)], 0, "weekday"),
    ([slot(-1)], 0, "weekday"),
    ([slot(0, (17, 0), (16, 0))], 0, "ends_at"),
    ([slot(0, (16, 0), (16, 0))], 0, "ends_at"),
    ([slot(0, place="x" * 121)], 0, "place"),
    ([slot(3), slot(3, (17, 0), (18, 0))], 1, "starts_at"),  # overlaps 16:00–17:30
    ([slot(3, (15, 0), (19, 0)), slot(3)], 1, "starts_at"),  # inside the other
])
def test_broken_rules_are_named_at_their_row(app, slots, row, field):
    with app.test_request_context():
        problems = slot_problems(slots)
        assert [(r, f) for r, f, _m in problems] == [(row, field)]


def test_overlap_message_names_the_other_class(app):
    with app.test_request_context():
        [(_row, _field, message)] = slot_problems([slot(1), slot(1, (17, 0), (18, 0))])
        assert str(message).endswith(", 16:00–17:30.")


def test_the_database_refuses_an_end_before_the_start(world):
    db.session.add(TimetableSlot(cohort_id=world.a.cohort.id, weekday=0, starts_at=time(17),
                                 ends_at=time(16), place=""))
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_the_database_refuses_a_weekday_out_of_range(world):
    db.session.add(TimetableSlot(cohort_id=world.a.cohort.id, weekday=7, starts_at=time(16),
                                 ends_at=time(17), place=""))
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


# --- the cohort form ------------------------------------------------------------------------

def rows(*slots, blank=2) -> dict:
    """Form fields of timetable rows: (weekday, start, end, place) tuples, then blank rows."""
    data = {}
    for n, (day, start, end, place) in enumerate([*slots, *[("", "", "", "")] * blank]):
        data.update({f"slots-{n}-weekday": str(day), f"slots-{n}-starts_at": start,
                     f"slots-{n}-ends_at": end, f"slots-{n}-place": place})
    return data


def cohort_form(world, **changes) -> dict:
    data = {"name": "Robotics autumn", "course_id": world.course.id,
            "mentor_ids": [world.a.mentor.id], "start_date": TODAY.isoformat(),
            "schedule": "No classes in the holidays", "status": "running"}
    data.update(changes)
    return data


@pytest.fixture
def heads(world):
    english(world.a.head, world.admin)
    return world


def slots_of(cohort_id: int) -> list[tuple]:
    return list(db.session.execute(
        sa.select(TimetableSlot.weekday, TimetableSlot.starts_at, TimetableSlot.ends_at,
                  TimetableSlot.place).where(TimetableSlot.cohort_id == cohort_id)
        .order_by(TimetableSlot.weekday, TimetableSlot.starts_at)).tuples())


def test_the_new_cohort_form_offers_blank_timetable_rows(client, login, heads):
    login(heads.a.head)
    page = client.get("/cohorts/new").get_data(as_text=True)
    assert page.count('type="time"') == 8  # four rows, a start and an end each
    assert ">Monday</option>" in page and ">Sunday</option>" in page
    assert "Schedule notes" in page


def test_head_creates_a_cohort_with_its_timetable(client, login, heads):
    login(heads.a.head)
    data = cohort_form(heads, **rows((3, "17:00", "18:30", "Room 2"), (1, "16:00", "17:30", "")))
    response = client.post("/cohorts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    cohort = db.session.scalars(sa.select(Cohort).where(Cohort.name == "Robotics autumn")).one()
    assert slots_of(cohort.id) == [(1, time(16), time(17, 30), ""),
                                   (3, time(17), time(18, 30), "Room 2")]
    assert cohort.schedule == "No classes in the holidays"
    [entry] = audit("cohort.create", cohort)
    assert entry.after["timetable"] == [
        {"weekday": 1, "starts_at": "16:00", "ends_at": "17:30", "place": ""},
        {"weekday": 3, "starts_at": "17:00", "ends_at": "18:30", "place": "Room 2"}]
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Tuesday" in page and "16:00–17:30" in page and "Room 2" in page
    assert "No classes in the holidays" in page


def test_editing_shows_the_timetable_and_replaces_it(client, login, heads):
    cohort = heads.a.cohort
    cohort.slots = [TimetableSlot(weekday=0, starts_at=time(16), ends_at=time(17), place="A")]
    db.session.flush()
    login(heads.a.head)
    page = client.get(f"/cohorts/{cohort.id}/edit").get_data(as_text=True)
    assert 'id="slots-0-starts_at" name="slots-0-starts_at" type="time" value="16:00"' in page
    assert 'value="A"' in page and 'id="slots-3-place"' in page
    assert page.count('type="time"') == 8  # the slot and three blank rows
    data = cohort_form(heads, name=cohort.name, **rows(("", "", "", ""), (4, "15:00", "16:30", "Lab")))
    response = client.post(f"/cohorts/{cohort.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert slots_of(cohort.id) == [(4, time(15), time(16, 30), "Lab")]
    [entry] = audit("cohort.update", cohort)
    assert entry.before["timetable"] == [{"weekday": 0, "starts_at": "16:00",
                                          "ends_at": "17:00", "place": "A"}]
    assert entry.after["timetable"][0]["weekday"] == 4


def test_saving_the_same_timetable_writes_no_audit_entry(client, login, heads):
    cohort = heads.a.cohort
    cohort.slots = [TimetableSlot(weekday=2, starts_at=time(16), ends_at=time(17), place="")]
    db.session.flush()
    login(heads.a.head)
    data = cohort_form(heads, name=cohort.name, start_date=cohort.start_date.isoformat(),
                       schedule="", **rows((2, "16:00", "17:00", "")))
    assert client.post(f"/cohorts/{cohort.id}/edit", data=data).status_code == 302
    assert audit("cohort.update", cohort) == []


FORM_ERRORS = {
    "end before start": (rows((0, "17:00", "16:00", "")), "The class must end after it starts."),
    "overlap": (rows((2, "16:00", "17:30", ""), (2, "17:00", "18:00", "")),
                "This class overlaps another class of the cohort: Wednesday, 16:00–17:30."),
    "no day": (rows(("", "16:00", "17:00", "Room")), "Choose a day of the week."),
    "no end": (rows((1, "16:00", "", "")), "Enter the time the class ends."),
    "day out of range": (rows((9, "16:00", "17:00", "")), "Choose a day of the week."),
    "not a day": (rows(("friday", "16:00", "17:00", "")), "Invalid Choice: could not coerce."),
    "bad time": (rows((1, "25:00", "26:00", "")), "Not a valid time value."),
    "long place": (rows((1, "16:00", "17:00", "x" * 121)), "Field cannot be longer than 120"),
}


@pytest.mark.parametrize("case", list(FORM_ERRORS))
def test_timetable_errors_are_shown_at_their_row_and_nothing_is_written(client, login, heads, case):
    fields, message = FORM_ERRORS[case]
    login(heads.a.head)
    before = db.session.scalar(sa.select(sa.func.count(Cohort.id)))
    response = client.post("/cohorts/new", data=cohort_form(heads, **fields))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page, page[:3000]
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == before


def test_timetable_errors_in_ukrainian(client, login, heads):
    head = heads.a.head
    head.locale = "uk"
    db.session.flush()
    login(head)
    page = client.get("/cohorts/new").get_data(as_text=True)
    assert ">Понеділок</option>" in page and "Примітки до розкладу" in page
    response = client.post("/cohorts/new", data=cohort_form(
        heads, **rows((2, "16:00", "17:30", ""), (2, "17:00", "18:00", ""), (0, "18:00", "17:00", ""))))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Заняття має закінчуватися пізніше, ніж починається." in page
    assert "Це заняття перетинається з іншим заняттям групи: Середа, 16:00–17:30." in page


def test_the_service_refuses_a_broken_timetable_too(heads):
    from lms.cohorts.services import CohortError, CohortInput, update_cohort
    data = CohortInput(name="X", course_id=heads.course.id, start_date=TODAY,
                       mentor_ids=[heads.a.mentor.id],
                       slots=[slot(0), slot(0, (17, 0), (18, 0))])
    with pytest.raises(CohortError):
        update_cohort(fresh(heads.a.cohort), data, heads.a.head)


def test_the_cohort_csv_has_the_timetable(client, login, heads):
    cohort = heads.a.cohort
    cohort.slots = [TimetableSlot(weekday=5, starts_at=time(10), ends_at=time(12), place="Lab")]
    db.session.flush()
    login(heads.a.head)
    body = client.get("/cohorts/export.csv", buffered=True).get_data(as_text=True)
    assert '"Timetable","Schedule notes"' in body
    assert "Saturday 10:00–12:00 (Lab)" in body


def test_cohort_without_timetable_says_so(client, login, heads):
    login(heads.a.head)
    page = client.get(f"/cohorts/{heads.b.cohort.id}").status_code
    assert page == 404  # another center's cohort
    own = client.get(f"/cohorts/{heads.a.cohort.id}").get_data(as_text=True)
    assert "No timetable yet." in own

