"""Import use cases: stage an uploaded file, preview it, commit it all-or-nothing.

A commit first locks the importing center's row (FOR NO KEY UPDATE: it does not block the
rows that merely reference the center), so two imports into one center run one after the
other; the second then validates against what the first wrote and finds nothing left to do.
The unique constraints with ON CONFLICT DO NOTHING in writes.py are the second line of defence,
for e-mail addresses and voucher codes of other centers, which this lock does not cover.
"""
from datetime import date

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from lms.centers.models import Center
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.imports import students, vouchers, writes
from lms.imports.models import ImportBatch, ImportKind
from lms.imports.parsing import parse
from lms.imports.report import Report, RowsPage, RowStatus

VALIDATORS = {ImportKind.STUDENTS: students.validate, ImportKind.VOUCHERS: vouchers.validate}
ROWS_PER_PAGE = 100


class NotValid(Refused):
    """The commit found problems: nothing was written; the report says which."""

    def __init__(self, report: Report):
        super().__init__(_l("Nothing was imported: the file has problems. Correct them in the "
                            "file and upload it again."))
        self.report = report


class AlreadyImported(Refused):
    """This upload was committed before; committing it again changes nothing."""


def stage(kind: ImportKind, center: Center, filename: str, data: bytes, actor) -> ImportBatch:
    """Parse an uploaded file and store it for the preview (refuses a file that is not CSV)."""
    parsed = parse(kind, data)
    batch = ImportBatch(center_id=center.id, kind=kind, filename=(filename or "upload.csv")[:255],
                        uploaded_by_id=getattr(actor, "id", None), checksum=parsed.checksum,
                        row_count=len(parsed.rows), rows=parsed.rows)
    db.session.add(batch)
    db.session.flush()  # the audit entry names the batch
    record("import.upload", batch, actor=actor, after={
        "kind": kind.value, "filename": batch.filename, "checksum": batch.checksum,
        "rows": batch.row_count})
    return batch


def preview(batch: ImportBatch, today: date) -> Report:
    """Every row of a stored upload, checked against the database as it is now."""
    return VALIDATORS[batch.kind](batch.center, batch.rows, today)


def rows_page(report: Report, page: int, problems_only: bool) -> RowsPage:
    """One page of the report's rows (all of them, or those with problems)."""
    rows = report.with_status(RowStatus.INVALID) if problems_only else report.rows
    start = (page - 1) * ROWS_PER_PAGE
    return RowsPage(rows[start:start + ROWS_PER_PAGE], page, ROWS_PER_PAGE, len(rows))


def commit(batch: ImportBatch, actor, today: date) -> dict:
    """Validate again and write every row, or nothing: the caller commits or rolls back."""
    _lock_center(batch.center_id)
    # Read under a row lock: another commit of this very batch may have finished meanwhile.
    committed_at = db.session.scalar(sa.select(ImportBatch.committed_at)
                                     .where(ImportBatch.id == batch.id).with_for_update())
    if committed_at is not None:
        raise AlreadyImported(_l("This file was imported on %(when)s; importing it again "
                                 "changes nothing.", when=format_datetime(committed_at)))
    report = VALIDATORS[batch.kind](batch.center, batch.rows, today, lock=True)
    if not report.valid:
        raise NotValid(report)
    if batch.kind == ImportKind.STUDENTS:
        result = writes.create_students(batch.center, report, actor, today)
    else:
        result = writes.create_vouchers(batch.center, report, actor)
    batch.committed_at, batch.committed_by_id, batch.result = utcnow(), getattr(actor, "id", None), result
    record("import.commit", batch, actor=actor, after={
        "kind": batch.kind.value, "filename": batch.filename, "checksum": batch.checksum,
        "rows": batch.row_count, **result})
    return result


def _lock_center(center_id: int) -> None:
    query = sa.select(Center.id).where(Center.id == center_id).with_for_update(key_share=True)
    db.session.execute(query)


