"""Throttling of the sign-in, password-reset and invitation flows, per account and per address.

One decorator, `@protect(flow, account=...)`, guards a view: every POST counts once against the
account it names (the normalized e-mail posted, or the account behind a token in the URL) and once
against the client address. The account key does not depend on whether the account exists, so an
unknown address is throttled exactly like a known one (no enumeration through 429s).

The counters live in Flask-Limiter's storage backends (the `limits` package it is built on):
Redis when RATELIMIT_STORAGE_URI points at it, so every gunicorn worker shares one count, memory
otherwise. Each app gets its own counters (not the process-wide `limiter`), so a test app can
switch throttling on without switching it on for every other app in the process.
"""
import functools
import hashlib
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
        storage = storage_from_string(config.get("RATELIMIT_STORAGE_URI") or "memory://")
        self.limiter = STRATEGIES[config.get("RATELIMIT_STRATEGY") or "fixed-window"](storage)

    def hit(self, flow: str, account: str, address: str) -> int | None:
        """Count one attempt; the seconds to wait when a limit is exceeded, else None."""
        checks = [(item, "account", account) for item in self.per_account]
        checks += [(item, "address", address) for item in self.per_address]
        waits = [self._wait(item, flow, kind, key) for item, kind, key in checks
                 if not self.limiter.hit(item, self.prefix, flow, kind, key)]
        return max(waits) if waits else None

    def _wait(self, item, *identifiers) -> int:
        reset_at = self.limiter.get_window_stats(item, *identifiers).reset_time
        return max(1, int(reset_at - time.time()) + 1)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Throttle(app.config)


def digest(value: str) -> str:
    """Keys are hashed: the storage never holds e-mail addresses or tokens in clear."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def account_from_email(field: str = "email") -> Callable[[], str]:
    """The account a form names by e-mail, normalized like sign-in does, known or not."""
    def key() -> str:
        return "email:" + digest(request.form.get(field, "").strip().lower()[:254])
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


def protect(flow: str, account: Callable[[], str]) -> Callable:
    """Throttle the POSTs of a view per account and per client address (429 when over)."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if request.method == "POST":
                check(flow, account())
            return view(*args, **kwargs)
        guarded.throttle_flow = flow  # read by the test that every public auth POST is guarded
        return guarded
    return decorate


def check(flow: str, account: str) -> None:
    """Count this request; raise 429 (with Retry-After) when a limit is exceeded."""
    throttle: Throttle = current_app.extensions[EXTENSION]
    if not throttle.enabled:
        return
    try:
        wait = throttle.hit(flow, account, digest(get_remote_address() or "-"))
    except Exception:  # noqa: BLE001 — a storage outage must not lock everyone out
        current_app.logger.exception("Throttle storage unavailable; request let through")
        return
    if wait is not None:
        raise TooManyRequests(retry_after=wait)
