"""Report statements built once per process for the values they are built for.

Building a dashboard's statements (a few hundred SQLAlchemy elements, their column collections
and cache keys) cost a fifth of the page's time on the large data set. A statement is an
immutable description of a query, a pure function of (period, centers, today): keeping the
latest few hundred lets a repeated view skip the building. Only the description is kept, never
a result, so every request still reads the current data; the cache is per process like
SQLAlchemy's own compiled-statement cache, and any number of processes can hold one.
"""
import functools
from collections.abc import Callable, Sequence

STATEMENTS_KEPT = 256  # per builder: every center's dashboard for a few periods


def built_once(build: Callable) -> Callable:
    """Memoize `build(period, center_ids, *rest)`; center_ids (None or a sequence of ids) is
    keyed as a tuple, so a list and a tuple of the same ids share the statement."""
    cached = functools.lru_cache(maxsize=STATEMENTS_KEPT)(build)

    @functools.wraps(build)
    def statement(period, center_ids: Sequence[int] | None, *rest):
        return cached(period, None if center_ids is None else tuple(center_ids), *rest)

    statement.cache_clear = cached.cache_clear
    return statement
