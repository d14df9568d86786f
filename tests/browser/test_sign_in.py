"""Sign-in in a real browser, on a phone-sized screen, in Ukrainian and then English."""

import pytest

from lms.users.models import Role
from tests.browser.helpers import axe_violations, open_page
from tests.conftest import PASSWORD
from tests.factories import make_center, make_user


def test_head_signs_in_with_the_keyboard_and_switches_language(live_server, page):
    center = make_center(name="Ресурсний центр Тест")
    head = make_user(Role.HEAD, center, full_name="Оксана Тестова")
    make_user(Role.STUDENT, center)

    page.goto(f"{live_server}/center")
    assert page.url.startswith(f"{live_server}/auth/login")
    assert page.locator("html").get_attribute("lang") == "uk"
    page.get_by_label("Електронна пошта").fill(head.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server}/center")
    assert page.get_by_role("heading", level=1).inner_text() == "Ресурсний центр Тест"
    assert "У центрі 1 активний студент." in page.content()

    page.get_by_text("Меню", exact=True).click()  # the phone's one menu button
    page.get_by_text("Оксана Тестова", exact=True).click()  # the user menu: language, sign out
    page.get_by_label("Мова").select_option("en")  # JavaScript submits the form on change
    page.wait_for_selector("html[lang=en]")
    assert "The center has 1 active student." in page.content()
    assert page.url == f"{live_server}/center"


def open_user_menu(page, width: int, name: str) -> None:
    if width < 1200:
        page.get_by_text("Меню", exact=True).click()  # the phone's one menu button
    page.get_by_text(name, exact=True).click()


@pytest.mark.parametrize("width", [375, 1366])
def test_sign_out_everywhere_from_the_user_menu(live_server, browser, width):
    """Issue 18, finding 5: the menu's 'Sign out everywhere' ends the other browser's session and
    a copy of this browser's cookies, and the open menu passes axe-core."""
    center = make_center(name="Ресурсний центр Вихід")
    head = make_user(Role.HEAD, center, full_name="Ганна Виходько")
    other, other_page = open_page(browser, live_server, head.email, 375)
    context, page = open_page(browser, live_server, head.email, width)
    device = [c for c in context.cookies() if c["name"] == "lms_device"]
    assert device and device[0]["httpOnly"] and device[0]["path"] == "/auth"
    copied = context.cookies()

    open_user_menu(page, width, "Ганна Виходько")
    button = page.get_by_role("button", name="Вийти на всіх пристроях")
    assert button.is_visible() and button.bounding_box()["height"] >= 44
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    button.click()
    page.wait_for_url(f"{live_server}/auth/login")
    assert "Ви вийшли з системи на всіх пристроях." in page.content()

    other_page.goto(f"{live_server}/center")
    assert other_page.url.startswith(f"{live_server}/auth/login")
    thief = browser.new_context()
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(f"{live_server}/center")
    assert stolen.url.startswith(f"{live_server}/auth/login")
    for opened in (thief, other, context):
        opened.close()
