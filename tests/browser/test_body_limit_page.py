"""Issue 18, finding 3 in a real browser: a form over the body limit lands on a 413 page in
the reader's language that names the limit, axe-clean and without sideways scrolling."""
import os

import pytest

from tests.browser.helpers import axe_violations


@pytest.mark.parametrize("width", [375, 1366])
def test_a_form_over_the_limit_shows_the_413_page(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", "someone@example.org")
    page.evaluate("() => { document.querySelector('#password').value = 'x'.repeat(1100000); }")
    with page.expect_navigation() as navigation:
        page.click("#submit")
    assert navigation.value.status == 413
    text = page.inner_text("main")
    assert "Файл або форма, які ви надіслали, завеликі: щонайбільше 1 МБ." in text
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    if folder := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(folder, f"config-413-{width}.png"), full_page=True)
    context.close()
