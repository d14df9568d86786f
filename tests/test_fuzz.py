"""Hostile input never yields a 500, never a partial write, never unescaped markup.

For each role the app is walked from its URL map (tests/crawl.py); every query parameter a page
reads and every field of every POST form found is driven with hostile values (hypothesis,
derandomized and bounded). Each answer must be 2xx/3xx/4xx; a 4xx must leave every table's row
count unchanged; no HTML answer may carry markup injected by a value we sent.
"""
import functools
import io
import itertools
import re
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lms.core.extensions import db
from tests import crawl
from tests.factories import user_of
from tests.test_access import build_access_world

XSS = ["<script>fzxss()</script>", '"><img src=x onerror=fzxss()>', "' onfocus='fzxss() x='",
       "<svg/onload=fzxss()>", "javascript:fzxss()", "</textarea><fzxss>"]
HOSTILE = XSS + [
    "A" * 20_000, "-1", "0", "-99999999999999999999", "99999999999999999999999", "1e309", "NaN",
    "3.5", "0x1F", "2026-02-30", "0000-00-00", "-0001-01-01", "9999-12-31T99:99", "", " ",
    "\x00", "a\x00b", "\u202eevil\u202c", "e\u0301\u0301\u0301\u0301", "🎓👩‍💻🇺🇦", "\ud800",
    "\udfff\ud800", "\ufeff", "' OR '1'='1", "1; DROP TABLE users;--", "%00", "../../etc/passwd",
    "{{7*7}}", "true", "[]", "null",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.from_regex(r"-?\d{1,5}-\d{1,2}-\d{1,2}", fullmatch=True),
)
FIELD_EXAMPLES, QUERY_EXAMPLES = 1, 1  # generated, beyond the two explicit ones

# One access world for the module: what a test writes is rolled back to the module's savepoint.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("module_world")]
SHARED_WORLD = build_access_world


def run_examples(check, examples: int, rotation: itertools.cycle) -> None:
    """Drive `check(value)` with a bounded, reproducible set of hostile values: a NUL, the next
    crafted value in rotation (so every crafted value reaches some field), then generated ones."""
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hostile)
    @example("a\x00b")
    @example(next(rotation))
    def drive(value):
        check(value)
    drive()


def raw(value: str) -> bytes:
    """What goes on the wire: UTF-8, lone surrogates as the (invalid) bytes they encode to."""
    return value.encode("utf-8", "surrogatepass")


@functools.cache
def count_every_table() -> sa.TextClause:
    """Built once: sorting the tables took longer than the count itself."""
    tables = db.metadata.sorted_tables
    return sa.text("SELECT " + ", ".join(f'(SELECT count(*) FROM "{t.name}")' for t in tables))


def row_counts() -> tuple:
    """Through the session: it shares the connection of the test's outer transaction."""
    return tuple(db.session.execute(count_every_table()).one())


def check_answer(response, what, before) -> None:
    assert response.status_code < 500, (what, response.status_code)
    if 400 <= response.status_code < 500:
        assert row_counts() == before, ("a refused request wrote rows", what)
    if response.mimetype == "text/html":
        page = crawl.parse("/", response.get_data(as_text=True))
        assert not page.injected, ("unescaped input", what, page.injected)


@pytest.fixture(scope="module")
def walks() -> dict:
    """Each visitor's walk, made once: every test starts from the module's same world, so a
    second walk would find the same pages."""
    return {}


@pytest.fixture
def walker(app, client, login, world, walks):
    """walker(visitor): the client signed in as `visitor` and the pages it reaches."""
    def walk(visitor):
        user = user_of(world, crawl.VISITORS[visitor])
        if user is not None:
            login(user)
        if visitor not in walks:
            walks[visitor] = crawl.crawl(app, client, world)
        return client, walks[visitor]
    return walk


@pytest.mark.parametrize("role", crawl.VISITORS)
def test_hostile_query_strings(app, walker, role):
    client, pages = walker(role)
    rotation = itertools.cycle(HOSTILE)
    for url, page in pages.items():
        endpoint = crawl.endpoint_of(app, url)[0]
        names = sorted(crawl.query_names(app, endpoint, page))
        path = urlsplit(url).path
        for name in names:
            def check(value, name=name):
                before = row_counts()
                query = urlencode([(name, raw(value))])
                check_answer(client.get(f"{path}?{query}"), (url, name, value[:60]), before)
            run_examples(check, QUERY_EXAMPLES, rotation)
        for value in [XSS[0], XSS[1], "\x00", "9" * 40]:
            before = row_counts()
            query = urlencode([(name, raw(value)) for name in names] + [("fzxss", raw(value))])
            check_answer(client.get(f"{path}?{query}"), (url, "all", value), before)


def submission(form: crawl.Form, overrides: dict[str, str]) -> dict:
    """The form as a browser fills it (first non-empty choice), some fields replaced."""
    data = {}
    for name, candidates in form.fields.items():
        kind = form.kinds.get(name)
        value = overrides.get(name, next((c for c in candidates if c), ""))
        if kind == "file":
            # A file name travels as UTF-8 in the part's header: what cannot be encoded (a lone
            # surrogate) no browser can send, so it is replaced, like the other multipart values.
            filename = raw(value[:50].replace("\x00", "")).decode("utf-8", "replace")
            data[name] = (io.BytesIO(raw(value)), filename + ".pdf")
        else:
            data[name] = value
    return data


def post(client, form: crawl.Form, overrides: dict[str, str]):
    data = submission(form, overrides)
    if form.enctype == "multipart/form-data":
        safe = {k: v if isinstance(v, tuple) else raw(v).decode("utf-8", "replace")
                for k, v in data.items()}
        return client.post(form.action, data=safe, content_type="multipart/form-data")
    body = urlencode([(k, raw(v)) for k, v in data.items()])
    return client.post(form.action, data=body, content_type="application/x-www-form-urlencoded")


def representative_fields(form: crawl.Form) -> list[str]:
    """One field per shape: a grid's s-1-1 … s-40-40 are one field driven once, not 1 600."""
    shapes = {}
    for name in form.fields:
        if name != "csrf_token":
            shapes.setdefault(re.sub(r"\d+", "#", name), name)
    return list(shapes.values())


@pytest.mark.parametrize("role", crawl.VISITORS)
def test_hostile_forms(app, walker, world, role):
    client, pages = walker(role)
    forms, rotation = crawl.post_forms(pages), itertools.cycle(HOSTILE)
    assert forms or role == "student", "the walk found no form to drive"
    for form in forms:
        for name in representative_fields(form):
            def check(value, name=name):
                before = row_counts()
                check_answer(post(client, form, {name: value}), (form.action, name, value[:60]),
                             before)
            run_examples(check, FIELD_EXAMPLES, rotation)
        for value in XSS[:3]:
            before = row_counts()
            check_answer(post(client, form, {n: value for n in form.fields}),
                         (form.action, "all", value), before)
    for url in crawl.crawl(app, client, world):  # stored values are shown escaped later
        response = client.get(url)
        check_answer(response, ("stored", url), row_counts())
