"""Device cookies (the OWASP pattern against lock-out by strangers).

A browser that signed in to an account successfully gets a signed cookie naming that account
(by the throttle's hashed key, never the address in clear) and a random device nonce. When a
sign-in attempt for the account comes with a valid cookie naming it, the attempt counts against
that device's own limit instead of the account's limit for unknown browsers: a stranger who
exhausts the account's limit from elsewhere does not keep its owner out. Each success issues a
fresh nonce; a shared computer's cookie names the last few accounts signed in on it.
"""
import secrets

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "lms_device"
_SALT = "device-cookie"
_MAX_ACCOUNTS = 10  # the accounts a shared computer vouches for, most recent first
_MAX_AGE = 365 * 24 * 3600  # seconds, unless AUTH_DEVICE_COOKIE_MAX_AGE says otherwise
_MAX_COOKIE = 2048  # characters; a longer value is not ours


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _max_age() -> int:
    return int(current_app.config.get("AUTH_DEVICE_COOKIE_MAX_AGE", _MAX_AGE))


def _read() -> dict | None:
    """This browser's device cookie when it is genuine and unexpired, else None."""
    raw = request.cookies.get(COOKIE, "")
    if not raw or len(raw) > _MAX_COOKIE:
        return None
    try:
        data = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:  # also SignatureExpired
        return None
    valid = (isinstance(data, dict) and isinstance(data.get("n"), str)
             and isinstance(data.get("a"), list) and all(isinstance(a, str) for a in data["a"]))
    return data if valid else None


def device_for(account: str) -> str | None:
    """The nonce of this browser's device cookie when it vouches for `account`, else None."""
    data = _read()
    return data["n"] if data and account in data["a"] else None


def trust_this_browser(account: str) -> None:
    """After a successful sign-in: a fresh device cookie naming `account` first."""
    known = (_read() or {}).get("a", [])
    accounts = [account] + [a for a in known if a != account][:_MAX_ACCOUNTS - 1]
    value = _serializer().dumps({"n": secrets.token_urlsafe(16), "a": accounts})
    config = current_app.config

    @after_this_request
    def set_cookie(response):
        response.set_cookie(COOKIE, value, max_age=_max_age(), path=request.script_root + "/auth",
                            secure=config.get("SESSION_COOKIE_SECURE", False), httponly=True,
                            samesite="Lax")
        return response
