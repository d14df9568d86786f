"""The header in real Chromium: one row at most 72 px tall on a laptop for every role, one menu
button on a phone, groups that open without JavaScript, 44 px tap targets, and no axe-core
violation on any role's start page at either width."""
import pytest

from tests.browser.helpers import axe_violations, open_page, person

pytestmark = pytest.mark.browser

ROLES = ("student", "mentor", "head", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_the_header_is_one_row_on_a_laptop(browser, live_server, world, role):
    context, page = open_page(browser, live_server, person(world, role).email, 1366)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 72, (role, header)
    assert page.locator(".site-menu__toggle").is_hidden()
    tops = {round(box["y"]) for box in (link.bounding_box() for link in
                                        page.locator(".site-nav__link").all())}
    assert len(tops) == 1, f"{role}: the entries sit on {len(tops)} rows"
    top_level = page.locator(".site-nav__list > li").count()
    assert 1 <= top_level <= 6, (role, top_level)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert axe_violations(page) == [], role
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_on_a_phone_the_menu_is_one_button(browser, live_server, world, role):
    context, page = open_page(browser, live_server, person(world, role).email, 360)
    toggle = page.locator(".site-menu__toggle")
    assert toggle.is_visible()
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".site-header").bounding_box()["height"] <= 72
    toggle.click()
    links = page.locator(".site-nav__link")
    assert links.first.is_visible()
    for box in (link.bounding_box() for link in links.all() if link.is_visible()):
        assert box["height"] >= 44, (role, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == [], role
    context.close()


def test_a_group_opens_without_javascript_and_leads_to_its_page(browser, live_server, world):
    context, page = open_page(browser, live_server, world.a.head.email, 1366, javascript=False)
    group = page.locator(".site-nav__list .nav-group", has_text="Reports")
    if not group.count():  # the head reads Ukrainian unless told otherwise
        group = page.locator(".site-nav__list .nav-group").last
    group.locator("summary").click()
    entry = group.locator(".nav-group__list a").first
    assert entry.is_visible()
    entry.click()
    page.wait_for_load_state()
    assert page.locator("main h1").count() == 1
    context.close()


def test_one_open_group_closes_the_others_and_escape_closes_it(browser, live_server, world):
    context, page = open_page(browser, live_server, world.admin.email, 1366)
    first, second = page.locator(".site-nav__list .nav-group > summary").all()[:2]
    first.click()
    second.click()
    opened = page.locator(".site-nav__list .nav-group[open]")
    assert opened.count() == 1
    page.keyboard.press("Escape")
    assert opened.count() == 0
    context.close()


def test_the_user_menu_holds_the_account_and_signs_out(browser, live_server, world):
    context, page = open_page(browser, live_server, world.a.mentor.email, 1366)
    page.locator(".user-menu > summary").click()
    panel = page.locator(".user-menu__panel")
    assert world.a.mentor.full_name in panel.inner_text()
    assert panel.locator("select#language").is_visible()
    panel.locator("button[type=submit]", has_text="").last.click()
    page.wait_for_url(lambda url: "/auth/login" in url)
    context.close()
