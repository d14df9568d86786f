"""A page of items that were counted and sliced by hand (a UNION, a report held in memory), shaped
like Flask-SQLAlchemy's Pagination so the one pagination macro can render it."""
from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil


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
