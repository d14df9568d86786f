"""An uploaded CSV file, parsed and stored until it is committed (no process-local state)."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.model_types import Choice, enum_type, set_labels, utcnow
from lms.users.models import User


class ImportKind(Choice):
    STUDENTS = "students"
    VOUCHERS = "vouchers"


set_labels({ImportKind.STUDENTS: _l("Students"), ImportKind.VOUCHERS: _l("Vouchers")})


class ImportBatch(db.Model):
    """One uploaded file: its rows as parsed (raw text per column), for one center and kind.

    The preview and the commit both read the rows from here, so any app server can serve
    either step; the commit validates them again against the database as it is then.
    """

    __tablename__ = "import_batches"
    __table_args__ = (
        sa.Index("ix_import_batches_center_created", "center_id", "created_at"),
        sa.CheckConstraint("row_count >= 0", name="row_count_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"))
    kind: Mapped[ImportKind] = mapped_column(enum_type(ImportKind, "import_kind"))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: CLI
    filename: Mapped[str] = mapped_column(sa.String(255))
    checksum: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of the uploaded bytes
    row_count: Mapped[int]
    # [{"line": 2, "values": {"email": "...", ...}}, ...]; deferred so lists never load it.
    rows: Mapped[list] = mapped_column(sa.JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_at: Mapped[datetime | None]
    committed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    result: Mapped[dict | None] = mapped_column(sa.JSON)  # what the commit created, by kind

    center: Mapped[Center] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    committed_by: Mapped[User | None] = relationship(foreign_keys=[committed_by_id])
