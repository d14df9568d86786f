"""Issue 18, finding 2: links that leave a request are built from PUBLIC_URL, never from the
Host header, and a request for a host outside TRUSTED_HOSTS is refused."""
import logging
import re

import pytest

from lms import create_app
from tests.conftest import PASSWORD

SITE = "https://lms.example.org/school"


@pytest.fixture
def site(database_url):
    """An app served at SITE; the test client's `localhost` stays trusted as an extra host."""
    return create_app("test", SQLALCHEMY_DATABASE_URI=database_url, PUBLIC_URL=SITE,
                      EXTRA_TRUSTED_HOSTS=["localhost"])


def test_a_forged_host_gets_no_reset_mail_but_a_400(client, world, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post("/auth/forgot", data={"email": world.a.student.email},
                           headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert "/auth/reset/" not in caplog.text and "attacker.example" not in caplog.text


@pytest.mark.parametrize("host", ["attacker.example", "localhost.attacker.example",
                                  "127.0.0.1.nip.io:5000", "evil.example:80"])
def test_any_page_for_an_untrusted_host_is_a_plain_400(client, host):
    response = client.get("/auth/login", headers={"Host": host})
    assert response.status_code == 400  # not the 500 of an error page that cannot build links
    assert response.mimetype == "text/plain" and host.split(":")[0] not in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "127.0.0.1:41234"])
def test_the_test_hosts_are_trusted(client, host):
    assert client.get("/auth/login", headers={"Host": host}).status_code == 200


def test_trusted_hosts_come_from_public_url_and_the_extras(site, app):
    assert site.config["TRUSTED_HOSTS"] == ["lms.example.org", "localhost"]
    assert app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_the_reset_link_starts_with_public_url_whatever_the_request_says(site, world, caplog):
    caplog.set_level(logging.WARNING)
    response = site.test_client().post(
        "/auth/forgot", data={"email": world.a.student.email},
        headers={"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "http",
                 "Forwarded": "host=attacker.example"})
    assert response.status_code == 302
    links = re.findall(r"\S+/auth/reset/\S+", caplog.text)
    assert len(links) == 1 and links[0].startswith(f"{SITE}/auth/reset/"), caplog.text


def test_the_invitation_link_starts_with_public_url(site, world):
    client = site.test_client()
    client.post("/auth/login", data={"email": world.a.head.email, "password": PASSWORD})
    assert client.get("/my").status_code != 400
    response = client.post("/people/new", data={"full_name": "Нова Людина", "locale": "en",
                                                "email": "new.mentor@example.org", "role": "mentor"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    page = client.get(response.location).get_data(as_text=True)
    assert f"{SITE}/auth/invite/" in page and "http://localhost/auth/invite/" not in page


def test_links_can_be_built_without_a_request(site):
    from lms.core.links import public_url

    with site.app_context():  # a command, a scheduled job: there is no Host header at all
        assert public_url("auth.accept_invitation", token="abc") == f"{SITE}/auth/invite/abc"
        assert public_url("auth.login", next="/my") == f"{SITE}/auth/login?next=/my"
