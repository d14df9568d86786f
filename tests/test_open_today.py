""""Take attendance" from the home: today's class session of a cohort, found or created, then
its marking page; who may press it."""
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from lms.attendance.models import ClassSession
from lms.cohorts.models import CohortStatus, TimetableSlot
from lms.core.extensions import db
from tests.factories import audit, english

pytestmark = pytest.mark.usefixtures("module_world")


def sessions_today(cohort_id: int) -> list[ClassSession]:
    return list(db.session.scalars(sa.select(ClassSession).where(
        ClassSession.cohort_id == cohort_id, ClassSession.held_on == date.today())))


def press(client, cohort_id: int):
    return client.post(f"/attendance/cohort/{cohort_id}/today")


def test_the_first_press_creates_todays_session_and_opens_its_marking(client, login, world):
    cohort = world.a.cohort
    login(world.a.mentor)
    response = press(client, cohort.id)
    assert response.status_code == 302
    [created] = sessions_today(cohort.id)
    assert response.location.endswith(f"/attendance/session/{created.id}")
    assert created.topic == "" and created.created_by_id == world.a.mentor.id
    assert created.lessons == []
    [entry] = audit("class_session.create", created)
    assert entry.after["held_on"] == date.today().isoformat()
    page = client.get(response.location)
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="att-row"') == 2  # the cohort's students


def test_a_second_press_opens_the_same_session(client, login, world):
    cohort = world.a.cohort
    login(world.a.mentor)
    first = press(client, cohort.id).location
    second = press(client, cohort.id).location
    assert first == second
    assert len(sessions_today(cohort.id)) == 1
    assert len(audit("class_session.create")) == 1


def test_a_session_made_by_hand_today_is_the_one_opened(client, login, world):
    cohort = world.a.cohort
    yesterday = ClassSession(cohort_id=cohort.id, held_on=date.today() - timedelta(days=1), topic="a")
    by_hand = ClassSession(cohort_id=cohort.id, held_on=date.today(), topic="Motors")
    db.session.add_all([yesterday, by_hand])
    db.session.flush()
    login(world.a.head)
    assert press(client, cohort.id).location.endswith(f"/attendance/session/{by_hand.id}")
    assert len(sessions_today(cohort.id)) == 1


def test_an_extra_class_off_the_timetable_is_allowed(client, login, world):
    cohort = world.a.cohort
    tomorrow = (date.today().weekday() + 1) % 7
    cohort.slots = [TimetableSlot(weekday=tomorrow, starts_at=time(16), ends_at=time(17))]
    db.session.flush()
    login(world.a.mentor)
    assert press(client, cohort.id).status_code == 302
    assert len(sessions_today(cohort.id)) == 1


@pytest.mark.parametrize("status", [CohortStatus.PLANNED, CohortStatus.FINISHED])
def test_a_cohort_that_is_not_running_is_refused_with_a_message(client, login, world, status):
    cohort = world.a.cohort
    cohort.status = status
    db.session.flush()
    english(world.a.mentor)
    login(world.a.mentor)
    response = press(client, cohort.id)
    assert response.status_code == 302
    assert response.location.endswith(f"/attendance/cohort/{cohort.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Attendance is taken for running cohorts only." in page
    assert sessions_today(cohort.id) == []


def test_another_centers_cohort_is_not_found(client, login, world):
    login(world.a.mentor)
    assert press(client, world.b.cohort.id).status_code == 404
    login(world.a.head)
    assert press(client, world.b.cohort.id).status_code == 404
    assert sessions_today(world.b.cohort.id) == []


def test_a_substitute_mentor_of_the_center_may_open_it(client, login, world):
    # As with every attendance page: any mentor of the center may keep a cohort's attendance
    # (a colleague covering a class), unlike the gradebook, which is its own mentors'.
    login(world.a.other_mentor)
    assert press(client, world.a.cohort.id).status_code == 302
    assert len(sessions_today(world.a.cohort.id)) == 1


def test_students_cannot_press_it(client, login, world):
    login(world.a.student)
    assert press(client, world.a.cohort.id).status_code == 403


def test_admin_may_open_any_centers_class(client, login, world):
    login(world.admin)
    assert press(client, world.b.cohort.id).status_code == 302
    assert len(sessions_today(world.b.cohort.id)) == 1


def test_without_the_csrf_token_nothing_happens(app, world):
    from tests.factories import signed_in
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = signed_in(app, world.a.mentor)
        assert press(client, world.a.cohort.id).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert sessions_today(world.a.cohort.id) == []
