"""Sign-in, sign-out and passwords: generic errors, safe redirects, single-use reset links,
one argon2 verification per attempt, sessions that end on the server."""
import re
from collections import Counter

import argon2
import pytest
from argon2 import PasswordHasher

from lms.auth import passwords, sessions
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


# Finding 4 of issue 18: the cost of a failed sign-in must not tell which e-mails have accounts.

@pytest.fixture
def argon2_calls(monkeypatch):
    """Counts the real hasher's argon2 operations (hash and verify), whoever calls them."""
    calls = Counter()
    for name in ("hash", "verify"):
        real = getattr(PasswordHasher, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(PasswordHasher, name, counted)
    return calls


@pytest.mark.parametrize("case", ["wrong password", "no such account", "no password yet",
                                  "deactivated", "right password"])
def test_every_sign_in_attempt_costs_exactly_one_argon2_verification(client, student,
                                                                     argon2_calls, case):
    email = "nobody@example.org" if case == "no such account" else student.email
    if case == "no password yet":  # invited, the invitation not accepted yet
        student.password_hash = None
    student.is_active = case != "deactivated"
    db.session.commit()
    password = PASSWORD if case == "right password" else "wrong-password"
    response = post_login(client, email, password)
    assert response.status_code == (302 if case == "right password" else 401)
    assert argon2_calls == Counter(verify=1), case  # no hash computed on the side


def test_the_dummy_hash_has_the_parameters_of_a_real_one(app):
    """Verifying costs what the parameters in the hash say: the dummy's are the configured ones."""
    hasher = passwords._hasher()
    dummy = passwords.dummy_hash(hasher)
    assert argon2.extract_parameters(dummy) == argon2.extract_parameters(hasher.hash("x" * 12))
    assert not hasher.check_needs_rehash(dummy)
    assert not passwords.verify_password(dummy, "")
    assert not passwords.verify_password(None, "no-such-account-timing-equaliser")


# Finding 5 of issue 18: signing out ends the session on the server.

def cookies_of(client) -> dict[str, str]:
    """A copy of the browser's sign-in cookies, as someone at the keyboard could take it."""
    cookies = {name: client.get_cookie(name) for name in ("session", "remember_token")}
    return {name: cookie.value for name, cookie in cookies.items() if cookie is not None}


def browser_with(app, cookies: dict[str, str]):
    """Another browser carrying only these cookies."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def test_a_copy_of_the_session_cookie_dies_with_sign_out(app, client, login, student):
    login(student)
    copy = cookies_of(client)
    assert browser_with(app, {"session": copy["session"]}).get("/my").status_code == 200
    client.post("/auth/logout")
    assert browser_with(app, {"session": copy["session"]}).get("/my").status_code == 302


def test_the_remember_me_cookie_alone_dies_with_sign_out(app, client, login, student):
    login(student, remember=True)
    remember = {"remember_token": cookies_of(client)["remember_token"]}
    assert browser_with(app, remember).get("/my").status_code == 200  # it does open /my alone
    client.post("/auth/logout")
    assert browser_with(app, remember).get("/my").status_code == 302
    assert client.get("/my").status_code == 302


def test_signing_out_ends_only_this_browser(app, client, login, student):
    phone = app.test_client()
    post_login(phone, student.email, remember="y")
    login(student)
    client.post("/auth/logout")
    assert phone.get("/my").status_code == 200


def test_sign_out_everywhere_ends_every_session_and_remember_cookie(app, client, login, student):
    phone = app.test_client()
    post_login(phone, student.email, remember="y")
    phone_remember = {"remember_token": cookies_of(phone)["remember_token"]}
    colleague = make_user(Role.STUDENT, student.center)
    elsewhere = app.test_client()
    post_login(elsewhere, colleague.email)
    login(student)
    menu = client.get("/my").get_data(as_text=True)
    assert 'action="/auth/logout-everywhere" method="post"' in menu
    assert "Sign out everywhere" in menu
    copy = cookies_of(client)

    response = client.post("/auth/logout-everywhere", follow_redirects=True)
    assert response.request.path == "/auth/login"
    # signed out, the page speaks the visitor's language (Ukrainian first)
    assert "Ви вийшли з системи на всіх пристроях." in response.get_data(as_text=True)
    for browser in (client, phone, browser_with(app, copy), browser_with(app, phone_remember)):
        assert browser.get("/my").status_code == 302
    assert elsewhere.get("/my").status_code == 200  # another person's sessions go on
    assert post_login(app.test_client(), student.email).status_code == 302  # signing in again works


def test_sign_out_everywhere_needs_a_signed_in_post(client):
    assert client.get("/auth/logout-everywhere").status_code == 405
    assert client.post("/auth/logout-everywhere").location.startswith("/auth/login?next=")


def test_a_password_change_ends_the_other_remember_cookies_and_keeps_this_browser(
        app, client, login, student):
    phone = app.test_client()
    post_login(phone, student.email, remember="y")
    phone_remember = {"remember_token": cookies_of(phone)["remember_token"]}
    login(student, remember=True)
    response = client.post("/auth/password", data={
        "current": PASSWORD, "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"})
    assert response.status_code == 302
    assert browser_with(app, phone_remember).get("/my").status_code == 302
    assert phone.get("/my").status_code == 302
    assert client.get("/my").status_code == 200
    # this browser stays remembered: its new remember-me cookie alone opens /my
    assert browser_with(app, {"remember_token": cookies_of(client)["remember_token"]}
                        ).get("/my").status_code == 200


def test_a_password_reset_ends_every_session(app, client, student, caplog):
    phone = app.test_client()
    post_login(phone, student.email, remember="y")
    phone_remember = {"remember_token": cookies_of(phone)["remember_token"]}
    caplog.set_level("WARNING")
    client.post("/auth/forgot", data={"email": student.email})
    link = reset_link_from_log(caplog)
    client.post(link, data={"password": "freshly-chosen-1", "confirm": "freshly-chosen-1"})
    assert phone.get("/my").status_code == 302
    assert browser_with(app, phone_remember).get("/my").status_code == 302


def test_reactivating_an_account_does_not_bring_its_old_sessions_back(app, client, login, student):
    from lms.people.services import deactivate, reactivate
    head = make_user(Role.HEAD, student.center)
    login(student, remember=True)
    copy = cookies_of(client)
    deactivate(head, student)
    db.session.commit()
    reactivate(head, student)
    db.session.commit()
    assert browser_with(app, copy).get("/my").status_code == 302


@pytest.mark.parametrize("session_id", ["", ".", "1.", "1", "x.key", "².key", "1." + "k" * 65,
                                        "99999999999999999999.key", "1.not-a-live-key"])
def test_the_loader_refuses_ids_that_name_no_live_session(session_id):
    assert sessions.load(session_id) is None
