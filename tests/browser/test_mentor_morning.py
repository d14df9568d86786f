"""The mentor's morning on a 375 px phone, in real Chromium: from home, take today's attendance
for 25 students in at most two page loads, then set five cells of the gradebook from the same
class card; nothing is recorded that the mentor did not choose."""
from datetime import date, time

import pytest
import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.cohorts.models import Enrollment, TimetableSlot
from lms.core.extensions import db
from lms.progress.models import LessonProgress, ProgressStatus
from lms.users.models import User
from tests.browser.helpers import axe_violations, open_page
from tests.factories import enroll, make_user

pytestmark = pytest.mark.browser
PHONE, LAPTOP = 375, 1366


def a_class_of_25_today(world):
    """The world's cohort (two students) gets 23 more and a class on today's weekday."""
    for number in range(23):
        enroll(make_user(center=world.a.center, full_name=f"Олександра Коваленко {number:02d}"),
               world.a.cohort)
    world.a.cohort.slots = [TimetableSlot(weekday=date.today().weekday(), starts_at=time(16),
                                          ends_at=time(17, 30), place="Аудиторія 204")]
    db.session.commit()
    return world.a.cohort


def count_navigations(page) -> list[str]:
    """URLs the main frame navigates to from now on (a POST and its redirect: one)."""
    seen = []
    page.on("framenavigated", lambda frame: seen.append(frame.url)
            if frame == page.main_frame else None)
    return seen


def take_attendance_from_home(page, cohort):
    card = page.locator(".class-card", has_text=cohort.name)
    card.get_by_role("button", name="Відмітити відвідуваність").click()
    page.wait_for_url("**/attendance/session/*")


def mark_everyone_present_but(page, exceptions: dict[int, str]):
    """'Everyone present', then the exceptions: row number → status value."""
    page.locator("#everyone_present").click()
    for row, status in exceptions.items():
        page.locator(".att-row").nth(row).locator(f".att-status__option--{status}").click()


def save(page):
    with page.expect_navigation():
        page.locator("#submit").click()
    assert page.locator(".alert-success").count() == 1


def open_gradebook_from_home(page, cohort):
    with page.expect_navigation():
        page.locator(".brand").click()  # the mark leads home (the menu is folded on a phone)
    card = page.locator(".class-card", has_text=cohort.name)
    with page.expect_navigation():
        card.get_by_role("link", name="Журнал оцінок").click()


def start_five_students_on_this_lesson(page) -> list[str]:
    """On the phone the gradebook is one lesson at a time: 'Started' for five students."""
    chosen = [f"Олександра Коваленко {number:02d}" for number in range(5)]
    for name in chosen:
        row = page.locator(".gb-student", has_text=name)
        row.locator('label[for$="-in_progress"]').click()
    with page.expect_navigation():
        page.get_by_role("button", name="Зберегти урок").click()
    assert page.locator(".alert-success").count() == 1
    return chosen


def progress_rows() -> dict:
    db.session.rollback()  # see what the server committed
    return {(row.enrollment_id, row.lesson_id): (row.status, row.score)
            for row in db.session.scalars(sa.select(LessonProgress))}


def test_from_home_to_saved_attendance_in_two_page_loads(browser, live_server, world):
    cohort = a_class_of_25_today(world)
    context, page = open_page(browser, live_server, world.a.mentor.email, PHONE)
    assert page.url.endswith("/mentor")
    navigations = count_navigations(page)

    take_attendance_from_home(page, cohort)
    assert page.locator(".att-row").count() == 25
    assert page.locator(".att-status input:checked").count() == 0  # nothing chosen yet
    names = page.locator(".att-row__name").all_inner_texts()
    mark_everyone_present_but(page, {3: "absent", 7: "late"})
    assert page.locator(".att-status input:checked").count() == 25
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    save(page)

    assert len(navigations) <= 2, navigations

    before = progress_rows()
    open_gradebook_from_home(page, cohort)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    chosen = start_five_students_on_this_lesson(page)
    context.close()
    after = progress_rows()
    changed = {cell: value for cell, value in after.items() if before.get(cell) != value}
    students = dict(db.session.execute(sa.select(Enrollment.id, User.full_name).join(
        User, User.id == Enrollment.student_id).where(Enrollment.cohort_id == cohort.id)).all())
    assert sorted(students[enrollment] for enrollment, _lesson in changed) == chosen
    assert len({lesson for _enrollment, lesson in changed}) == 1  # the one lesson on screen
    assert set(changed.values()) == {(ProgressStatus.IN_PROGRESS, None)}
    sessions = db.session.scalars(sa.select(ClassSession)).all()
    assert [(s.cohort_id, s.held_on) for s in sessions] == [(cohort.id, date.today())]
    marks = db.session.execute(
        sa.select(Attendance.session_id, Attendance.enrollment_id, Attendance.status)).all()
    assert len(marks) == 25 and {m.session_id for m in marks} == {sessions[0].id}
    enrolled = {e.id for e in cohort_enrollments(cohort.id)}
    assert {m.enrollment_id for m in marks} == enrolled
    by_name = dict(zip(names, ordered_enrollment_ids(cohort.id)))
    statuses = {m.enrollment_id: m.status for m in marks}
    assert statuses[by_name[names[3]]] == AttendanceStatus.ABSENT
    assert statuses[by_name[names[7]]] == AttendanceStatus.LATE
    assert sorted(statuses.values()).count(AttendanceStatus.PRESENT) == 23


def cohort_enrollments(cohort_id: int):
    return db.session.scalars(sa.select(Enrollment).where(Enrollment.cohort_id == cohort_id)).all()


def ordered_enrollment_ids(cohort_id: int) -> list[int]:
    """The cohort's enrollments in the marking page's order (by name, then id)."""
    return list(db.session.scalars(
        sa.select(Enrollment.id).join(User, User.id == Enrollment.student_id)
        .where(Enrollment.cohort_id == cohort_id).order_by(User.full_name, User.id)))


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_home_and_marking_page_have_no_axe_violations(browser, live_server, world, width):
    cohort = a_class_of_25_today(world)
    context, page = open_page(browser, live_server, world.a.mentor.email, width)
    assert page.locator(".class-card").count() == 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for target in page.locator(".class-card .btn").all():
        assert target.bounding_box()["height"] >= 44
    take_attendance_from_home(page, cohort)
    assert axe_violations(page) == []
    page.locator("#everyone_present").click()  # the page after "Everyone present", too
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # the button's hover transition, measured mid-way otherwise
    assert axe_violations(page) == []
    context.close()
