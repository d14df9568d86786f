"""Shared steps of the browser tests."""
import pathlib

from tests.conftest import PASSWORD


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would (the demo data has its own password)."""
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#submit")
    # Wait for the redirect to the role's home, or the next step could act on the login page
    # while it is being replaced (seen under load: a menu click lost in the navigation).
    page.wait_for_url(lambda url: "/auth/login" not in url)


# Served by the app itself (same origin, so the CSP lets it run): vendored with its licence.
STATIC = pathlib.Path(__file__).parents[2] / "static"
AXE = "/static/" + next(STATIC.glob("vendor/axe-core-*/axe.min.js")).relative_to(STATIC).as_posix()


def person(world, role: str):
    return world.admin if role == "admin" else getattr(world.a, role)


def open_page(browser, base: str, email: str, width: int, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, base, email)
    return context, page


def axe_violations(page) -> list[str]:
    """axe-core's findings on the page as it stands, one line per rule (empty: none at all)."""
    page.add_script_tag(url=AXE)
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => `${v.id} (${v.impact}): ${v.nodes.length}`)")
    return found
