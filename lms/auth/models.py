"""Signed-in browsers, kept in the database so that signing out ends a session for good."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.extensions import db
from lms.core.model_types import utcnow


class UserSession(db.Model):
    """One signed-in browser. Its random key travels in the signed session cookie (and in the
    remember-me cookie); only its SHA-256 is stored. Every request checks the row exists, so
    deleting it (sign-out, sign out everywhere, a new password) ends that session on every app
    server, whatever copies of the cookies are still around."""

    __tablename__ = "user_sessions"
    __table_args__ = (sa.Index("ix_user_sessions_user_id", "user_id"),)

    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The user's session version when it began: deactivating the account bumps the version,
    # which ends every session at once (lms/people/services.py).
    session_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
