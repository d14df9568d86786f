"""Downloads of tables: CSV (streamed, UTF-8 with BOM for Excel) and XLSX (openpyxl, write-only).

Every table a head looks at downloads through these two functions, so headers, encoding and the
guard against spreadsheet formula injection are decided once.
"""
import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ROWS_PER_CHUNK = 500


def safe_cell(value):
    """A value as a spreadsheet should receive it: text that Excel would run as a formula is
    prefixed with an apostrophe (OWASP's CSV-injection advice); numbers and dates pass as-is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, Decimal, date, datetime)):
        return value
    text = str(value)  # lazy translations and enum labels become plain text here
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> Response:
    """Stream `rows` as CSV; `rows` may be a generator reading the database lazily."""
    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write(BOM)
        writer.writerow([safe_cell(h) for h in headers])
        for number, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(v) for v in row])
            if number % CSV_ROWS_PER_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _attachment(filename)})


@dataclass
class Sheet:
    """One worksheet: a title (at most 31 characters in Excel), headers and rows."""
    title: str
    headers: Sequence
    rows: Iterable[Sequence] = field(default_factory=list)


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """An XLSX workbook; openpyxl's write-only mode keeps memory flat while rows are added."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=str(sheet.title)[:31])
        worksheet.append([safe_cell(h) for h in sheet.headers])
        for row in sheet.rows:
            worksheet.append([safe_cell(v) for v in row])
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return send_file(spool, as_attachment=True, download_name=filename,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
