"""Sign-in, sign-out and passwords: generic errors, safe redirects, single-use reset links."""
import re

import pytest

from lms.auth.services import make_reset_token
from lms.core.extensions import db
from lms.users.models import Role, User
from tests.conftest import PASSWORD
from tests.factories import make_center, make_user

GENERIC = "Неправильна адреса електронної пошти або пароль."  # visitors see Ukrainian first


@pytest.fixture
def student():
    return make_user(Role.STUDENT, make_center(), email="Olena.Koval@Example.org", locale="en")


def post_login(client, email, password=PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra},
                       query_string=extra.pop("query", None))


def test_login_is_case_insensitive_and_lands_on_role_page(client, student):
    response = post_login(client, "  olena.koval@EXAMPLE.org ")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").location == "/my"
    with db.session.no_autoflush:
        assert db.session.get(User, student.id).last_login_at is not None


@pytest.mark.parametrize("email,password", [
    ("olena.koval@example.org", "wrong-password"),  # existing account, wrong password
    ("nobody@example.org", PASSWORD),                # no such account
])
def test_failed_login_says_the_same_thing_either_way(client, student, email, password):
    response = post_login(client, email, password)
    assert response.status_code == 401
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/my").status_code == 302  # still signed out


def test_deactivated_user_is_refused_with_the_generic_message(client, student):
    student.is_active = False
    db.session.commit()
    response = post_login(client, student.email)
    assert response.status_code == 401 and GENERIC in response.get_data(as_text=True)


def test_empty_form_gets_422_with_field_errors(client):
    response = client.post("/auth/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


@pytest.mark.parametrize("target,expected", [
    ("/my", "/my"),
    ("https://evil.example/steal", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_redirects_within_the_site(client, student, target, expected):
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": student.email, "password": PASSWORD})
    assert response.location == expected


def test_remember_me_sets_a_persistent_http_only_cookie(client, student):
    response = post_login(client, student.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]
    session_cookie = [c for c in cookies if c.startswith("session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_logout_needs_post_and_ends_the_session(client, login, student):
    login(student)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").location == "/auth/login"
    assert client.get("/my").status_code == 302


def test_change_password_checks_the_current_one(client, login, student):
    login(student)
    response = client.post("/auth/password", data={
        "current": "not-it", "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"})
    assert response.status_code == 422
    assert "The current password is not correct." in response.get_data(as_text=True)
    response = client.post("/auth/password", data={
        "current": PASSWORD, "password": "short", "confirm": "short"})
    assert response.status_code == 422


def test_changing_the_password_signs_out_other_sessions(app, client, login, student):
    other_device = app.test_client()
    post_login(other_device, student.email)
    login(student)
    response = client.post("/auth/password", data={
        "current": PASSWORD, "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"})
    assert response.status_code == 302
    assert client.get("/my").status_code == 200           # this session continues
    assert other_device.get("/my").status_code == 302     # the other one is over
    assert post_login(app.test_client(), student.email, "a-brand-new-secret").status_code == 302


def reset_link_from_log(caplog) -> str:
    match = re.search(r"https?://[^/\s]+(/auth/reset/\S+)", caplog.text)
    assert match, caplog.text
    return match.group(1)


def test_forgot_password_mails_a_single_use_link(client, student, caplog):
    caplog.set_level("WARNING")
    response = client.post("/auth/forgot", data={"email": "OLENA.koval@example.org"})
    assert response.status_code == 302
    link = reset_link_from_log(caplog)
    assert "Reset your password" in caplog.text  # the mail is in the user's language (en)
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": "freshly-chosen-1", "confirm": "freshly-chosen-1"})
    assert done.location == "/auth/login"
    assert post_login(client, student.email, "freshly-chosen-1").status_code == 302
    client.post("/auth/logout")
    again = client.post(link, data={"password": "another-one-22", "confirm": "another-one-22"})
    assert again.location == "/auth/forgot"  # used once: refused
    assert post_login(client, student.email, "another-one-22").status_code == 401


def test_forgot_password_for_unknown_address_looks_the_same(client, student, caplog):
    caplog.set_level("WARNING")
    known = client.post("/auth/forgot", data={"email": student.email}, follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "ghost@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    message = "Якщо обліковий запис"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert known.get_data(as_text=True).count("alert") == unknown.get_data(as_text=True).count("alert")
    assert caplog.text.count("/auth/reset/") == 1


def test_reset_link_expires(app, client, student):
    token = make_reset_token(student)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(f"/auth/reset/{token}")
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert response.location == "/auth/forgot"


@pytest.mark.parametrize("token", ["garbage", "a" * 300, "..", "%00"])
def test_tampered_reset_tokens_are_refused(client, token):
    assert client.get(f"/auth/reset/{token}").status_code in (302, 404)


def test_deactivation_ends_existing_sessions(client, login, student):
    login(student)
    student.is_active = False
    db.session.commit()
    assert client.get("/my").status_code == 302
