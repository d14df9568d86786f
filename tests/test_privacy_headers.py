"""Issue 18, finding 9: nothing with personal data stays in a cache (a shared school computer's
back button shows nothing after sign-out), HSTS when the site is on https, and CSV downloads
name their charset once."""
import pytest

from lms import create_app
from tests.conftest import PASSWORD

DYNAMIC = ["/my", "/people/", "/people/export.csv", "/account/tokens/", "/no-such-page"]


@pytest.mark.parametrize("url", DYNAMIC)
def test_every_page_and_download_of_a_signed_in_user_is_no_store(client, login, world, url):
    login(world.a.head)
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store", (url, response.status_code)


def test_the_sign_in_page_and_the_api_are_no_store_too_but_static_files_may_be_cached(client, world):
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in (static.headers.get("Cache-Control") or "")


def test_after_sign_out_the_back_button_gets_nothing_from_the_cache(client, world):
    client.post("/auth/login", data={"email": world.a.student.email, "password": PASSWORD})
    page = client.get("/my")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    client.post("/auth/logout")
    assert client.get("/my").status_code == 302  # the browser must ask again: the page is gone


def test_a_view_that_sets_its_own_no_store_keeps_it(client, login, world):
    login(world.a.student)
    response = client.get("/learn/my-data.json")
    assert "no-store" in response.headers["Cache-Control"]


def test_hsts_only_when_links_are_https(database_url, client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, PREFERRED_URL_SCHEME="https")
    response = app.test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    static = app.test_client().get("/static/css/app.css")
    assert static.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_csv_downloads_name_the_charset_once(client, login, world):
    login(world.a.head)
    response = client.get("/people/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Type"].count("charset") == 1
