"""Error pages in the user's language, for every HTTP error and for crashes."""
from flask import Flask, current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.core.transactions import discard_changes

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Check what you entered and try again.")),
    401: (_l("Sign-in required"), _l("Please sign in to continue.")),
    403: (_l("Access denied"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("There is no such page, or it is not available to you.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Not saved"), _l("Someone else changed the same data at the same moment, so nothing "
                              "was saved. Reload the page and try again.")),
    413: (_l("Too large"), _l("The file or form you sent is too large.")),
    422: (_l("Invalid input"), _l("Some of what you entered is not valid.")),
    429: (_l("Too many requests"), _l("Too many attempts. Wait a little and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error happened on our side. It has been logged; please try again later.")),
}


def register_path_renderer(app: Flask, prefix: str, renderer) -> None:
    """Errors of requests under `prefix` are rendered by `renderer` (e.g. JSON for the API),
    including those no blueprint sees: unknown addresses and wrong methods."""
    app.extensions.setdefault("error_renderers", {})[prefix] = renderer


def _path_renderer():
    renderers = current_app.extensions.get("error_renderers", {})
    return next((r for prefix, r in renderers.items() if request.path.startswith(prefix)), None)


def render_error(error: HTTPException):
    renderer = _path_renderer()
    if renderer is not None:
        return renderer(error)
    code = error.code or 500
    title, text = MESSAGES.get(code, (error.name, error.description))
    if code == 413:
        text = _too_large() or text
    # Keep what the error says about itself (Retry-After on a 429, Allow on a 405).
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    if request_ctx.url_adapter is None:  # an untrusted Host header: no page may link anywhere
        return f"{title}\n\n{text}\n", code, [*headers, ("Content-Type", "text/plain; charset=utf-8")]
    return render_template("errors/error.html", code=code, title=title, text=text), code, headers


def _too_large() -> str | None:
    """The 413 text names the limit of the route that refused (whole MiB, at least 1)."""
    limit = request.max_content_length
    if not limit:
        return None
    return _("The file or form you sent is too large: at most %(size)s MB.",
             size=max(limit // (1024 * 1024), 1))


def handle_crash(error: Exception):
    """Unexpected exceptions: roll back whatever the request had written, then a 500 page.
    (The request's end would roll back too; the page must be rendered from a usable session.)"""
    discard_changes()
    return render_error(InternalServerError())


def register_errorhandlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, handle_crash)
