"""Downloads of tables: CSV (streamed, UTF-8 with BOM for Excel) and XLSX (openpyxl, write-only).

Every table a head looks at downloads through these two functions, so headers, encoding and the
guard against spreadsheet formula injection are decided once.
"""
import csv
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOM = "\ufeff"
# What makes a spreadsheet read a cell as a formula (OWASP's CSV-injection list), with the
# full-width forms some Excel locales accept too, and line breaks.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_BLANKS = " \u00a0\u2007\u202f\u3000"  # spaces a spreadsheet may skip before the `=`
CSV_ROWS_PER_CHUNK = 500


def _typed(value) -> bool:
    return isinstance(value, (int, float, Decimal, date, datetime)) and not isinstance(value, bool)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula: it starts with one of the
    formula characters, maybe after spaces (a "+380 …" phone number does too)."""
    return text.startswith(_FORMULA_STARTS) or text.lstrip(_BLANKS).startswith(_FORMULA_STARTS)


def safe_cell(value):
    """A value as a CSV should carry it: text that a spreadsheet would run as a formula is
    prefixed with an apostrophe (OWASP's CSV-injection advice), so "+380 67 …" arrives as the
    text '+380 67 … and Excel shows the number, not a #NAME? error; numbers and dates pass
    as-is, typed. Every field is quoted besides (csv_response), so a `;` inside a value cannot
    start a new cell for a reader whose list separator is `;` (Excel in Ukrainian)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if _typed(value):
        return value
    text = str(value)  # lazy translations and enum labels become plain text here
    return "'" + text if looks_like_formula(text) else text


def _attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> Response:
    """Stream `rows` as CSV; `rows` may be a generator reading the database lazily."""
    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        buffer.write(BOM)
        writer.writerow([safe_cell(h) for h in headers])
        for number, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(v) for v in row])
            if number % CSV_ROWS_PER_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _attachment(filename)})


@dataclass
class Sheet:
    """One worksheet: a title (named by `sheet_names`), headers and rows."""
    title: str
    headers: Sequence
    rows: Iterable[Sequence] = field(default_factory=list)


@dataclass(frozen=True)
class Share:
    """A proportion (0.67): "67%" in a CSV and on screen, a number formatted 0% in a workbook."""
    value: float | None

    def __str__(self) -> str:
        return "—" if self.value is None else f"{round(self.value * 100)}%"


# --- sheet names ------------------------------------------------------------------------------

SHEET_NAME_MAX = 31  # Excel's limit
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")  # a closing remark in parentheses: "… (IDP)"
ELLIPSIS = "…"


def _shorten(name: str, limit: int) -> str:
    """`name` in at most `limit` characters: whole, without a closing aside in parentheses, or
    cut after the last whole word that fits, with an ellipsis. Never mid-word unless a single
    word is longer than the limit."""
    if len(name) <= limit:
        return name
    without_aside = _ASIDE.sub("", name)
    if without_aside and len(without_aside) <= limit:
        return without_aside
    room = limit - len(ELLIPSIS)
    cut = name[:room + 1].rsplit(" ", 1)[0] if " " in name[:room + 1] else name[:room]
    return cut[:room].rstrip(" ,;-–—(") + ELLIPSIS


def sheet_names(titles: Iterable) -> list[str]:
    """Worksheet names Excel accepts, in order: none of []:*?/\\ (each becomes a space), no
    leading or trailing apostrophe, at most 31 characters (shortened by `_shorten`), unique
    regardless of case (a repeated name gets " (2)", " (3)"…), never empty or "History"."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        clean = " ".join(_FORBIDDEN.sub(" ", str(title)).split()).strip("'").strip() or "Sheet"
        name, number = _shorten(clean, SHEET_NAME_MAX), 1
        while name.casefold() in taken or name.casefold() == "history":
            number += 1
            suffix = f" ({number})"
            name = _shorten(clean, SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


# --- workbook ---------------------------------------------------------------------------------

WIDTH_SAMPLE_ROWS = 1000  # rows read ahead to size the columns; the rest stream after them
MIN_WIDTH, MAX_WIDTH = 10, 60  # in characters
DATE_FORMAT, DATETIME_FORMAT, SHARE_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0%"
_BOLD = Font(bold=True)


def _shown(value) -> str:
    """Roughly what Excel shows for a value, to measure its width."""
    if isinstance(value, datetime):
        return "2025-01-01 00:00"
    if isinstance(value, date):
        return "2025-01-01"
    if isinstance(value, Share):
        return "100%"
    return str(value)


def column_widths(rows: Iterable[Sequence]) -> list[float]:
    """Each column's width in characters: its longest value (the longest line of it) and two
    characters of padding, kept between MIN_WIDTH and MAX_WIDTH."""
    longest: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            if index == len(longest):
                longest.append(0)
            if value not in (None, ""):
                length = max(len(line) for line in _shown(value).splitlines() or [""])
                longest[index] = max(longest[index], length)
    return [min(max(length + 2, MIN_WIDTH), MAX_WIDTH) for length in longest]


def _cell(worksheet, value, bold: bool = False):
    """A write-only cell holding `value` typed as Excel should read it."""
    if isinstance(value, Share):
        cell = WriteOnlyCell(worksheet, value.value)
        cell.number_format = SHARE_FORMAT
        return cell
    if value is None or isinstance(value, bool) or _typed(value):
        cell = WriteOnlyCell(worksheet, safe_cell(value))
    else:
        cell = _text_cell(worksheet, str(value))
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = _BOLD
    return cell


def _text_cell(worksheet, text: str):
    """A cell that holds `text` as text, whatever it starts with: openpyxl would store "=…" as
    a formula, so the type is set to a string, and a text that looks like a formula carries
    Excel's quote prefix (the apostrophe Excel itself puts there, not shown and not part of
    the value), so "+380 67 …" reads as typed and stays text when the cell is edited. Control
    characters no workbook may hold (openpyxl would raise) show as the replacement character."""
    cell = WriteOnlyCell(worksheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def _write_sheet(workbook: Workbook, name: str, sheet: Sheet) -> None:
    """Size the columns from the header and the first rows, freeze the bold header row, then
    write every row: at most WIDTH_SAMPLE_ROWS rows are held in memory at once."""
    worksheet = workbook.create_sheet(title=name)
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for index, width in enumerate(column_widths([sheet.headers, *sample]), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.append([_cell(worksheet, header, bold=True) for header in sheet.headers])
    for row in chain(sample, rows):
        worksheet.append([_cell(worksheet, value) for value in row])


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """An XLSX workbook as a person would lay it out (named sheets, fitted columns, a frozen
    bold header, typed dates and numbers); openpyxl's write-only mode keeps memory flat."""
    workbook = Workbook(write_only=True)
    for name, sheet in zip(sheet_names(sheet.title for sheet in sheets), sheets):
        _write_sheet(workbook, name, sheet)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return send_file(spool, as_attachment=True, download_name=filename,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
