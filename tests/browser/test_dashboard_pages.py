"""The dashboard pages in real Chromium at 375 and 1366 px: nothing wider than the screen, the
charts scaled to it, key figures as cards reached by keyboard with a visible focus ring, and no
axe-core violation of any impact. Data: tests/dashboard_world.py, period P."""
from datetime import date

import pytest

from lms.core.extensions import db
from tests import dashboard_world
from tests.browser.helpers import axe_violations, open_page
from tests.dashboard_world import P

pytestmark = pytest.mark.browser
RANGE = f"preset=range&start={P.start}&end={P.end}"


@pytest.fixture
def dw():
    world = dashboard_world.build_dashboard_world(date.today())
    db.session.commit()
    return world


def _pages(dw):
    center = dw.A.center.id
    return [(dw.A.head, f"/dashboard/centers/{center}?{RANGE}"),
            (dw.admin, f"/dashboard/cluster?{RANGE}"),
            (dw.A.head, f"/dashboard/centers/{center}/people/active?{RANGE}")]


@pytest.mark.parametrize("width", [375, 1366])
def test_dashboard_pages_fit_the_screen_and_pass_axe(browser, live_server, dw, width):
    for user, path in _pages(dw):
        context, page = open_page(browser, live_server, user.email, width)
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        for svg in page.locator("svg.chart").all():
            box = svg.bounding_box()
            assert 0 < box["width"] <= width and box["x"] >= 0, (path, box)
        assert axe_violations(page) == [], (path, width)
        context.close()


def test_the_trend_charts_sit_side_by_side_on_a_laptop_and_stack_on_a_phone(browser, live_server,
                                                                              dw):
    path = f"/dashboard/cluster?{RANGE}"
    tops = {}
    for width in (375, 1366):
        context, page = open_page(browser, live_server, dw.admin.email, width)
        page.goto(live_server + path)
        boxes = [svg.bounding_box() for svg in page.locator(".chart-multiples svg").all()]
        tops[width] = [round(box["y"]) for box in boxes]
        assert len(boxes) == 2 and all(box["height"] > 120 for box in boxes)
        context.close()
    assert tops[1366][0] == tops[1366][1] and tops[375][1] > tops[375][0]


def test_a_key_figure_card_is_reached_by_keyboard_and_shows_where_focus_is(browser, live_server,
                                                                           dw):
    context, page = open_page(browser, live_server, dw.A.head.email, 1366)
    page.goto(f"{live_server}/dashboard/centers/{dw.A.center.id}?{RANGE}")
    card = page.locator("a.figure-card").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('figure-card')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('figure-card')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    assert card.bounding_box()["height"] >= 44
    assert page.evaluate("getComputedStyle(document.activeElement).textDecorationLine") == "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dashboard/centers/{dw.A.center.id}/people/active?*")
    assert page.locator("#people tbody tr").count() == 5
    context.close()
