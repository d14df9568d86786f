"""Shared steps of the browser tests."""
from tests.conftest import PASSWORD


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    # Wait for the redirect to the role's home, or the next step could act on the login page
    # while it is being replaced (seen under load: a menu click lost in the navigation).
    page.wait_for_url(lambda url: "/auth/login" not in url)
