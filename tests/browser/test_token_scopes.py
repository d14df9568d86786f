"""The API tokens page in Chromium (issue 18, finding 9): a token is made read-only or
read-write with a select that works without JavaScript, the new secret says its access and the
list names every token's; axe-core finds nothing and a phone is not widened, at both widths.

With TOKENS_SCREENSHOTS=<folder> set, the page is also saved there as a PNG (how
docs/screenshots/stop-16/tokens-*.png were made)."""
import os
from pathlib import Path

import pytest

from lms.tokens.models import TokenScope
from tests.api_support import make_token
from tests.browser.helpers import axe_violations, open_page

SHOTS = os.environ.get("TOKENS_SCREENSHOTS")


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("width", [375, 1366])
def test_a_read_only_token_is_made_and_listed(browser, live_server, world, width, javascript):
    make_token(world.a.mentor, "Donor report script", scope=TokenScope.READ_WRITE)
    context, page = open_page(browser, live_server, world.a.mentor.email, width, javascript)
    page.goto(f"{live_server}/account/tokens/")
    assert page.locator("#scope").input_value() == "read"  # the safe choice is the default
    if javascript:
        assert axe_violations(page) == []
    page.fill("#name", "Attendance export")
    page.select_option("#scope", "read")
    page.locator("#submit").scroll_into_view_if_needed()
    page.locator("#submit").click()
    alert = page.locator("[role=status]").inner_text()
    assert "Лише читання" in alert  # the new token's access, in the mentor's language (uk)
    rows = {row.locator("td").first.inner_text(): row.inner_text()
            for row in page.locator("main table tbody tr").all()}
    assert "Лише читання" in rows["Attendance export"]
    assert "Читання і запис" in rows["Donor report script"]
    assert "Діє" in rows["Attendance export"]  # a token's status, not a student's ("Навчається")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if javascript:
        assert axe_violations(page) == []
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"tokens-page-{width}.png"), full_page=True)
    context.close()
