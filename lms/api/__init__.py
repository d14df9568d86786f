"""The JSON API at /api/v1: personal access tokens only, one error shape, an OpenAPI document.

Adding an endpoint: write a view in one of the modules below (or a new one imported at the end
of this file) with `@api.route(rule, summary=..., response=schema, roles=..., query=..., body=...)`.
The route, its access rule and its OpenAPI description come from that one declaration.
"""
from flask import Blueprint

from lms.access import EVERYONE, gate
from lms.api import errors
from lms.api.auth import authenticate, rate_limit, rate_limit_key
from lms.api.registry import Registry, check_ids
from lms.core.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
gate(bp, EVERYONE, authenticate=authenticate)
csrf.exempt(bp)  # no cookies are accepted here, so no cross-site request can carry a session
limiter.limit(rate_limit, key_func=rate_limit_key)(bp)
errors.register(bp)
bp.before_request(check_ids)
api = Registry(bp)

from lms.api import (  # noqa: E402,F401  (the endpoints)
    gradebook,
    openapi,
    people,
    pursuits,
    reports,
)


def init_app(app) -> None:
    """Errors of unknown /api/v1 addresses and wrong methods get the API's error shape too."""
    from lms.core.errors import register_path_renderer

    register_path_renderer(app, bp.url_prefix, errors.render_http_error)
    app.register_blueprint(bp)
