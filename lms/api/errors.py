"""One error shape for every failure under /api/v1: {"error": {"code", "message"[, "fields"]}}.

Blueprint-scoped handlers cover the API's own views; unknown /api/v1 addresses and wrong methods
never reach a blueprint, so the app's error handler hands those to `render_http_error` too.
"""
from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.core.transactions import discard_changes

CODES = {
    400: ("bad_request", _l("The request is not valid. Check its parameters.")),
    401: ("unauthorized", _l("Send a valid personal access token: “Authorization: Bearer <token>”. "
                            "The token may be missing, revoked or expired.")),
    403: ("forbidden", _l("Your account may not do this.")),
    404: ("not_found", _l("There is no such resource, or it is not available to you.")),
    405: ("method_not_allowed", _l("This address does not accept this method.")),
    409: ("conflict", _l("The request conflicts with the current state of the resource.")),
    413: ("too_large", _l("The request body is too large.")),
    415: ("unsupported_media_type", _l("Send the body as application/json.")),
    422: ("invalid", _l("Some fields are not valid.")),
    429: ("too_many_requests", _l("Too many requests with this token. Wait a little and try again.")),
    500: ("server_error", _l("An unexpected error happened on our side. It has been logged.")),
}


class ApiError(Exception):
    """A refusal an API view raises: rendered in the error shape with `status`."""

    def __init__(self, status: int, message=None, code: str | None = None,
                 fields: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        default_code, default_message = CODES.get(status, CODES[400])
        self.status, self.code = status, code or default_code
        self.message, self.fields, self.extra = message or default_message, fields, extra


def _locale() -> str:
    """The token owner's language, else the best of Accept-Language, else the default."""
    languages = current_app.config["LANGUAGES"]
    user = g.get("_login_user")  # set from the token only: a session cookie never counts here
    if user is not None and user.is_authenticated and user.locale in languages:
        return user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def error_response(error: ApiError) -> Response:
    with force_locale(_locale()):
        body = {"code": error.code, "message": str(error.message)}
        if error.fields:
            body["fields"] = {name: str(text) for name, text in error.fields.items()}
        body.update(error.extra or {})
    response = jsonify({"error": body})
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def render_http_error(error: HTTPException) -> Response:
    """Any HTTP error (routing, abort(), rate limit) in the error shape, keeping its headers."""
    status = error.code or 500
    response = error_response(ApiError(status if status in CODES else 400))
    if status not in CODES:
        response.status_code = status
    headers = dict(error.get_headers())
    for name in ("Allow", "Retry-After"):
        if name in headers:
            response.headers[name] = headers[name]
    return response


def render_crash(error: Exception) -> Response:
    """An unexpected exception: roll back the request's writes, log, answer 500 in the shape."""
    discard_changes()
    original = getattr(error, "original_exception", None) or error
    if not isinstance(original, HTTPException):
        current_app.logger.error("API request failed: %s %s", request.method, request.path,
                                 exc_info=original)
    return error_response(ApiError(500))


def register(bp: Blueprint) -> None:
    bp.register_error_handler(ApiError, error_response)
    bp.register_error_handler(HTTPException, render_http_error)
    bp.register_error_handler(InternalServerError, render_crash)
