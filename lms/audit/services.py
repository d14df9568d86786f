"""Writing audit entries; every service that changes data calls record()."""
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from lms.audit.models import AuditEntry
from lms.core.extensions import db


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
