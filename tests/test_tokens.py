"""Personal access tokens: the account page, hashing, expiry, revocation and last use."""
import hashlib
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm.attributes import set_committed_value

from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.tokens import services
from lms.tokens.models import AccessToken
from tests.api_support import bearer, make_token

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def _me(client, secret):
    return client.get("/api/v1/me", headers=bearer(secret))


def test_a_token_is_created_on_the_account_page_shown_once_and_stored_hashed(client, login, world):
    login(world.a.student)
    response = client.post("/account/tokens/", data={"name": "My script", "expires_on": ""})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = page.split('id="new-token" class="form-control font-monospace" readonly value="')[1].split('"')[0]
    assert secret.startswith("lms_") and len(secret) > 40
    token = db.session.scalars(sa.select(AccessToken)).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.prefix + token.token_hash) and secret.startswith(token.prefix)
    assert token.user_id == world.a.student.id and token.name == "My script"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "token.create"))
    listing = client.get("/account/tokens/").get_data(as_text=True)
    assert secret not in listing and token.prefix in listing and "My script" in listing
    assert _me(client, secret).get_json()["id"] == world.a.student.id


def test_the_token_form_refuses_bad_input(client, login, world):
    world.a.mentor.locale = "en"
    db.session.commit()
    login(world.a.mentor)
    past = (date.today() - timedelta(days=1)).isoformat()
    assert client.post("/account/tokens/", data={"name": "", "expires_on": ""}).status_code == 422
    response = client.post("/account/tokens/", data={"name": "x", "expires_on": past})
    assert response.status_code == 422
    assert "The expiry date must be in the future." in response.get_data(as_text=True)
    assert client.post("/account/tokens/", data={"name": "x", "expires_on": "soon"}).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(AccessToken.id))) == 0


def test_a_revoked_token_is_refused_and_the_revocation_audited(client, login, world):
    secret = make_token(world.a.mentor)
    token = db.session.scalars(sa.select(AccessToken)).one()
    assert _me(client, secret).status_code == 200
    login(world.a.mentor)
    response = client.post("/account/tokens/revoke", data={"token_id": token.id})
    assert response.status_code == 302
    refused = _me(client, secret)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "token.revoke"))
    assert entry.object_id == token.id and entry.actor_id == world.a.mentor.id


def test_nobody_revokes_another_users_token(client, login, world):
    make_token(world.a.student)
    token = db.session.scalars(sa.select(AccessToken)).one()
    login(world.admin)  # not even an administrator: tokens belong to their owner
    assert client.post("/account/tokens/revoke", data={"token_id": token.id}).status_code == 404
    db.session.expire_all()
    assert db.session.get(AccessToken, token.id).revoked_at is None


def test_an_expired_token_is_refused(client, world):
    secret = make_token(world.a.head, expires_on=date.today() + timedelta(days=1))
    assert _me(client, secret).status_code == 200
    db.session.execute(sa.update(AccessToken).values(expires_on=date.today()))
    db.session.commit()
    assert _me(client, secret).status_code == 401


def test_a_deactivated_users_token_and_garbage_are_refused(client, world):
    secret = make_token(world.a.head)
    for header in ({}, bearer("lms_wrong"), bearer(secret + "x"), {"Authorization": secret},
                   {"Authorization": "Basic " + secret}):
        assert client.get("/api/v1/me", headers=header).status_code == 401, header
    world.a.head.is_active = False
    db.session.commit()
    assert _me(client, secret).status_code == 401


def test_a_session_cookie_does_not_open_the_api_and_no_cookie_is_set(client, login, world):
    login(world.a.head)
    assert client.get("/api/v1/me").status_code == 401
    secret = make_token(world.b.head)
    response = _me(client, secret)  # the token decides, not the cookie
    assert response.get_json()["id"] == world.b.head.id
    assert "Set-Cookie" not in response.headers


def test_last_use_is_recorded_at_most_once_a_minute(client, world):
    secret = make_token(world.a.mentor)
    token = db.session.scalars(sa.select(AccessToken)).one()
    assert token.last_used_at is None
    _me(client, secret)
    db.session.expire_all()
    first = db.session.get(AccessToken, token.id).last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    _me(client, secret)
    db.session.expire_all()
    assert db.session.get(AccessToken, token.id).last_used_at == first  # no write within a minute
    db.session.execute(sa.update(AccessToken).values(last_used_at=first - timedelta(minutes=5)))
    db.session.commit()
    _me(client, secret)
    db.session.expire_all()
    assert db.session.get(AccessToken, token.id).last_used_at > first - timedelta(minutes=5)


def test_touch_writes_once_under_a_race(world):
    make_token(world.a.mentor)
    token = db.session.scalars(sa.select(AccessToken)).one()
    now = utcnow()
    assert services.touch(token, now) is True
    # A second request that read the row before the first one wrote it:
    set_committed_value(token, "last_used_at", None)
    assert services.touch(token, now) is False


def test_the_number_of_active_tokens_is_bounded(world):
    for _ in range(services.MAX_ACTIVE):
        make_token(world.a.student)
    try:
        services.create_token(world.a.student, "one more", None, date.today())
    except services.Refused as refusal:
        with force_locale("en"):
            assert "revoke one" in str(refusal.message)
    else:
        raise AssertionError("the 21st active token was created")


def test_the_token_page_statement_count_does_not_grow(login, world, page_statements):
    login(world.a.mentor)
    make_token(world.a.mentor)
    few = page_statements("/account/tokens/")
    for _ in range(5):
        make_token(world.a.mentor)
    assert page_statements("/account/tokens/") == few <= 6


def test_revoking_an_id_no_token_can_have_is_refused_cleanly(client, login, world):
    login(world.a.mentor)
    response = client.post("/account/tokens/revoke", data={"token_id": "99999999999999999999999"})
    assert 400 <= response.status_code < 500
