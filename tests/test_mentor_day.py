"""The mentor's home starts with the day: today's classes from the timetables of the cohorts they
teach (with students and attendance so far) and the next days' classes. The queries take the
date, so these tests do not depend on the weekday the suite runs on."""
from datetime import date, time, timedelta

import pytest

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import CohortStatus, TimetableSlot
from lms.core.extensions import db
from lms.home.classes import center_classes, mentor_classes
from tests.factories import english, make_cohort

pytestmark = pytest.mark.usefixtures("module_world")

MONDAY = date(2026, 11, 30)  # a Monday inside the world's cohort's dates (it has no end)


def timetable(cohort, *slots):
    cohort.slots = [TimetableSlot(weekday=day, starts_at=time(*start), ends_at=time(*end), place=place)
                    for day, start, end, place in slots]
    db.session.flush()


@pytest.fixture
def week(world):
    """Center a's mentor teaches the world's cohort (Mon 16:00, Wed 16:00) and a second one
    (Mon 10:00, Sat); the other mentor's cohort meets on Monday too."""
    world.a.cohort.start_date = MONDAY - timedelta(days=30)
    timetable(world.a.cohort, (0, (16, 0), (17, 30), "Room 204"), (2, (16, 0), (17, 30), "Room 204"))
    second = make_cohort(world.a.center, world.course, mentors=[world.a.mentor], name="Cloud A",
                         start_date=MONDAY - timedelta(days=7))
    timetable(second, (0, (10, 0), (11, 30), "Online"), (5, (10, 0), (12, 0), "Lab"))
    others = make_cohort(world.a.center, world.course, mentors=[world.a.other_mentor],
                         name="Not mine", start_date=MONDAY - timedelta(days=7))
    timetable(others, (0, (12, 0), (13, 0), ""))
    world.second, world.others = second, others
    return world


def test_todays_classes_in_time_order_with_their_students(week):
    day = mentor_classes(week.a.mentor.id, MONDAY)
    assert [(c.meeting.cohort.name, c.meeting.slot.starts_at) for c in day.today] == [
        ("Cloud A", time(10)), (week.a.cohort.name, time(16))]
    assert [c.students for c in day.today] == [0, 2]
    assert all(c.session_id is None and c.marked == 0 for c in day.today)


def test_next_classes_cover_the_next_seven_days(week):
    day = mentor_classes(week.a.mentor.id, MONDAY)
    assert [(m.day, m.cohort.name) for m in day.upcoming] == [
        (MONDAY + timedelta(days=2), week.a.cohort.name),   # Wednesday
        (MONDAY + timedelta(days=5), "Cloud A"),            # Saturday
        (MONDAY + timedelta(days=7), "Cloud A"),            # next Monday, 10:00
        (MONDAY + timedelta(days=7), week.a.cohort.name)]   # next Monday, 16:00
    assert day.more_upcoming == 0


def test_a_day_without_classes(week):
    sunday = MONDAY + timedelta(days=6)
    assert mentor_classes(week.a.mentor.id, sunday).today == []


def test_cohorts_outside_their_dates_or_not_running_are_left_out(week):
    week.second.end_date = MONDAY - timedelta(days=1)
    week.a.cohort.status = CohortStatus.FINISHED
    db.session.flush()
    day = mentor_classes(week.a.mentor.id, MONDAY)
    assert day.today == [] and day.upcoming == []
    week.second.end_date = None
    week.second.start_date = MONDAY + timedelta(days=3)
    db.session.flush()
    assert [m.day for m in mentor_classes(week.a.mentor.id, MONDAY).upcoming] == [
        MONDAY + timedelta(days=5), MONDAY + timedelta(days=7)]


def test_attendance_taken_today_is_counted(week):
    session = ClassSession(cohort_id=week.a.cohort.id, held_on=MONDAY, topic="")
    db.session.add(session)
    db.session.flush()
    db.session.add(Attendance(session_id=session.id, enrollment_id=week.a.enrollment.id,
                              status=AttendanceStatus.LATE))
    db.session.flush()
    card = mentor_classes(week.a.mentor.id, MONDAY).today[1]
    assert card.session_id == session.id
    assert card.tally == [(AttendanceStatus.LATE, 1)] and card.marked == 1 and card.students == 2


def test_the_head_sees_every_class_of_the_center(week):
    names = [c.meeting.cohort.name for c in center_classes(week.a.center.id, MONDAY).today]
    assert names == ["Cloud A", "Not mine", week.a.cohort.name]
    assert center_classes(week.b.center.id, MONDAY).today == []


def test_the_home_page_starts_with_today(client, login, world):
    today = date.today()
    timetable(world.a.cohort, (today.weekday(), (16, 0), (17, 30), "Room 204"),
              ((today.weekday() + 1) % 7, (9, 0), (10, 0), "Lab"))
    english(world.a.mentor)
    login(world.a.mentor)
    page = client.get("/mentor").get_data(as_text=True)
    today_at, next_at, cohorts_at = (page.index("Today"), page.index("Next classes"),
                                     page.index("My cohorts"))
    assert today_at < next_at < cohorts_at
    card = page[today_at:next_at]
    assert "16:00–17:30" in card and world.a.cohort.name in card and "Room 204" in card
    assert "2 students" in card and "Attendance not taken yet" in card
    assert f'action="/attendance/cohort/{world.a.cohort.id}/today"' in card
    assert f'href="/gradebook/{world.a.cohort.id}"' in card and "Gradebook" in card
    assert "09:00–10:00" in page[next_at:cohorts_at]


def test_the_home_page_in_ukrainian(client, login, world):
    today = date.today()
    timetable(world.a.cohort, (today.weekday(), (16, 0), (17, 30), ""))
    login(world.a.mentor)
    page = client.get("/mentor").get_data(as_text=True)
    assert "Сьогодні" in page and "Відмітити відвідуваність" in page and "Журнал оцінок" in page
    assert "Найближчі заняття" in page
