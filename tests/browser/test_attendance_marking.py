"""The marking page on a phone, in real Chromium: one row per student, status controls at least
44 px tall, no horizontal scrolling, no axe-core violation; and "Everyone present" without
JavaScript keeps the one exception the mentor chose."""
from datetime import date

import pytest
import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.core.extensions import db
from tests.browser.helpers import axe_violations, sign_in
from tests.factories import enroll, make_user

pytestmark = pytest.mark.browser
PHONE = 375


def a_session_of_25(world) -> ClassSession:
    for number in range(23):  # the cohort has two students already
        enroll(make_user(center=world.a.center, full_name=f"Олександра Коваленко {number}"),
               world.a.cohort)
    session = ClassSession(cohort_id=world.a.cohort.id, held_on=date.today(), topic="Сенсори")
    db.session.add(session)
    db.session.commit()
    return session


def open_marking(browser, base, world, session, javascript=True):
    context = browser.new_context(viewport={"width": PHONE, "height": 800},
                                  java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, base, world.a.mentor.email)
    page.goto(f"{base}/attendance/session/{session.id}")
    return context, page


def test_marking_on_a_phone(browser, live_server, world):
    session = a_session_of_25(world)
    context, page = open_marking(browser, live_server, world, session)
    assert page.locator(".att-row").count() == 25
    assert page.locator(".att-status input:checked").count() == 0  # nothing chosen for anyone
    options = page.locator(".att-status__option").all()
    assert len(options) == 100
    for box in (option.bounding_box() for option in options):
        assert box["height"] >= 44, box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert axe_violations(page) == []
    # Tapping a status word chooses it, and the choice is shown with a tick, not colour alone.
    page.locator(".att-row").first.locator(".att-status__option--absent").click()
    checked = page.locator(".att-status__option:has(input:checked)")
    assert checked.count() == 1
    assert checked.evaluate("e => getComputedStyle(e, '::before').content").startswith('"✓')
    context.close()


def test_everyone_present_without_javascript(browser, live_server, world):
    session = a_session_of_25(world)
    context, page = open_marking(browser, live_server, world, session, javascript=False)
    page.locator(".att-row").first.locator(".att-status__option--absent").click()
    page.locator("#everyone_present").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1
    counts = dict(db.session.execute(sa.select(Attendance.status, sa.func.count())
                                     .where(Attendance.session_id == session.id)
                                     .group_by(Attendance.status)).tuples().all())
    assert counts == {AttendanceStatus.ABSENT: 1, AttendanceStatus.PRESENT: 24}
    assert page.locator('[data-status="present"]').inner_text() == "24"
    assert page.locator('[data-status="none"]').inner_text() == "0"
    context.close()
