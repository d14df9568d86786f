"""Security headers on every response (scripts and styles only from this site), a guard
against input no database column can hold, and the check that a `next` link stays on this site."""
import unicodedata
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from flask import Response, abort, request

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
    return response


def _strings(value) -> Iterator[str]:
    """Every string inside a JSON value (keys included), walked with a stack rather than by
    recursion: a body nested 100,000 deep must not raise RecursionError (a 500)."""
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


def _json_body():
    """The request's JSON body, or None; a body too deeply nested for the parser is a 400."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        abort(400)


def refuse_nul_characters() -> None:
    """A NUL character in any input is a 400: no browser sends one, PostgreSQL cannot store or
    even compare it (it would be a 500 deep inside a query), and SQLite would store it silently."""
    values = [*request.args.keys(), *request.args.values(), *request.form.keys(),
              *request.form.values(), *(f.filename or "" for f in request.files.values())]
    if request.is_json:
        values.extend(_strings(_json_body()))
    if any("\x00" in value for value in values):
        abort(400)


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths may be followed after sign-in, and only printable ones: a control
    character (CR, LF, tab, DEL …) or a Unicode line break would reach the Location header."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(unicodedata.category(char) in _UNPRINTABLE for char in target):
        return False
    joined = urlsplit(urljoin(request.host_url, target))
    return joined.scheme in ("http", "https") and joined.netloc == urlsplit(request.host_url).netloc
