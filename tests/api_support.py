"""Helpers of the API tests: real tokens, made by the real service."""
from datetime import date

from lms.core.extensions import db
from lms.tokens import services
from lms.tokens.models import TokenScope


def make_token(user, name: str = "script", expires_on: date | None = None,
               scope: TokenScope = TokenScope.READ_WRITE) -> str:
    """A committed token of `user` (read-write unless told); returns its secret."""
    _token, secret = services.create_token(user, name, expires_on, date.today(), scope=scope)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
