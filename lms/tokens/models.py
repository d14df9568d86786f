"""Personal access tokens: how other programs sign in to the JSON API."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.extensions import db
from lms.core.model_types import Choice, enum_type, set_labels, utcnow
from lms.users.models import User

# What the API lets a token do: the methods that only read, whatever the scope.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenScope(Choice):
    """A read-only token may only read (GET); a read-write one may also record (POST, …)."""

    READ = "read"
    READ_WRITE = "read_write"


set_labels({TokenScope.READ: _l("Read only"), TokenScope.READ_WRITE: _l("Read and write")})


class AccessToken(db.Model):
    """A token is stored only as the SHA-256 of its secret; `prefix` identifies it to its owner."""

    __tablename__ = "access_tokens"
    __table_args__ = (sa.Index("ix_access_tokens_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Chosen at creation, never changed; tokens made before scopes existed are read-write.
    scope: Mapped[TokenScope] = mapped_column(enum_type(TokenScope, "token_scope"))
    expires_on: Mapped[date | None]  # refused from this day on; None: until revoked
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on <= today

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def permits(self, method: str) -> bool:
        """Whether a request with this HTTP method may use the token."""
        return self.scope == TokenScope.READ_WRITE or method.upper() in READ_METHODS
