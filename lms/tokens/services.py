"""Creating, revoking and checking personal access tokens.

A token is `lms_` followed by 43 URL-safe characters (256 random bits). Only its SHA-256 is
stored: a fast hash is right here (unlike passwords) because the secret has full entropy, so
it cannot be guessed, and the lookup by hash is a single indexed equality.
"""
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from lms.core.audit import record
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.core.transactions import separate_transaction
from lms.tokens.models import AccessToken, TokenScope
from lms.tokens.queries import SCHEME, digest
from lms.users.models import User

PREFIX_LENGTH = len(SCHEME) + 8  # what the owner sees to tell tokens apart
MAX_ACTIVE = 20
# Recording every use would turn every API read into a write; once a minute is precise enough
# to tell a token in use from a forgotten one.
LAST_USE_PRECISION = timedelta(minutes=1)


def create_token(user: User, name: str, expires_on: date | None, today: date, *,
                 scope: TokenScope) -> tuple[AccessToken, str]:
    """A new token of `user` and its secret, which is shown once and never stored."""
    if expires_on is not None and expires_on <= today:
        raise Refused(_l("The expiry date must be in the future."), "expires_on")
    if _active_count(user, today) >= MAX_ACTIVE:
        raise Refused(_l("You have %(max)d active tokens; revoke one first.", max=MAX_ACTIVE))
    secret = SCHEME + secrets.token_urlsafe(32)
    token = AccessToken(user_id=user.id, name=name.strip(), prefix=secret[:PREFIX_LENGTH],
                        token_hash=digest(secret), expires_on=expires_on, scope=scope)
    db.session.add(token)
    db.session.flush()
    record("token.create", token, actor=user, center_id=user.center_id,
           after={"name": token.name, "prefix": token.prefix, "scope": scope.value,
                  "expires_on": expires_on.isoformat() if expires_on else None})
    return token, secret


def _active_count(user: User, today: date) -> int:
    query = sa.select(sa.func.count(AccessToken.id)).where(
        AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None),
        sa.or_(AccessToken.expires_on.is_(None), AccessToken.expires_on > today))
    return db.session.scalar(query)


def revoke_token(token: AccessToken, actor: User, reason: str | None = None) -> None:
    """Refuse the token from now on; revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    after = {"revoked_at": token.revoked_at.isoformat()}
    if reason:
        after["reason"] = reason
    record("token.revoke", token, actor=actor, center_id=token.user.center_id,
           before={"revoked_at": None}, after=after)


def revoke_all_of(user: User, actor: User, reason: str) -> int:
    """Revoke every unrevoked token of `user` (expired ones too: nothing may bring them back),
    each with its own audit entry; the number revoked."""
    tokens = db.session.scalars(
        sa.select(AccessToken).where(AccessToken.user_id == user.id,
                                     AccessToken.revoked_at.is_(None))
        .order_by(AccessToken.id)).all()
    for token in tokens:
        revoke_token(token, actor, reason)
    return len(tokens)


def touch(token: AccessToken, now: datetime) -> bool:
    """Record a use at most once a minute; True when a row was written. The write commits at
    once, on its own: a use counts even when the request is then refused. The condition is in
    the UPDATE, so concurrent requests write it once."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return False
    with separate_transaction() as connection:
        result = connection.execute(
            sa.update(AccessToken)
            .where(AccessToken.id == token.id,
                   sa.or_(AccessToken.last_used_at.is_(None),
                          AccessToken.last_used_at <= now - LAST_USE_PRECISION))
            .values(last_used_at=now))
    set_committed_value(token, "last_used_at", now)  # stored already: not a change to flush
    return result.rowcount == 1
