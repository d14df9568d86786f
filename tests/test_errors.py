"""Error pages, CSRF and security headers."""
import re

import pytest
import sqlalchemy as sa
from flask import Blueprint

from lms import create_app
from lms.access import EVERYONE, gate, public
from lms.centers.models import Center
from lms.core.extensions import db


@pytest.fixture
def crashing_app(database_url):
    """A separate app with one route that writes and then crashes."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)
    crash = Blueprint("crash", __name__)
    gate(crash, EVERYONE)

    @crash.route("/crash")
    @public
    def boom():
        db.session.add(Center(slug="half-written", name="X", city="X", region="X", cluster="X"))
        db.session.flush()
        raise RuntimeError("boom")

    app.register_blueprint(crash)
    return app


def test_a_crash_is_a_500_page_and_writes_nothing(crashing_app):
    response = crashing_app.test_client().get("/crash")
    assert response.status_code == 500
    assert "Щось пішло не так" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == 0


def test_forms_need_a_csrf_token(database_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/auth/login", data={"email": "a@b.c", "password": "x"})
    assert refused.status_code == 400
    assert "Некоректний запит" in refused.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post("/auth/login", data={"email": "a@b.c", "password": "x", "csrf_token": token})
    assert accepted.status_code == 401  # past CSRF, refused as a wrong password


def test_security_headers(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client, login, world):
    login(world.a.head)
    for url in ("/center", f"/cohorts/{world.a.cohort.id}", f"/students/{world.a.student.id}"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page and " on" + "click=" not in page, url


def test_static_assets_are_local(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "//cdn" not in page and "https://" not in page
    assert client.get("/static/vendor/bootstrap-5.3.8/bootstrap.min.css").status_code == 200
