"""Security headers on every response (scripts and styles only from this site), guards on
the request (trusted hosts, body limits, input no database column can hold), and the check
that a `next` link stays on this site."""
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from urllib.parse import urljoin, urlsplit

from flask import Request, Response, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, SecurityError

_UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}  # controls, format, line breaks, …

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    add_privacy_headers(response)
    return response


# A year: browsers then refuse plain http for the site (no includeSubDomains: other hosts of
# the school's domain may not be on https).
HSTS = "max-age=31536000"


def add_privacy_headers(response: Response) -> Response:
    """No cache keeps anything but static files: every page, download and API answer may carry
    personal data, so on a shared school computer the back button or the cache shows nothing
    after sign-out (the rule is the simplest safe one: all but the static endpoint, signed in
    or not). HSTS when the site's links are https (PREFERRED_URL_SCHEME)."""
    cache_control = response.headers.get("Cache-Control") or ""
    if request.endpoint != "static" and "no-store" not in cache_control:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("PREFERRED_URL_SCHEME") == "https":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _strings(value) -> Iterator[str]:
    """Every string inside a JSON value (keys included), walked with a stack: no recursion,
    however deep the nesting."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _refuse_nul(values: Iterable[str]) -> None:
    """A NUL character in any input is a 400: no browser sends one, PostgreSQL cannot store or
    even compare it (it would be a 500 deep inside a query), and SQLite would store it silently."""
    if any("\x00" in value for value in values):
        raise BadRequest()


class CheckedRequest(Request):
    """Form fields, file names and JSON bodies are checked for NUL when a view (or CSRF) first
    reads them: a body no route reads is never parsed."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        _refuse_nul(chain.from_iterable((key, *values) for key, values in self.form.lists()))
        _refuse_nul(chain.from_iterable((key, upload.filename or "")
                                        for key, upload in self.files.items(multi=True)))

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:  # nesting deeper than the parser goes: not a real document
            if silent:
                return None
            raise BadRequest() from None
        _refuse_nul(_strings(value))
        return value


def refuse_nul_characters() -> None:
    """The query string, on every request (it is parsed anyway and costs no body read)."""
    _refuse_nul(chain.from_iterable((key, *values) for key, values in request.args.lists()))


def refuse_untrusted_host() -> None:
    """A Host header outside TRUSTED_HOSTS: 400 before any hook or view runs (Flask records it
    as the routing error, which would otherwise surface only after the before-request hooks)."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def body_limit(setting: str, slack: int = 64 * 1024) -> Callable:
    """Marks a view that accepts a body up to `config[setting]` + `slack` bytes (a file and
    the form around it) instead of the app-wide MAX_CONTENT_LENGTH. Put it under @bp.route."""
    def mark(view: Callable) -> Callable:
        view.body_limit = (setting, slack)
        return view
    return mark


def apply_body_limit() -> None:
    """Before anything reads the body: a marked route's own limit (Flask 3.1 per request).
    A declared length over it is a 413 at once, even where no one would read the body."""
    view = current_app.view_functions.get(request.endpoint or "")
    if (limit := getattr(view, "body_limit", None)) is not None:
        setting, slack = limit
        request.max_content_length = current_app.config[setting] + slack
    allowed = request.max_content_length
    if allowed is not None and (request.content_length or 0) > allowed:
        raise RequestEntityTooLarge()


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths may be followed after sign-in, and only printable ones: a control
    character (CR, LF, tab, DEL …) or a Unicode line break would reach the Location header."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(unicodedata.category(char) in _UNPRINTABLE for char in target):
        return False
    joined = urlsplit(urljoin(request.host_url, target))
    return joined.scheme in ("http", "https") and joined.netloc == urlsplit(request.host_url).netloc
