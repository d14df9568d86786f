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
from lms.tokens.models import AccessToken, TokenScope
from tests.api_support import bearer, make_token

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def _me(client, secret):
    return client.get("/api/v1/me", headers=bearer(secret))


def test_a_token_is_created_on_the_account_page_shown_once_and_stored_hashed(client, login, world):
    login(world.a.student)
    response = client.post("/account/tokens/", data={"name": "My script", "scope": "read_write",
                                                        "expires_on": ""})
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
    response = client.post("/account/tokens/", data={"name": "x", "scope": "read", "expires_on": past})
    assert response.status_code == 422
    assert "The expiry date must be in the future." in response.get_data(as_text=True)
    assert client.post("/account/tokens/", data={"name": "x", "scope": "read",
                                                    "expires_on": "soon"}).status_code == 422
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
        services.create_token(world.a.student, "one more", None, date.today(),
                              scope=TokenScope.READ)
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


# --- issue 18, finding 9: scopes, and revocation on deactivation ---------------------------

def _created_secret(client, scope: str) -> str:
    response = client.post("/account/tokens/", data={"name": f"{scope} script", "scope": scope,
                                                      "expires_on": ""})
    assert response.status_code == 200
    return response.get_data(as_text=True).split('id="new-token" class="form-control font-monospace" '
                                                 'readonly value="')[1].split('"')[0]


def test_a_read_only_token_reads_but_every_write_is_a_403_and_nothing_is_written(client, login,
                                                                                   world):
    world.a.mentor.locale = "en"
    db.session.commit()
    login(world.a.mentor)
    page = client.get("/account/tokens/").get_data(as_text=True)
    assert 'name="scope"' in page and "Read only" in page and "Read and write" in page
    secret = _created_secret(client, "read")
    listing = client.get("/account/tokens/").get_data(as_text=True)
    assert "Read only" in listing.split('id="tokens-title"')[1]  # the list names the scope
    assert _me(client, secret).status_code == 200
    lesson = world.course.modules[0].lessons[0]
    body = {"cells": [{"enrollment_id": world.a.enrollment.id, "lesson_id": lesson.id,
                       "version": 0, "status": "completed"}]}
    url = f"/api/v1/cohorts/{world.a.cohort.id}/progress"
    before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    stage = f"/api/v1/pursuits/{world.a.pursuit.id}/stage"
    for write, payload in ((url, body), (stage, {"stage": "preparing"})):
        response = client.post(write, headers=bearer(secret), json=payload)
        assert response.status_code == 403, (write, response.status_code)
        error = response.get_json()["error"]
        assert error["code"] == "read_only_token" and "read-only" in error["message"]
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == before
    token = db.session.scalars(sa.select(AccessToken)).one()
    assert [m for m in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
            if token.permits(m)] == ["GET", "HEAD", "OPTIONS"]
    writer = _created_secret(client, "read_write")
    assert client.post(url, headers=bearer(writer), json=body).status_code == 200
    assert {t.scope for t in db.session.scalars(sa.select(AccessToken))} == {
        TokenScope.READ, TokenScope.READ_WRITE}


def test_the_scope_is_required_and_checked(client, login, world):
    login(world.a.student)
    for scope in ("", "admin", "READ"):
        response = client.post("/account/tokens/", data={"name": "x", "scope": scope})
        assert response.status_code == 422, scope
    assert db.session.scalar(sa.select(sa.func.count(AccessToken.id))) == 0


def test_the_openapi_document_describes_the_scopes(client):
    document = client.get("/api/v1/openapi.json").get_json()
    scheme = document["components"]["securitySchemes"]["bearerAuth"]["description"]
    assert "read_only_token" in scheme and "Read-only" in scheme and "Read-write" in scheme
    writes = [(path, method, operation) for path, item in document["paths"].items()
              for method, operation in item.items() if method != "get"]
    assert writes
    for path, _method, operation in writes:
        assert operation["x-token-scope"] == "read_write", path
        assert "403" in operation["responses"], path
    assert document["paths"]["/me"]["get"]["x-token-scope"] == "read"


def test_deactivating_a_user_revokes_their_tokens_audited_and_reactivation_keeps_them_revoked(
        client, login, world):
    owner = world.a.mentor
    secrets_ = [make_token(owner, name) for name in ("one", "two")]
    other = make_token(world.a.head)
    login(world.a.head)
    assert client.post(f"/people/{owner.id}/deactivate").status_code == 302
    db.session.expire_all()
    tokens = db.session.scalars(sa.select(AccessToken).where(AccessToken.user_id == owner.id)).all()
    assert len(tokens) == 2 and all(token.revoked_at is not None for token in tokens)
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "token.revoke")
                                 .order_by(AuditEntry.id)).all()
    assert sorted(e.object_id for e in entries) == sorted(t.id for t in tokens)
    assert all(e.actor_id == world.a.head.id and e.after["reason"] == "account deactivated"
               and e.center_id == owner.center_id for e in entries)
    assert client.post(f"/people/{owner.id}/reactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(type(owner), owner.id).is_active
    for secret in secrets_:
        assert _me(client, secret).status_code == 401  # revoked for good, not only refused
    assert _me(client, other).status_code == 200  # nobody else's token is touched
