"""The audit log in Chromium, in the reader's language: axe-core finds nothing and the page does
not widen a phone, with entries of several kinds (names, labels, translated values, dates).

With WORDS_SCREENSHOTS=<folder> set, each page is also saved there as a PNG (how
docs/screenshots/stop-16/words-*.png were made)."""
import os
from datetime import date
from pathlib import Path

import pytest

from lms.certifications.models import Stage
from lms.core.extensions import db
from tests.browser.helpers import axe_violations, open_page
from tests.factories import make_certification, make_pursuit
from tests.test_audit_view import entry

SHOTS = os.environ.get("WORDS_SCREENSHOTS")


def fill_log(world) -> None:
    a = world.a
    entry(a.center, a.head, "user.create", "User", a.student.id, after={
        "full_name": a.student.full_name, "email": a.student.email, "role": "student",
        "sex": "female", "settlement": "rural", "learner_type": "school",
        "center_id": a.center.id, "date_of_birth": "2010-05-31"})
    entry(a.center, a.head, "cohort.update", "Cohort", a.cohort.id, days_ago=1,
          before={"name": a.cohort.name, "status": "planned", "capacity": 20,
                  "mentor_ids": [a.mentor.id], "start_date": "2026-09-01"},
          after={"name": a.cohort.name, "status": "running", "capacity": 25,
                 "mentor_ids": [a.mentor.id], "start_date": "2026-09-01"})
    entry(a.center, a.mentor, "attendance.mark", "Attendance", 5, days_ago=2,
          before=None, after={"status": "excused", "remark": "Хворіє"})
    entry(a.center, a.head, "voucher.revoke", "Voucher", a.voucher.id, days_ago=3,
          before={"status": "available"}, after={"status": "revoked", "revoke_reason": "lost"})


def shoot(page, name: str, width: int) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"words-{name}-{width}.png"), full_page=True)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [375, 1366])
@pytest.mark.parametrize("locale", ["uk", "en"])
def test_the_audit_log_reads_well_and_passes_axe(browser, live_server, world, locale, width):
    world.a.head.locale = locale
    db.session.commit()
    fill_log(world)
    context, page = open_page(browser, live_server, world.a.head.email, width)
    page.goto(f"{live_server}/audit/")
    table = page.locator("main table").first.inner_text()
    assert ("Відвідуваність позначено" if locale == "uk" else "Attendance marked") in table
    assert ("З поважної причини" if locale == "uk" else "Excused") in table
    assert world.a.center.name in table and "center_id" not in table
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    if locale == "uk":
        shoot(page, "audit", width)
    # the filters in their error state pass too
    page.goto(f"{live_server}/audit/?date_from=2026-11-10&date_to=2026-11-01")
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [375, 1366])
def test_the_path_pages_talk_to_their_reader(browser, live_server, world, width):
    """The staff's pursuit page and the student's path page, both in Ukrainian."""
    pursuit = make_pursuit(world.a.student, make_certification(name="AWS Cloud Practitioner"),
                           stage=Stage.PASSED, result_date=date.today(), credential_id="AWS-1")
    for who, url, name in ((world.a.mentor, f"/pursuits/{pursuit.id}", "pursuit-staff"),
                           (world.a.student, f"/paths/{pursuit.id}", "path-student")):
        who.locale = "uk"
        db.session.commit()
        context, page = open_page(browser, live_server, who.email, width)
        page.goto(live_server + url)
        text = page.locator(".next-action").inner_text()
        staff = who is world.a.mentor
        assert ("Перевірте сертифікат" in text) == staff
        assert ("Ваш ментор" in text) == (not staff)
        assert overflow(page) <= 0
        assert axe_violations(page) == []
        shoot(page, name, width)
        context.close()


@pytest.mark.parametrize("width", [375, 1366])
def test_upload_and_download_and_category_are_different_words(browser, live_server, world,
                                                              width):
    """Side by side, upload is «Надіслати файл» and download «Завантажити»; the donor report's
    rows are categories, not face values."""
    world.a.head.locale = "uk"
    db.session.commit()
    context, page = open_page(browser, live_server, world.a.head.email, width)
    page.goto(f"{live_server}/imports/")
    main = page.locator("main").inner_text()
    assert "Надіслати файл" in main and "Завантажити шаблон" in main
    assert "Завантажити файл" not in main
    assert overflow(page) <= 0 and axe_violations(page) == []
    shoot(page, "imports", width)
    page.goto(f"{live_server}/reports/donor")
    header = page.locator("#donor-report thead").inner_text()
    assert "Категорія" in header and "Номінал" not in header
    assert axe_violations(page) == []
    shoot(page, "donor-report", width)
    context.close()
