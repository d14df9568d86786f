"""Reads of the imports domain."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.access import visible
from lms.core.extensions import db
from lms.imports.models import ImportBatch


def _uploads():
    return (visible(ImportBatch)
            .options(joinedload(ImportBatch.center), joinedload(ImportBatch.uploaded_by))
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc()))


def uploads(page: int, per_page: int):
    """The uploads the signed-in user may see, newest first, one page (rows not loaded)."""
    return db.paginate(_uploads(), page=page, per_page=per_page, error_out=False)


def all_uploads() -> list[ImportBatch]:
    """Every upload the signed-in user may see (for the CSV download; uploads are few)."""
    return list(db.session.scalars(_uploads()))


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """An earlier committed upload of the very same file into the same center, if any."""
    query = (sa.select(ImportBatch)
             .where(ImportBatch.center_id == batch.center_id, ImportBatch.kind == batch.kind,
                    ImportBatch.checksum == batch.checksum, ImportBatch.id != batch.id,
                    ImportBatch.committed_at.is_not(None))
             .order_by(ImportBatch.committed_at.desc()).limit(1))
    return db.session.scalars(query).first()
