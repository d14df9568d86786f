"""Shared steps of the browser tests."""
from tests.conftest import PASSWORD


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
