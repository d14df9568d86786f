"""Sign-in in a real browser, on a phone-sized screen, in Ukrainian and then English."""

from lms.users.models import Role
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
