"""Sign-in, reset and invitation throttling: per account, per address, shared through Redis;
device cookies so that strangers cannot lock an account's owner out; a truthful Retry-After."""
import time
import uuid

import pytest
import redis
from flask import Blueprint, url_for

from lms import create_app
from lms.access import EVERYONE, PUBLIC, gate, public, rule_for
from lms.auth import devices, throttle
from lms.auth.services import make_reset_token
from lms.users.models import Role
from tests.conftest import PASSWORD
from tests.factories import make_center, make_user
from tests.test_access import build_access_world, routes, url_args

TOO_MANY = "Забагато спроб"  # the 429 page, in the visitor's language (Ukrainian first)
REDIS_URL = "redis://127.0.0.1:6379/0"


def throttled_app(database_url, **overrides):
    """A dedicated app with throttling on: 3 POSTs per account, 6 per address and minute."""
    settings = {"AUTH_THROTTLE_ENABLED": True, "AUTH_LIMIT_PER_ACCOUNT": "3 per minute",
                "AUTH_LIMIT_PER_ADDRESS": "6 per minute",
                "RATELIMIT_KEY_PREFIX": f"lms-test-{uuid.uuid4().hex}", **overrides}
    return create_app("test", SQLALCHEMY_DATABASE_URI=database_url, **settings)


@pytest.fixture
def app_on(database_url):
    return throttled_app(database_url)


@pytest.fixture
def student():
    return make_user(Role.STUDENT, make_center(), email="olena@example.org")


def sign_in(client, email, password="wrong-password", address="10.0.0.1"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_is_throttled_from_any_address_known_or_not(app_on, student):
    client = app_on.test_client()
    for email in ("olena@example.org", "ghost@example.org"):
        answers = [sign_in(client, email, address=f"10.0.1.{i}") for i in range(4)]
        assert [a.status_code for a in answers] == [401, 401, 401, 429], email
    known, unknown = sign_in(client, " OLENA@example.org "), sign_in(client, "Ghost@Example.org")
    assert known.status_code == unknown.status_code == 429   # normalized like sign-in
    assert known.get_data() == unknown.get_data()            # nothing tells them apart
    assert TOO_MANY in known.get_data(as_text=True)
    assert 0 < int(known.headers["Retry-After"]) <= 61
    # the right password does not get through a throttled account either
    assert sign_in(client, student.email, PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_is_throttled_across_accounts(app_on):
    client = app_on.test_client()
    answers = [sign_in(client, f"user{i}@example.org").status_code for i in range(7)]
    assert answers == [401] * 6 + [429]
    assert sign_in(client, "user0@example.org", address="10.0.0.2").status_code == 401


def test_pages_are_not_counted_only_attempts(app_on):
    client = app_on.test_client()
    assert all(client.get("/auth/login").status_code == 200 for _ in range(10))
    assert sign_in(client, "a@example.org").status_code == 401


def test_english_visitors_read_the_429_in_english(app_on):
    client = app_on.test_client()
    client.post("/language", data={"language": "en"})
    answers = [sign_in(client, "x@example.org") for _ in range(4)]
    assert answers[-1].status_code == 429
    assert "Too many attempts" in answers[-1].get_data(as_text=True)


def test_reset_requests_are_throttled_the_same_for_unknown_addresses(app_on, student):
    client = app_on.test_client()
    for email in (student.email, "ghost@example.org"):
        codes = [client.post("/auth/forgot", data={"email": email},
                             environ_base={"REMOTE_ADDR": f"10.0.2.{i}"}).status_code
                 for i in range(4)]
        assert codes == [302, 302, 302, 429], email


def test_setting_a_password_by_token_is_throttled_per_account(app_on, student):
    client = app_on.test_client()
    with app_on.test_request_context():
        token = make_reset_token(student)
    bad = {"password": "long-enough-password", "confirm": "does-not-match"}
    codes = [client.post(f"/auth/reset/{token}", data=bad,
                         environ_base={"REMOTE_ADDR": f"10.0.3.{i}"}).status_code for i in range(4)]
    assert codes == [422, 422, 422, 429]
    forged = [client.post(f"/auth/reset/forged-{i}", data=bad,
                          environ_base={"REMOTE_ADDR": f"10.0.4.{i}"}).status_code for i in range(3)]
    assert 429 not in forged  # a forged token cannot spend the real account's budget


def test_the_test_configuration_does_not_throttle(client):
    assert all(sign_in(client, "x@example.org").status_code == 401 for _ in range(8))


def test_one_line_protects_any_token_flow(database_url):
    """How the invitation acceptance page uses it: one decorator line."""
    app = throttled_app(database_url)
    extra = Blueprint("invite_demo", __name__)
    gate(extra, EVERYONE)

    @extra.route("/demo-accept/<token>", methods=["GET", "POST"])
    @public
    @throttle.protect("invitation", account=throttle.account_from_token())
    def accept(token):
        return "accepted"

    app.register_blueprint(extra)
    client = app.test_client()
    codes = [client.post("/demo-accept/abc", environ_base={"REMOTE_ADDR": f"10.0.5.{i}"}).status_code
             for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/demo-accept/abc").status_code == 200


@pytest.fixture
def redis_prefix():
    """A key prefix unique to this run; every key under it is deleted afterwards."""
    prefix = f"lms-test-{uuid.uuid4().hex}"
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    yield prefix
    keys = list(connection.scan_iter(match=f"*{prefix}*"))
    if keys:
        connection.delete(*keys)
    assert not list(connection.scan_iter(match=f"*{prefix}*"))


def test_two_workers_share_one_count_through_redis(database_url, redis_prefix):
    workers = [throttled_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL,
                             RATELIMIT_KEY_PREFIX=redis_prefix) for _ in range(2)]
    clients = [worker.test_client() for worker in workers]
    codes = [sign_in(clients[i % 2], "shared@example.org", address=f"10.0.6.{i}").status_code
             for i in range(4)]
    assert codes == [401, 401, 401, 429]
    stored = list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"*{redis_prefix}*"))
    assert stored and not any(b"shared@example.org" in key for key in stored)


@pytest.fixture
def access_world():
    return build_access_world()


def test_every_public_sign_in_page_is_throttled(database_url, access_world):
    """Walked from the URL map: every public POST of the auth blueprint (sign-in, reset,
    invitation acceptance, whatever is added later) is throttled."""
    app = throttled_app(database_url)
    client, guarded = app.test_client(), []
    with app.test_request_context():
        rules = [rule for rule in routes(app) if rule.endpoint.startswith("auth.")
                 and "POST" in rule.methods and rule_for(rule.endpoint) == PUBLIC]
        urls = {rule.endpoint: url_for(rule.endpoint, **url_args(rule, access_world, own=True))
                for rule in rules}
    for endpoint, url in urls.items():
        assert hasattr(app.view_functions[endpoint], "throttle_flow"), (
            f"{endpoint} is a public sign-in POST without @throttle.protect(...)")
        codes = [client.post(url, data={"email": "probe@example.org"},
                             environ_base={"REMOTE_ADDR": f"10.7.{len(guarded)}.{i}"}).status_code
                 for i in range(4)]
        assert codes[-1] == 429 and 429 not in codes[:-1], (endpoint, codes)
        guarded.append(endpoint)
    assert {"auth.login", "auth.forgot_password", "auth.reset_password"} <= set(guarded)


def forwarded_sign_in(client, email, forwarded_for):
    return client.post("/auth/login", data={"email": email, "password": "wrong-password"},
                       environ_base={"REMOTE_ADDR": "10.10.10.10"},  # the proxy
                       headers={"X-Forwarded-For": forwarded_for})


def test_behind_a_trusted_proxy_each_client_has_its_own_address_limit(database_url):
    client = throttled_app(database_url, TRUSTED_PROXIES=1).test_client()
    answers = [forwarded_sign_in(client, f"p{i}@example.org", "203.0.113.7").status_code
               for i in range(7)]
    assert answers == [401] * 6 + [429]
    assert forwarded_sign_in(client, "p0@example.org", "203.0.113.8").status_code == 401


def test_an_address_the_client_puts_in_front_does_not_escape_the_limit(database_url):
    client = throttled_app(database_url, TRUSTED_PROXIES=1).test_client()
    answers = [forwarded_sign_in(client, f"r{i}@example.org",
                                 f"198.51.100.{i}, 203.0.113.9").status_code for i in range(7)]
    assert answers == [401] * 6 + [429]  # the proxy's entry (the last) is the one counted


@pytest.mark.parametrize("proxies", [1, 0])
def test_reset_links_take_the_scheme_from_public_url_not_from_a_proxy(database_url, caplog,
                                                                      student, proxies):
    client = throttled_app(database_url, TRUSTED_PROXIES=proxies,
                           PUBLIC_URL="https://lms.example.org",
                           EXTRA_TRUSTED_HOSTS=["localhost"]).test_client()
    caplog.set_level("WARNING")
    response = client.post("/auth/forgot", data={"email": student.email},
                           headers={"X-Forwarded-For": "203.0.113.7",
                                    "X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert "https://lms.example.org/auth/reset/" in caplog.text


def test_without_trusted_proxies_a_forwarded_address_is_ignored(database_url):
    client = throttled_app(database_url).test_client()
    answers = [forwarded_sign_in(client, f"q{i}@example.org", f"203.0.113.{i}").status_code
               for i in range(7)]
    assert answers == [401] * 6 + [429]  # a client cannot pick a fresh address per attempt


@pytest.mark.parametrize("value", ["-1", "one", "1.5", ""])
def test_a_proxy_count_that_is_not_a_whole_number_stops_the_start_up(monkeypatch, value):
    import config
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES"):
        config._env_count("TRUSTED_PROXIES", 0)
    monkeypatch.setenv("TRUSTED_PROXIES", " 2 ")
    assert config._env_count("TRUSTED_PROXIES", 0) == 2


# Finding 8 of issue 18: no lock-out by strangers (OWASP device cookies), a truthful Retry-After.

def lock_out(client, email, start=0):
    """A stranger's browser spends the account's budget for unknown browsers (3 a minute)."""
    return [sign_in(client, email, address=f"10.20.{start}.{i}").status_code for i in range(4)]


def test_a_stranger_cannot_lock_the_owner_out_of_a_browser_that_signed_in_before(app_on, student):
    owner = app_on.test_client()
    assert sign_in(owner, student.email, PASSWORD).status_code == 302  # earns a device cookie
    owner.post("/auth/logout")
    stranger = app_on.test_client()
    assert lock_out(stranger, student.email) == [401, 401, 429, 429]  # the owner's try counted too
    assert sign_in(stranger, student.email, PASSWORD, address="10.20.9.9").status_code == 429
    # the owner's browser keeps signing in, from any address
    assert sign_in(owner, student.email, PASSWORD, address="10.20.8.8").status_code == 302


def test_a_trusted_browser_has_its_own_limit(app_on, student):
    owner = app_on.test_client()
    sign_in(owner, student.email, PASSWORD)
    owner.post("/auth/logout")
    typos = [sign_in(owner, student.email, address=f"10.21.0.{i}").status_code for i in range(4)]
    assert typos == [401, 401, 401, 429]
    retry = sign_in(owner, student.email, PASSWORD)
    assert retry.status_code == 429 and 55 <= int(retry.headers["Retry-After"]) <= 60
    # the owner's typos were not the account's: an unknown browser still has its budget
    assert sign_in(app_on.test_client(), student.email, address="10.21.1.1").status_code == 401


def test_a_device_cookie_vouches_only_for_the_account_that_signed_in(app_on, student):
    mallory = make_user(Role.STUDENT, student.center, email="mallory@example.org")
    browser = app_on.test_client()
    assert sign_in(browser, mallory.email, PASSWORD).status_code == 302
    browser.post("/auth/logout")
    assert lock_out(browser, student.email) == [401, 401, 401, 429]  # the account's limit
    assert sign_in(browser, mallory.email, PASSWORD).status_code == 302  # her own still works


@pytest.mark.parametrize("value", ["forged", "x" * 3000, ""])
def test_a_forged_device_cookie_counts_as_an_unknown_browser(app_on, student, value):
    browser = app_on.test_client()
    browser.set_cookie(devices.COOKIE, value, path="/auth")
    assert lock_out(browser, student.email) == [401, 401, 401, 429]


def test_the_device_cookie_is_signed_http_only_and_names_no_address(app_on, student):
    response = sign_in(app_on.test_client(), student.email, PASSWORD)
    cookie = [c for c in response.headers.getlist("Set-Cookie")
              if c.startswith(devices.COOKIE + "=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/auth" in cookie
    assert "Max-Age=" in cookie
    assert "olena" not in cookie and "example" not in cookie


def test_a_shared_computer_vouches_for_each_account_signed_in_on_it(app_on, student):
    other = make_user(Role.STUDENT, student.center, email="taras@example.org")
    computer = app_on.test_client()
    for person in (student, other):
        assert sign_in(computer, person.email, PASSWORD).status_code == 302
        computer.post("/auth/logout")
    for person in (student, other):
        lock_out(app_on.test_client(), person.email, start=person.id % 200)
        assert sign_in(computer, person.email, PASSWORD).status_code == 302, person.email
        computer.post("/auth/logout")


@pytest.mark.parametrize("limits,low,high", [("3 per minute", 55, 60),
                                             ("100 per minute;3 per hour", 3500, 3600)])
def test_retry_after_tells_the_real_wait(database_url, limits, low, high):
    client = throttled_app(database_url, AUTH_LIMIT_PER_ACCOUNT=limits).test_client()
    answers = [sign_in(client, "ghost@example.org", address=f"10.22.0.{i}") for i in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert low <= int(answers[-1].headers["Retry-After"]) <= high


def test_after_retry_after_seconds_the_block_is_over(database_url):
    client = throttled_app(database_url, AUTH_LIMIT_PER_ACCOUNT="2 per 2 seconds").test_client()
    answers = [sign_in(client, "ghost@example.org", address=f"10.23.0.{i}") for i in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    wait = int(answers[-1].headers["Retry-After"])
    assert 1 <= wait <= 2
    time.sleep(wait)
    assert sign_in(client, "ghost@example.org", address="10.23.1.1").status_code == 401


def test_retry_after_is_right_with_redis_storage_too(database_url, redis_prefix):
    client = throttled_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL,
                           RATELIMIT_KEY_PREFIX=redis_prefix).test_client()
    answers = [sign_in(client, "ghost@example.org", address=f"10.24.0.{i}") for i in range(4)]
    assert answers[-1].status_code == 429
    assert 55 <= int(answers[-1].headers["Retry-After"]) <= 60
