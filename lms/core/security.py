"""Security headers on every response (scripts and styles only from this site), a guard
against input no database column can hold, and the check that a `next` link stays on this site."""
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from flask import Response, abort, current_app, request

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
    """Every string inside a JSON value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def refuse_nul_characters() -> None:
    """A NUL character in any input is a 400: no browser sends one, PostgreSQL cannot store or
    even compare it (it would be a 500 deep inside a query), and SQLite would store it silently."""
    values = [*request.args.keys(), *request.args.values(), *request.form.keys(),
              *request.form.values(), *(f.filename or "" for f in request.files.values())]
    if request.is_json:
        values.extend(_strings(request.get_json(silent=True)))
    if any("\x00" in value for value in values):
        abort(400)


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths may be followed after sign-in."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return False
    joined = urlsplit(urljoin(request.host_url, target))
    return joined.scheme in ("http", "https") and joined.netloc == urlsplit(request.host_url).netloc
