"""Shared steps of the CSV import tests: upload a file, read a row of the preview, snapshot tables."""
import html as html_lib
import io
import re

import sqlalchemy as sa

from lms.core.extensions import db


def upload(client, kind: str, content, filename: str = "people.csv", **fields):
    """POST a file to the upload page; `content` is text (UTF-8) or bytes."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(f"/imports/{kind}/upload", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename), **fields})


def staged(client, kind: str, content, **fields) -> int:
    """Upload a file that must be accepted for the preview; the batch id."""
    response = upload(client, kind, content, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.location.rstrip("/").rsplit("/", 1)[-1])


def row_html(html: str, line: int) -> str:
    """The preview's table row of a file line (its status, problems and cells)."""
    found = re.search(rf'<tr id="line-{line}".*?</tr>', html, re.S)
    assert found, f"line {line} is not in the preview"
    return html_lib.unescape(found.group(0))


def table_rows(*tables) -> dict:
    """Every row of the given tables, ordered, for comparing database states."""
    result = {}
    for table in tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        result[table.name] = [tuple(row) for row in db.session.execute(query)]
    return result
