"""Server-side sessions: a row per signed-in browser, named by a random key in its cookies.

Flask-Login keeps `user.get_id()` in the signed session cookie and in the remember-me cookie;
here that id is "<user id>.<session key>". The user loader accepts it only while the session's
row exists, has not expired, and was begun under the user's current session version (an active
account). So signing out deletes the row and a copy of either cookie taken before opens nothing
afterwards; the state is in the database, shared by every app server, never in process memory.
"""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
from flask_login import current_user, login_user, logout_user

from lms.auth.models import UserSession
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.users.models import User

_KEY_CHARS = 64  # an upper bound on what a key of ours can be; longer ids are not looked up


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _lifetime() -> timedelta:
    """How long a session lasts at most: as long as the remember-me cookie (30 days)."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def begin(user: User, *, remember: bool = False) -> None:
    """Sign the user in on this browser with a new session (and drop the user's expired ones)."""
    now = utcnow()
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id,
                                                    UserSession.expires_at <= now))
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(key_hash=_digest(key), user_id=user.id, created_at=now,
                               session_version=user.session_version, expires_at=now + _lifetime()))
    user.session_key = key
    login_user(user, remember=remember)


def renew(user: User) -> None:
    """A new session for this browser after the old ones were ended (a password change);
    remembered again if it was remembered."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    begin(user, remember=remember)


def load(session_id: str) -> User | None:
    """Flask-Login's loader: the active user whose live session this id names, or None."""
    user_id, _sep, key = session_id.partition(".")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 10
            and int(user_id) < 2**31 and 0 < len(key) <= _KEY_CHARS):
        return None  # not an id of ours (and nothing a database integer could overflow on)
    user = db.session.execute(
        sa.select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.key_hash == _digest(key), User.id == int(user_id),
               User.is_active.is_(True), UserSession.session_version == User.session_version,
               UserSession.expires_at > utcnow())
    ).unique().scalar_one_or_none()
    if user is not None:
        user.session_key = key
    return user


def end_this() -> None:
    """Sign out: end this browser's session on the server and clear its cookies."""
    key = getattr(current_user, "session_key", None)
    if key:
        db.session.execute(sa.delete(UserSession).where(UserSession.key_hash == _digest(key)))
    logout_user()


def end_all(user: User) -> None:
    """End every session of the user, on every browser, remembered or not."""
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))

