"""Token authentication for the API: `Authorization: Bearer <token>`, nothing else. A read-only
token is refused (403, code `read_only_token`) on every method but GET, HEAD and OPTIONS.

A browser's session cookie is ignored here (the signed-in user is set from the token only), so
a page of another site cannot make a browser call the API: CSRF does not apply.
"""
from datetime import date

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from lms.api.errors import ApiError
from lms.core.extensions import login_manager
from lms.core.model_types import utcnow
from lms.tokens import queries, services
from lms.tokens.models import AccessToken

_MISSING = object()


def presented_token() -> AccessToken | None:
    """The valid token this request carries, looked up once per request."""
    found = g.get("api_token", _MISSING)
    if found is _MISSING:
        scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and secret.strip():
            found = queries.find_active(secret.strip(), date.today())
        g.api_token = found
    return found


def authenticate() -> None:
    """Make the token's owner the current user, or refuse with 401 (cookies do not count)."""
    token = presented_token()
    # Flask-Login reads the user from g._login_user before looking at the session: setting it
    # here is what keeps a session cookie from signing anyone in on the API.
    g._login_user = token.user if token else login_manager.anonymous_user()
    if token is None:
        raise ApiError(401)
    services.touch(token, utcnow())
    if not token.permits(request.method):
        raise ApiError(403, READ_ONLY_MESSAGE, code="read_only_token")


READ_ONLY_MESSAGE = _l("This token is read-only: it may read but not change anything. Create a "
                       "read-write token on the API tokens page to record data.")


def rate_limit_key() -> str:
    """Throttle per token; requests without a valid token share their address's budget."""
    token = presented_token()
    return f"token:{token.id}" if token else f"address:{get_remote_address()}"


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]
