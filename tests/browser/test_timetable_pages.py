"""The pages that show or edit a timetable, in real Chromium at 375 and 1366 px: the cohort page,
the cohort form (also with a refused row) and the head's home: no axe-core violation, no
page-wide horizontal scrolling."""
import pytest

from tests.browser.helpers import axe_violations, open_page
from tests.browser.test_mentor_morning import a_class_of_25_today

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1366])
def test_timetable_pages_are_clean(browser, live_server, world, width):
    cohort = a_class_of_25_today(world)
    context, page = open_page(browser, live_server, world.a.head.email, width)

    def clean():
        assert axe_violations(page) == [], page.url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url

    assert page.locator("#center-today-title").count() == 1
    clean()
    page.goto(f"{live_server}/cohorts/{cohort.id}")
    assert page.locator(".timetable__slot").count() == 1
    clean()
    page.goto(f"{live_server}/cohorts/{cohort.id}/edit")
    clean()
    page.evaluate("document.getElementById('slots-0-ends_at').value = '15:00'")
    page.locator("#submit").click()
    page.wait_for_load_state()
    assert page.locator("#slots-0-ends_at-error").count() == 1
    clean()
    context.close()
