"""The hostile-input walker: hostile input never yields a 500, never a partial write, never
unescaped markup.

For each visitor (anonymous, then each role) the app is walked from its URL map and the links
and forms of the rendered pages (tests/crawl.py). Every query parameter a page reads and every
field of every POST form found then receives one value of every KIND below (the values of a
kind rotate over the fields, so each value reaches some field). Each answer must be below 500;
a 4xx must leave every table's row count unchanged; no HTML answer may carry markup injected
by a value we sent. The run prints its coverage (fields × kinds reached and the request count)
and fails below MIN_REQUESTS, so a walker that shrinks (a page it no longer finds) is visible.
"""
import io
import itertools
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from lms.core.extensions import db
from lms.core.model_types import MAX_ID
from tests import crawl
from tests.factories import user_of
from tests.test_access import build_access_world

XSS = ["<script>fzxss()</script>", '"><img src=x onerror=fzxss()>', "' onfocus='fzxss() x='",
       "<svg/onload=fzxss()>", "javascript:fzxss()", "</textarea><fzxss>"]
# Every kind of hostile value the probe of issue 18 sent, and a few more.
KINDS: dict[str, list[str]] = {
    "over-long": ["A" * 20_000, "9" * 5_000, "%_" * 50_000, "é" * 4_000],
    "unicode digits": ["²", "①", "١٢", "１２", "𝟗", "৩", "Ⅻ"],
    "confusables": ["−1", "аdmin", "Ｏ", "0x1F", "1e3", "3.5", "٫5", "I", "+1", " 1 "],
    "nul and control": ["\x00", "a\x00b", "\x01\x1f\x08", "\x7f", "\u202eevil\u202c", "\ufeff",
                        "\ud800", "\udfff\ud800", "e\u0301\u0301\u0301"],
    "cr/lf": ["/\r\nx", "a\r\nSet-Cookie: fz=1", "\r", "\n\n", "/\u2028x"],
    "huge numbers": ["99999999999999999999", str(MAX_ID + 1), str(2**63), "9" * 400, "1e309",
                     "NaN", "Infinity"],
    "negative numbers": ["-1", "-99999999999999999999", "-0", str(-(2**31)), "-1e309"],
    "malformed dates": ["2026-02-30", "0000-00-00", "9999-12-31T99:99", "31.02.2010",
                        "-0001-01-01", "2026-13-01", "20260101", "2026-1-1"],
    "markup and injection": [*XSS, "' OR '1'='1", "{{7*7}}", "../../etc/passwd", "%00", "null"],
    "empty and blank": ["", " ", "\t", "\u00a0"],
    "repeated key": ["1", "²", ""],        # the field twice: a valid-looking value, then this
    "array-valued key": ["1", "[1,2]", "{\"a\":1}"],  # name[]=…, name[0]=…, and a JSON text
}
# How the value of a kind goes on the wire: (key, value) pairs replacing the field.
SHAPES: dict[str, Callable[[str, str, str], list[tuple[str, str]]]] = {
    "repeated key": lambda name, usual, value: [(name, usual or "1"), (name, value)],
    "array-valued key": lambda name, usual, value: [(f"{name}[]", value), (f"{name}[0]", value),
                                                    (name, value)],
}
MIN_REQUESTS = 10_000  # a whole run (every visitor): fewer means the walk found less
SHORT = 60  # characters of a value quoted in an assertion message

# One access world for the module: what a test writes is rolled back to the module's savepoint.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("module_world")]
SHARED_WORLD = build_access_world


@dataclass
class Coverage:
    """What the walk reached: each field (visitor, where, name) and the kinds sent to it."""
    pairs: set = field(default_factory=set)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    tests: set = field(default_factory=set)
    parameters: set = field(default_factory=set)  # (endpoint, name) walked by some visitor
    started: float = field(default_factory=time.monotonic)

    def sent(self, where: tuple, kind: str, status: int) -> None:
        """One request answered; `where` and `kind` when it drove one field with one kind."""
        if kind:
            self.pairs.add((where, kind))
        self.requests += 1
        self.statuses[status // 100 * 100] += 1

    def lines(self) -> list[str]:
        fields = {where for where, _kind in self.pairs}
        kinds = {kind for _where, kind in self.pairs}
        by_kind = Counter(kind for _where, kind in self.pairs)
        return [f"hostile-input walker: {len(fields)} fields × {len(kinds)} kinds of "
                f"{len(KINDS)} = {len(self.pairs)} pairs reached "
                f"(of {len(fields) * len(KINDS)}); {self.requests} requests (those and every "
                f"field of a page or form at once, stored values read back) in "
                f"{time.monotonic() - self.started:.0f} s, answers "
                + ", ".join(f"{status // 100}xx: {n}" for status, n in sorted(self.statuses.items())),
                "  per kind: " + ", ".join(f"{kind} {by_kind[kind]}" for kind in KINDS)]


@pytest.fixture(scope="module")
def coverage(request) -> Coverage:
    """The module's tally, printed at its end (even without -s)."""
    tally = Coverage()
    yield tally
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture and tally.requests:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for line in tally.lines():
                reporter.write_line(line)


def raw(value: str) -> bytes:
    """What goes on the wire: UTF-8, lone surrogates as the (invalid) bytes they encode to."""
    return value.encode("utf-8", "surrogatepass")


@cache
def count_every_table() -> sa.TextClause:
    """Built once: sorting the tables took longer than the count itself."""
    tables = db.metadata.sorted_tables
    return sa.text("SELECT " + ", ".join(f'(SELECT count(*) FROM "{t.name}")' for t in tables))


def row_counts() -> tuple:
    """Through the session: it shares the connection of the test's outer transaction."""
    return tuple(db.session.execute(count_every_table()).one())


class Guard:
    """Sends requests and checks each answer: below 500, no rows written by a refusal, no
    injected markup. The row counts are read once per answer, not twice."""

    def __init__(self, coverage: Coverage):
        self.coverage, self.before = coverage, row_counts()

    def check(self, response, what: tuple, kind: str = "") -> None:
        status = response.status_code
        self.coverage.sent(what[:2], kind, status)
        assert status < 500, (what, status)
        after = row_counts()
        if 400 <= status < 500:
            assert after == self.before, ("a refused request wrote rows", what, status)
        self.before = after
        if response.mimetype == "text/html":
            page = crawl.parse("/", response.get_data(as_text=True))
            assert not page.injected, ("unescaped input", what, page.injected)


def kind_values(kind: str, rotation: dict) -> str:
    """The next value of `kind`: the values of a kind take turns over the fields."""
    return next(rotation.setdefault(kind, itertools.cycle(KINDS[kind])))


def pairs_for(kind: str, name: str, usual: str, value: str) -> list[tuple[str, str]]:
    shape = SHAPES.get(kind)
    return shape(name, usual, value) if shape else [(name, value)]


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


def query_fields(app, pages: dict) -> dict[tuple[str, str], str]:
    """(endpoint, parameter) → the path of one page that reads it: each once per visitor, from
    the pages the visitor may open (a redirect to sign in reads no parameter)."""
    found = {}
    for url, page in pages.items():
        if page.status != 200:
            continue
        endpoint = crawl.endpoint_of(app, url)[0]
        for name in sorted(crawl.query_names(app, endpoint, page)):
            found.setdefault((endpoint, name), urlsplit(url).path)
    return found


@pytest.mark.parametrize("role", crawl.VISITORS)
def test_hostile_query_strings(app, walker, coverage, role):
    client, pages = walker(role)
    guard, rotation = Guard(coverage), {}
    for (endpoint, name), path in query_fields(app, pages).items():
        # A parameter is read by the same parser whoever asks: walked by the first visitor
        # whose page reads it (a role that sees more of a page still adds its own).
        if (endpoint, name) in coverage.parameters:
            continue
        coverage.parameters.add((endpoint, name))
        for kind in KINDS:
            value = kind_values(kind, rotation)
            query = urlencode([(k, raw(v)) for k, v in pairs_for(kind, name, "1", value)])
            guard.check(client.get(f"{path}?{query}"), ((role, "GET", endpoint), name, value[:SHORT]),
                        kind)
    for url, page in pages.items():  # every parameter of a page at once
        endpoint = crawl.endpoint_of(app, url)[0]
        names = sorted(crawl.query_names(app, endpoint, page))
        for value in [XSS[0], XSS[1], "\x00", "9" * 40, "²"]:
            query = urlencode([(name, raw(value)) for name in names] + [("fzxss", raw(value))])
            guard.check(client.get(f"{urlsplit(url).path}?{query}"), (url, "all", value))
    coverage.tests.add(("query", role))


def submission(form: crawl.Form, replaced: str | None = None,
               pairs: list[tuple[str, str]] = ()) -> list[tuple[str, object]]:
    """The form as a browser fills it (first non-empty choice), `replaced` sent as `pairs`."""
    data = []
    for name, candidates in form.fields.items():
        if name == replaced:
            data.extend(pairs)
            continue
        data.append((name, next((c for c in candidates if c), "")))
    return [(name, _file(value) if form.kinds.get(name) == "file" else value)
            for name, value in data]


def _file(value: str):
    # A file name travels as UTF-8 in the part's header: what cannot be encoded (a lone
    # surrogate) no browser can send, so it is replaced, like the other multipart values.
    filename = raw(value[:50].replace("\x00", "")).decode("utf-8", "replace")
    return io.BytesIO(raw(value)), filename + ".pdf"


def post(client, form: crawl.Form, data: list[tuple[str, object]]):
    if form.enctype == "multipart/form-data":
        safe = MultiDict([(k, v if isinstance(v, tuple) else raw(v).decode("utf-8", "replace"))
                          for k, v in data])
        return client.post(form.action, data=safe, content_type="multipart/form-data")
    body = urlencode([(k, raw(v)) for k, v in data])
    return client.post(form.action, data=body, content_type="application/x-www-form-urlencoded")


def representative_fields(form: crawl.Form) -> list[str]:
    """One field per shape: a grid's s-1-1 … s-40-40 are one field driven once, not 1 600."""
    shapes = {}
    for name in form.fields:
        if name != "csrf_token":
            shapes.setdefault(re.sub(r"\d+", "#", name), name)
    return list(shapes.values())


@pytest.mark.parametrize("role", crawl.VISITORS)
def test_hostile_forms(app, walker, world, coverage, role):
    client, pages = walker(role)
    forms, guard, rotation = crawl.post_forms(pages), Guard(coverage), {}
    assert forms or role == "student", "the walk found no form to drive"
    for form in forms:
        path = urlsplit(form.action).path
        for name in representative_fields(form):
            usual = next((c for c in form.fields[name] if c), "")
            for kind in KINDS:
                value = kind_values(kind, rotation)
                data = submission(form, name, pairs_for(kind, name, usual, value))
                guard.check(post(client, form, data), ((role, "POST", path), name, value[:SHORT]),
                            kind)
        for value in XSS[:3]:
            everything = [(name, _file(value) if form.kinds.get(name) == "file" else value)
                          for name in form.fields]
            guard.check(post(client, form, everything), (form.action, "all", value))
    for url in crawl.crawl(app, client, world):  # stored values are shown escaped later
        guard.check(client.get(url), ("stored", url))
    coverage.tests.add(("form", role))


def test_the_walk_reached_every_kind_and_enough_requests(coverage):
    """Runs last: the whole walk's size, when the whole walk ran (not a single visitor)."""
    if len(coverage.tests) < 2 * len(crawl.VISITORS):
        pytest.skip("only part of the walk ran")
    assert {kind for _where, kind in coverage.pairs} == set(KINDS)
    assert coverage.requests >= MIN_REQUESTS, coverage.lines()
    assert coverage.statuses[500] == 0
