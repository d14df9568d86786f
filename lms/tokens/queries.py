"""Reads of the tokens domain."""
import hashlib
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from lms.core.extensions import db
from lms.tokens.models import AccessToken
from lms.users.models import User

SCHEME = "lms_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: User) -> list[AccessToken]:
    """The user's tokens, active first, newest first."""
    query = (sa.select(AccessToken).where(AccessToken.user_id == user.id)
             .order_by(AccessToken.revoked_at.is_not(None), AccessToken.created_at.desc(),
                       AccessToken.id.desc()))
    return list(db.session.scalars(query))


def own_token(user: User, token_id: int) -> AccessToken | None:
    """One of the user's own tokens (nobody else's, whatever the role)."""
    query = sa.select(AccessToken).where(AccessToken.id == token_id, AccessToken.user_id == user.id)
    return db.session.scalars(query).first()


def find_active(secret: str, today: date) -> AccessToken | None:
    """The unrevoked, unexpired token of an active user with this secret, or None."""
    if not secret.startswith(SCHEME) or len(secret) > 100:
        return None
    query = (sa.select(AccessToken).join(AccessToken.user)
             .where(AccessToken.token_hash == digest(secret), AccessToken.revoked_at.is_(None),
                    sa.or_(AccessToken.expires_on.is_(None), AccessToken.expires_on > today),
                    User.is_active)
             .options(contains_eager(AccessToken.user)))
    return db.session.scalars(query).first()
