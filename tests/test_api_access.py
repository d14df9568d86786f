"""Every /api/v1 route, walked with a real token of each role, on objects of the token owner's
center and of another center: the same rules as the web pages (another center's object is 404,
except for admins), answered in the API's error shape."""
import pytest

from lms.users.models import Role
from tests.api_support import bearer, make_token
from tests.factories import user_of
from tests.test_access import EXPECTED, PUBLIC, Token, build_access_world, url_args

# One access world for the module: what a test writes is rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")
SHARED_WORLD = build_access_world

ALLOWED = (200, 409, 422)  # 409/422: allowed, but the (deliberately harmless) body is refused
BODIES = {"api.record_progress": {"cells": []}, "api.move_stage": {"stage": "passed"}}
QUERIES = {"api.certification_counts": {"start": "2026-01-01", "end": "2026-12-31"},
           "api.certification_funnel": {"start": "2026-01-01", "end": "2026-12-31"},
           "api.donor_table": {"start": "2026-01-01", "end": "2026-12-31"}}


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")]


def call(client, app, rule, args, secret):
    with app.test_request_context():
        from flask import url_for
        url = url_for(rule.endpoint, **args, **QUERIES.get(rule.endpoint, {}))
    if "GET" in rule.methods:
        return client.get(url, headers=bearer(secret))
    return client.post(url, headers=bearer(secret), json=BODIES[rule.endpoint])


def test_every_api_route_is_token_only_or_public(app):
    for rule in api_rules(app):
        assert isinstance(EXPECTED[rule.endpoint], Token) or EXPECTED[rule.endpoint] == PUBLIC, \
            rule.endpoint
        if "POST" in rule.methods:
            assert rule.endpoint in BODIES, f"give {rule.endpoint} a body in BODIES"


@pytest.mark.parametrize("role", list(Role))
def test_token_matrix(app, client, world, role):
    secret = make_token(user_of(world, role))
    for rule in api_rules(app):
        expected = EXPECTED[rule.endpoint]
        if expected == PUBLIC:
            continue
        own = call(client, app, rule, url_args(rule, world, own=True), secret)
        assert own.is_json, rule.endpoint
        if role not in expected:
            assert own.status_code == 403, (rule.endpoint, role, own.status_code)
            assert own.get_json()["error"]["code"] == "forbidden"
            continue
        assert own.status_code in ALLOWED, (rule.endpoint, role, own.status_code, own.get_json())
        if rule.arguments:
            other = call(client, app, rule, url_args(rule, world, own=False), secret)
            if role == Role.ADMIN:
                assert other.status_code in ALLOWED, (rule.endpoint, other.status_code)
            else:
                assert other.status_code == 404, (rule.endpoint, role, other.status_code)
                assert other.get_json()["error"]["code"] == "not_found"


def test_a_mentor_who_does_not_teach_the_cohort_is_refused_like_on_the_web(client, world):
    secret = make_token(world.a.other_mentor)
    response = client.get(f"/api/v1/cohorts/{world.a.cohort.id}/gradebook", headers=bearer(secret))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
