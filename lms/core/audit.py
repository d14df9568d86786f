"""The audit trail: every write, with actor, before/after values, time and client address.

Every service that changes data calls record() in its own transaction. Recording is
infrastructure (every domain writes entries), so this module imports no domain: the actor is
related by name. The audit log's pages are the `lms.audit` package."""
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.extensions import db
from lms.core.model_types import utcnow

if TYPE_CHECKING:
    from lms.users.models import User


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_center_created", "center_id", "created_at"),
        sa.Index("ix_audit_log_object", "object_type", "object_id"),
        sa.Index("ix_audit_log_actor_created", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped["User | None"] = relationship("User")


def record(
    action: str,
    obj: Any,
    *,
    before: dict | None = None,
    after: dict | None = None,
    actor: Any = None,
    center_id: int | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits); `at` when the
    entry must carry the same instant as the rows it describes (else the time of the flush)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        center_id=center_id if center_id is not None else getattr(obj, "center_id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
        client_address=request.remote_addr if has_request_context() else None,
    )
    if at is not None:
        entry.created_at = at
    db.session.add(entry)
    return entry
