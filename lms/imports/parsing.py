"""Uploaded bytes → header-mapped rows of text, or a refusal of the whole file.

Accepts UTF-8 with or without a BOM, `,` or `;` as the separator (detected on the header
line; Excel in Ukraine writes `;`), headers in Ukrainian or English. Cell values are only
trimmed here; their meaning is checked by the validators of each kind.
"""
import csv
import hashlib
import io
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from lms.core.refusal import Refused
from lms.imports.columns import header_names, label_of, normalize_header, required_keys
from lms.imports.models import ImportKind

TOO_LARGE, UNPROCESSABLE = 413, 422
EXTRA = "__extra__"  # key of a row's surplus cells (beyond the header), reported per row


class FileRefused(Refused):
    """The file as a whole cannot be imported (not CSV, too large, no usable header)."""

    def __init__(self, message, status: int = UNPROCESSABLE):
        super().__init__(message, "file")
        self.status = status


@dataclass
class ParsedFile:
    keys: list[str]  # the file's columns, in its order
    rows: list[dict]  # {"line": n, "values": {key: text}}
    checksum: str
    separator: str


def parse(kind: ImportKind, data: bytes) -> ParsedFile:
    """Parse an uploaded file or refuse it with a message that says what to fix."""
    text = _decode(data)
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        keys = _header(kind, reader)
        rows = _rows(reader, keys)
    except csv.Error as error:
        raise FileRefused(_l("The file is not valid CSV (line %(line)d): %(problem)s",
                             line=reader.line_num, problem=str(error))) from error
    if not rows:
        raise FileRefused(_l("The file has no rows below its header line."))
    return ParsedFile(keys, rows, hashlib.sha256(data).hexdigest(), separator)


def _decode(data: bytes) -> str:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if len(data) > limit:
        raise FileRefused(_l("The file is larger than %(size)d KB; split it into smaller files.",
                             size=limit // 1024), TOO_LARGE)
    if not data.strip():
        raise FileRefused(_l("The file is empty."))
    if b"\x00" in data:  # spreadsheets, images and other binary files, and UTF-16 text
        raise FileRefused(_l("This is not a CSV text file. In Excel, use “Save as” → "
                             "“CSV UTF-8 (comma delimited)”."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(_l("The file is not in the UTF-8 encoding. In Excel, use “Save as” → "
                             "“CSV UTF-8 (comma delimited)”.")) from error


def _separator(text: str) -> str:
    """`;` when the header line has more of them than commas, otherwise `,`."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _header(kind: ImportKind, reader) -> list[str]:
    """The column keys named by the first non-empty line; unknown or missing ones refuse."""
    cells = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if cells is None:
        raise FileRefused(_l("The file is empty."))
    known = header_names(kind)
    names = [cell for cell in cells if cell.strip()]
    keys = [known.get(normalize_header(name)) for name in names]
    if not any(keys):
        raise FileRefused(_l("The first line must name the columns (download the template); "
                             "none of these is a known column: %(names)s.",
                             names=", ".join(n[:40] for n in names[:8])))
    unknown = [name for name, key in zip(names, keys) if key is None]
    if unknown:
        raise FileRefused(_l("Unknown columns: %(names)s. Rename or remove them (download the "
                             "template for the accepted names).", names=", ".join(unknown[:8])))
    _check_columns(kind, [k for k in keys if k], names)
    return [known.get(normalize_header(cell)) or "" for cell in cells]


def _check_columns(kind: ImportKind, keys: list[str], names: list[str]) -> None:
    repeated = sorted({names[i] for i, key in enumerate(keys) if keys.index(key) != i})
    if repeated:
        raise FileRefused(_l("A column appears twice: %(names)s.", names=", ".join(repeated)))
    missing = [str(label_of(kind, key)) for key in required_keys(kind) if key not in keys]
    if missing:
        raise FileRefused(_l("Required columns are missing: %(names)s.",
                             names=", ".join(missing)))


def _rows(reader, keys: list[str]) -> list[dict]:
    """Non-blank data rows with their line numbers; surplus cells are kept for the report."""
    limit = current_app.config["IMPORT_MAX_ROWS"]
    rows, line = [], reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(rows) == limit:
                raise FileRefused(_l("The file has more than %(limit)d rows; split it into "
                                     "smaller files.", limit=limit), TOO_LARGE)
            rows.append({"line": line, "values": _values(keys, cells)})
        line = reader.line_num + 1
    return rows


def _values(keys: list[str], cells: list[str]) -> dict[str, str]:
    values = {key: "" for key in keys if key}  # a short row (Excel trims) has empty cells
    values.update((key, cell.strip()) for key, cell in zip(keys, cells) if key)
    surplus = [cell for i, cell in enumerate(cells)
               if cell.strip() and (i >= len(keys) or not keys[i])]
    if surplus:
        values[EXTRA] = str(len(surplus))
    return values
