"""Declaring an API endpoint once: the route, who may call it, its parameters, body and
response schemas. The OpenAPI document is built from these declarations and the same schemas
check what clients send, so the document cannot describe an endpoint that does not exist."""
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l

from lms.access import allow
from lms.access import public as public_view
from lms.api.errors import ApiError
from lms.api.validation import check_schema, errors_of
from lms.core.model_types import MAX_ID
from lms.core.views import parse_int
from lms.users.models import Role


@dataclass(frozen=True)
class Param:
    """A query-string parameter: its schema (integer or string, maybe an enum)."""

    name: str
    schema: dict
    description: str
    required: bool = False

    def parse(self, raw: str):
        """The typed value, or a message why `raw` is not one (a tuple: value, message)."""
        if self.schema.get("type") == "integer":
            number = parse_int(raw, low=0)
            if number is None:
                return None, _l("Must be a whole number.")
            raw = number
        errors = errors_of(self.schema, raw, self.name)
        return (None, next(iter(errors.values()))) if errors else (raw, None)


@dataclass
class Operation:
    endpoint: str
    rule: str
    method: str
    summary: str
    description: str
    roles: frozenset[Role]
    response: dict
    status: int = 200
    query: tuple[Param, ...] = ()
    body: dict | None = None
    errors: tuple[int, ...] = ()
    paginated: bool = False
    public: bool = False


@dataclass
class Registry:
    bp: Blueprint
    operations: list[Operation] = field(default_factory=list)

    def route(self, rule: str, method: str = "GET", *, summary: str, response: dict,
              roles=frozenset(Role), query=(), body: dict | None = None, errors=(),
              paginated: bool = False, status: int = 200, description: str = "",
              public: bool = False) -> Callable:
        """Register a view at `rule` and describe it for the OpenAPI document."""
        checked = check_schema(body) if body else None  # before anything is registered

        def decorate(view: Callable) -> Callable:
            view = public_view(view) if public else allow(*roles)(view)
            self.bp.add_url_rule(rule, view.__name__, view, methods=[method])
            self.operations.append(Operation(
                f"{self.bp.name}.{view.__name__}", rule, method, summary,
                description or (view.__doc__ or "").strip(), frozenset(roles), response, status,
                tuple(query), checked, tuple(errors), paginated,
                public))
            return view
        return decorate


def query_args(params: tuple[Param, ...]) -> dict:
    """The declared query parameters, typed; any invalid one is a 400 naming it."""
    values, problems = {}, {}
    for param in params:
        if param.name not in request.args:  # present but empty is not a number: a 400
            values[param.name] = param.schema.get("default")
            if param.required:
                problems[param.name] = _l("This parameter is required.")
            continue
        values[param.name], problem = param.parse(request.args[param.name])
        if problem:
            problems[param.name] = problem
    if problems:
        raise ApiError(400, code="invalid_query", fields=problems)
    return values


def json_body(schema: dict) -> dict:
    """The request's JSON body, checked against `schema`: 415, 400 or 422 with field details."""
    if not request.is_json:
        raise ApiError(415)
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly nested input; the JSON parser gives up
        body = None
    if body is None and request.get_data(cache=True).strip() != b"null":
        raise ApiError(400, _l("The body is not valid JSON."), code="malformed_json")
    errors = errors_of(schema, body)
    if errors:
        raise ApiError(422, fields=errors)
    return body


def check_ids() -> None:
    """Before the API's views (after authentication): an id beyond 32 bits cannot exist."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and value > MAX_ID:
            raise ApiError(404)
