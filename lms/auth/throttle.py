"""Throttling of the sign-in, password-reset and invitation flows, per account and per address.

One decorator, `@protect(flow, account=...)`, guards a view: every POST counts once against the
account it names (the normalized e-mail posted, or the account behind a token in the URL) and once
against the client address. The account key does not depend on whether the account exists, so an
unknown address is throttled exactly like a known one (no enumeration through 429s).

Sign-in also takes device cookies (lms/auth/devices.py): an attempt from a browser that signed in
to that account before counts against that browser's own limit (AUTH_LIMIT_PER_DEVICE, default
the per-account one) instead of the account's, so strangers cannot lock the owner out. A 429's
Retry-After is the wait until the longest exceeded window ends.

The counters live in Flask-Limiter's storage backends (the `limits` package it is built on):
Redis when RATELIMIT_STORAGE_URI points at it, so every gunicorn worker shares one count, memory
otherwise. Each app gets its own counters (not the process-wide `limiter`), so a test app can
switch throttling on without switching it on for every other app in the process.
"""
import functools
import hashlib
import math
import time
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES
from werkzeug.exceptions import TooManyRequests

EXTENSION = "auth_throttle"


class Throttle:
    """The counters of one app: a storage and a strategy from the app's configuration."""

    def __init__(self, config) -> None:
        self.enabled = config.get("AUTH_THROTTLE_ENABLED", config.get("RATELIMIT_ENABLED", True))
        self.prefix = config.get("RATELIMIT_KEY_PREFIX") or "lms"
        self.per_account = parse_many(config["AUTH_LIMIT_PER_ACCOUNT"])
        self.per_address = parse_many(config["AUTH_LIMIT_PER_ADDRESS"])
        self.per_device = parse_many(config.get("AUTH_LIMIT_PER_DEVICE")
                                     or config["AUTH_LIMIT_PER_ACCOUNT"])
        storage = storage_from_string(config.get("RATELIMIT_STORAGE_URI") or "memory://")
        self.limiter = STRATEGIES[config.get("RATELIMIT_STRATEGY") or "fixed-window"](storage)

    def hit(self, flow: str, account: str, address: str, device: str | None = None) -> int | None:
        """Count one attempt; the seconds to wait when a limit is exceeded, else None. With a
        device (a browser the account signed in from before) its own limit replaces the
        account's."""
        if device is None:
            checks = [(item, "account", account) for item in self.per_account]
        else:
            checks = [(item, "device", device) for item in self.per_device]
        checks += [(item, "address", address) for item in self.per_address]
        waits = [self._wait(item, flow, kind, key) for item, kind, key in checks
                 if not self.limiter.hit(item, self.prefix, flow, kind, key)]
        return max(waits) if waits else None

    def _wait(self, item, *identifiers) -> int:
        """Whole seconds until the window that refused ends (the same key `hit` counted in)."""
        reset_at = self.limiter.get_window_stats(item, self.prefix, *identifiers).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Throttle(app.config)


def digest(value: str) -> str:
    """Keys are hashed: the storage never holds e-mail addresses or tokens in clear."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def email_key(email: str) -> str:
    """The throttle's key of an account named by e-mail, normalized like sign-in does."""
    return "email:" + digest(email.strip().lower()[:254])


def account_from_email(field: str = "email") -> Callable[[], str]:
    """The account a form names by e-mail, known or not."""
    def key() -> str:
        return email_key(request.form.get(field, ""))
    return key


def account_from_token(resolve: Callable[[str], object] | None = None,
                       argument: str = "token") -> Callable[[], str]:
    """The account behind the token in the URL: `resolve(token)` gives a stable account id
    (ignoring expiry) or None; a token it cannot read is its own key."""
    def key() -> str:
        token = str((request.view_args or {}).get(argument, ""))
        account = resolve(token) if resolve else None
        return f"account:{account}" if account is not None else "token:" + digest(token)
    return key


def protect(flow: str, account: Callable[[], str],
            device: Callable[[str], str | None] | None = None) -> Callable:
    """Throttle the POSTs of a view per account and per client address (429 when over);
    `device(account)` names a browser that vouches for the account (its own limit then)."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if request.method == "POST":
                key = account()
                check(flow, key, device(key) if device else None)
            return view(*args, **kwargs)
        guarded.throttle_flow = flow  # read by the test that every public auth POST is guarded
        return guarded
    return decorate


def check(flow: str, account: str, device: str | None = None) -> None:
    """Count this request; raise 429 (with Retry-After) when a limit is exceeded."""
    throttle: Throttle = current_app.extensions[EXTENSION]
    if not throttle.enabled:
        return
    try:
        wait = throttle.hit(flow, account, digest(get_remote_address() or "-"),
                            digest(device) if device else None)
    except Exception:  # noqa: BLE001 — a storage outage must not lock everyone out
        current_app.logger.exception("Throttle storage unavailable; request let through")
        return
    if wait is not None:
        raise TooManyRequests(retry_after=wait)
