"""A head in Chromium opens the dashboard, follows a number to the people behind it, and
downloads the donor report (CSV and XLSX), whose figures equal the page's and the hand count,
and whose participants total lists the same people.

The data is tests/dashboard_world.py; its period P = 2026-01-01 … 2026-03-31 is chosen in the
period pickers, as a head would. Worked out by hand for center A ("Alpha") in P:
  active students = donor participants = {s1, s2, s4, s5 (archived), s6 (also at B)} = 5
  (s3 withdrew the day before P, s9's cohort starts the day after P);
  completed a course: s2 = 1; sat an exam: s1 (failed, then passed), s6 = 2 (s2's pass was
  invalidated, s4's is unverified); certified: s1, s6 = 2.
Locators rely on ids and addresses, not words, so the same walk runs in English and Ukrainian.
"""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from lms.core.extensions import db
from tests import dashboard_world
from tests.browser.helpers import sign_in
from tests.dashboard_world import P

ACTIVE = ["Student 1", "Student 2", "Student 4", "Student 5", "Student 6"]
DONOR_TOTAL = {"participants": 5, "completed": 1, "sat": 2, "certified": 2}


def _open_from_menu(page, href: str) -> None:
    """Follow a link of the main navigation; on a 360 px phone the menu is folded first, and
    the link sits in one of its groups."""
    page.locator(".site-menu__toggle").click()
    link = page.locator(f".site-nav a[href='{href}']")
    group = page.locator(".site-nav .nav-group", has=page.locator(f"a[href='{href}']"))
    if group.count():
        group.locator("summary").click()
    link.click()


def _pick_period(page) -> None:
    """Choose P in the page's period picker ("Dates below", From, To) and show it."""
    page.select_option("#preset", "range")
    page.fill("#start", P.start.isoformat())
    page.fill("#end", P.end.isoformat())
    page.click("#submit")


def _download(page, link):
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_head_follows_a_number_and_downloads_the_donor_report(live_server, page, locale):
    world = dashboard_world.build_dashboard_world(date.today())
    head, center = world.A.head, world.A.center
    head.locale = locale
    db.session.commit()

    sign_in(page, live_server, head.email)
    _open_from_menu(page, "/dashboard/")
    page.wait_for_url(f"{live_server}/dashboard/centers/{center.id}")
    assert page.locator("html").get_attribute("lang") == locale
    _pick_period(page)
    card = page.locator("a.figure-card[href*='/people/active?']")
    assert card.locator(".figure-card__value").inner_text() == "5"
    if locale == "en":
        assert "Active students" in card.inner_text()

    card.click()
    page.wait_for_url(f"**/dashboard/centers/{center.id}/people/active?*")
    names = page.locator("#people tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ACTIVE
    if locale == "en":
        assert "5 rows" in page.inner_text("main")

    _open_from_menu(page, "/reports/donor")
    page.locator("main details summary").first.click()  # the filters fold away once a report shows
    _pick_period(page)
    page.wait_for_url("**/reports/donor?*")
    shown = [int(text) for text in
             page.locator("#donor-report tbody tr").first.locator("td").all_inner_texts()]
    assert shown[:4] == list(DONOR_TOTAL.values())

    name, body = _download(page, page.locator("a[href^='/reports/donor.csv']"))
    assert name == f"donor-report-{P.start}-{P.end}.csv"
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Ukrainian text
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [int(value) for value in rows[1][2:]] == shown
    _assert_sections_add_up(rows[2:], len(shown))

    name, body = _download(page, page.locator("a[href^='/reports/donor.xlsx']"))
    assert name == f"donor-report-{P.start}-{P.end}.xlsx"
    book = load_workbook(io.BytesIO(body), read_only=True)
    for sheet in book.worksheets[1:]:  # one sheet per disaggregation, its total row last
        values = list(sheet.iter_rows(min_row=2, values_only=True))
        assert list(values[-1][1:]) == shown
        assert sum(row[1] for row in values[:-1]) == DONOR_TOTAL["participants"]
    assert len(book.worksheets) > 5

    # The participants total leads to the same five people the dashboard listed.
    page.locator("#donor-report tbody tr").first.locator("td a").first.click()
    page.wait_for_url("**/reports/donor/people?*")
    assert sorted(page.locator("#people tbody tr td:first-child").all_inner_texts()) == ACTIVE


def _assert_sections_add_up(rows: list[list[str]], width: int) -> None:
    """Each disaggregation's participants add up to the total (a person counts once)."""
    sums: dict[str, int] = {}
    for row in rows:
        sums[row[0]] = sums.get(row[0], 0) + int(row[2])
        assert len(row) == width + 2
    assert len(sums) > 5 and set(sums.values()) == {DONOR_TOTAL["participants"]}
