"""Pages of API lists: `page` and `per_page` (bounded), links to the neighbours in the body
and in a `Link` header (RFC 8288)."""
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from flask import jsonify, request, url_for

from lms.api.registry import Param
from lms.core.extensions import db

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
PAGE_PARAMS = (
    Param("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
          "Page number, from 1."),
    Param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                       "default": DEFAULT_PER_PAGE},
          f"Items per page, at most {MAX_PER_PAGE}; more is a 400."),
)


def page_of_query(query: sa.Select, args: dict, serialize: Callable) -> tuple:
    """A page of a SELECT (one COUNT and one SELECT), as the paginated response."""
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False,
                       count=True)
    return _response([serialize(item) for item in page.items], page.total, args)


def page_of_list(items: Sequence, args: dict, serialize: Callable, **extra) -> tuple:
    """A page of a list that is already in memory (small by nature: one student's cohorts,
    one cohort's students); `extra` goes into the body beside the items."""
    start = (args["page"] - 1) * args["per_page"]
    chosen = items[start:start + args["per_page"]]
    return _response([serialize(item) for item in chosen], len(items), args, **extra)


def _response(items: list, total: int, args: dict, **extra) -> tuple:
    page, per_page = args["page"], args["per_page"]
    links = {"next": _link(page + 1) if page * per_page < total else None,
             "prev": _link(page - 1) if page > 1 else None}
    body = {**extra, "items": items, "page": page, "per_page": per_page, "total": total, **links}
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return jsonify(body), 200, ({"Link": header} if header else {})


def _link(page: int) -> str:
    args = {**request.view_args, **request.args.to_dict(), "page": page}
    return url_for(request.endpoint, _external=True, **args)


def page_schema(item: dict) -> dict:
    """The response schema of a paginated list of `item`."""
    nullable_url = {"type": ["string", "null"], "description": "Address of that page, or null."}
    return {"type": "object", "required": ["items", "page", "per_page", "total", "next", "prev"],
            "properties": {"items": {"type": "array", "items": item},
                           "page": {"type": "integer", "minimum": 1},
                           "per_page": {"type": "integer", "minimum": 1},
                           "total": {"type": "integer", "minimum": 0},
                           "next": nullable_url, "prev": nullable_url}}
