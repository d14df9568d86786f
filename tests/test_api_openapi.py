"""The OpenAPI document matches the URL map, and schemathesis finds nothing wrong with the
live API: no 500, no response outside its documented schema, status codes or content type."""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lms.api.openapi import openapi_path
from tests.api_support import make_token
from tests.browser.conftest import live_server  # noqa: F401  (a real server on a free port)

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_the_document_lists_exactly_the_routes_of_the_url_map(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    documented = {(path, method.upper()) for path, item in document["paths"].items()
                  for method in item}
    routed = {(openapi_path(rule.rule.removeprefix("/api/v1")), method)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods & METHODS}
    assert documented == routed, (f"not documented: {routed - documented}; "
                                  f"documented but not routed: {documented - routed}")


def test_the_document_describes_parameters_bodies_errors_and_security(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), path
            assert "200" in operation["responses"], path
            if path != "/openapi.json":
                for code in ("401", "404", "429", "500"):
                    assert operation["responses"][code]["content"]["application/json"][
                        "schema"] == {"$ref": "#/components/schemas/Error"}, (path, code)
            if method == "post":
                assert operation["requestBody"]["content"]["application/json"]["schema"]
                assert "422" in operation["responses"]
    pursuits = document["paths"]["/pursuits"]["get"]["parameters"]
    assert {p["name"] for p in pursuits} == {"stage", "certification", "cohort", "student",
                                             "page", "per_page"}
    assert next(p for p in pursuits if p["name"] == "per_page")["schema"]["maximum"] == 100


@pytest.fixture
def api_schema(live_server, world):  # noqa: F811
    secret = make_token(world.admin)
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    schema.config.headers = {"Authorization": f"Bearer {secret}"}
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@pytest.mark.real_commits  # a live server: its thread sees only committed rows
@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_error(case):
    # Not "positive data acceptance": business rules refuse some schema-valid requests by
    # design (a withdrawal needs a non-empty reason, cells must belong to the cohort), with 422.
    case.call_and_validate(checks=CHECKS)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]


def test_a_declared_endpoint_is_routed_and_documented_from_one_declaration(app):
    """What adding an endpoint takes: one `@registry.route(...)` on the view."""
    from flask import Blueprint

    from lms.api.openapi import build_document
    from lms.api.registry import Registry
    from lms.users.models import Role

    registry = Registry(Blueprint("example", __name__))
    body = {"type": "object", "required": ["year"], "properties": {"year": {"type": "integer"}}}

    @registry.route("/centers/<int:center_id>/funnel", "POST", summary="Funnel", body=body,
                    roles={Role.HEAD}, errors=(422,), response={"type": "object"})
    def funnel(center_id: int):
        """A center's funnel."""

    with app.test_request_context():
        operation = build_document(registry.operations)["paths"]["/centers/{center_id}/funnel"]["post"]
    assert operation["parameters"][0]["name"] == "center_id"
    assert operation["requestBody"]["content"]["application/json"]["schema"] == body
    assert {"403", "422", "401"} <= set(operation["responses"])
    assert funnel.access_rule == frozenset({Role.HEAD})
    with pytest.raises(ValueError):  # a schema keyword the validator would ignore is refused
        registry.route("/x", "POST", summary="x", body={"type": "object", "oneOf": []},
                       response={})
