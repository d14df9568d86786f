"""Security headers, cookie flags, session end, and templates that need no inline script."""
import re
from pathlib import Path

import pytest

from config import ProductionConfig
from lms import create_app
from lms.core.extensions import db
from tests.conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JS_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE)


def templates():
    return sorted(p for p in TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_scan():
    assert len(templates()) > 20


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_carries_inline_script_handlers_or_styles(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> body: move it to static/js/"
    assert not HANDLER.search(text), "on*= handler: attach it from a static script"
    assert not STYLE_ATTRIBUTE.search(text), "style= attribute: use a class in static/css/"
    assert not JS_URL.search(text), "javascript: URL"


@pytest.mark.parametrize("url", ["/auth/login", "/no-such-page", "/static/css/app.css"])
def test_every_response_carries_the_headers(client, url):
    response = client.get(url)
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'" and csp["default-src"] == "'self'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def cookies_of(response) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}


def test_cookies_are_http_only_lax_and_not_secure_by_default(client, world):
    response = client.post("/auth/login", data={"email": world.a.student.email,
                                                 "password": PASSWORD, "remember": "y"})
    for name in ("session", "remember_token"):
        cookie = cookies_of(response)[name]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_when_configured(database_url, world):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url,
                     SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    response = app.test_client().post("/auth/login", data={
        "email": world.a.student.email, "password": PASSWORD, "remember": "y"})
    for name in ("session", "remember_token"):
        cookie = cookies_of(response)[name]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_defaults_to_secure_cookies():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True


def remembered_device(app, user):
    """A client that signed in with remember-me and then lost its session cookie."""
    device = app.test_client()
    device.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    device.delete_cookie("session")
    assert device.get("/my").status_code == 200  # the remember cookie alone signs it in
    device.delete_cookie("session")
    return device


def test_a_password_change_ends_remembered_sessions_too(app, client, login, world):
    device = remembered_device(app, world.a.student)
    login(world.a.student)
    client.post("/auth/password", data={"current": PASSWORD, "password": "a-new-password-1",
                                        "confirm": "a-new-password-1"})
    assert device.get("/my").status_code == 302


def test_deactivation_ends_remembered_sessions_too(app, world):
    device = remembered_device(app, world.a.student)
    world.a.student.is_active = False
    db.session.commit()
    assert device.get("/my").status_code == 302


BARE_PERCENT = re.compile(r"""_\(\s*(['"])((?:(?!\1).)*?(?<!%)%(?![(%]).*?)\1\s*\)""")


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_translated_template_string_has_a_bare_percent(path):
    """Jinja's gettext formats every string with `%`: a bare one ("Score, %") is a 500."""
    found = BARE_PERCENT.findall(path.read_text(encoding="utf-8"))
    assert not found, [text for _quote, text in found]
