"""A page of items that were counted and sliced by hand (a UNION, a report held in memory), shaped
like Flask-SQLAlchemy's Pagination so the one pagination macro can render it; and the shortlists
of the needs-attention cards."""
from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil

import sqlalchemy as sa

from lms.core.extensions import db


@dataclass
class ListPage:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(ceil(self.total / self.per_page), 1)

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link, None where a gap is shown."""
        last = 0
        for number in range(1, self.pages + 1):
            if number <= edge or number > self.pages - edge or abs(number - self.page) <= around:
                if number != last + 1:
                    yield None
                yield number
                last = number


SHORTLIST = 50  # rows a needs-attention card holds at most


@dataclass
class Shortlist:
    """The first rows of a longer list and how many rows it has in all (needs-attention cards:
    the badge shows the whole count, the card the first rows)."""
    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


def shortlist(query, limit: int, rows: bool = False) -> Shortlist:
    """Run `query` for its first `limit` rows, counting all of them in the same statement (a
    window count, so the page sends no extra statement). `rows`: keep whole result rows
    (they carry the count as one more column) instead of their first column."""
    counted = query.add_columns(sa.func.count().over().label("shortlist_total")).limit(limit)
    found = db.session.execute(counted).all()
    total = found[0].shortlist_total if found else 0
    return Shortlist(found if rows else [row[0] for row in found], total)


def in_chunks(query, size: int = 500):
    """The query's entities in lists of `size`, so a long export never loads them all at once."""
    offset = 0
    while True:
        chunk = db.session.scalars(query.limit(size).offset(offset)).unique().all()
        if not chunk:
            return
        yield chunk
        offset += size
