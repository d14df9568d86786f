"""Every dashboard figure against the hand-worked expectations of tests/dashboard_world.py,
the drill-downs behind them, the pages, their CSV downloads and their statement counts."""
import csv
import io
import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask import url_for

from lms.certifications.models import Stage
from lms.core.extensions import db
from lms.dashboard import drilldown
from lms.dashboard.drilldown import DRILLS, Ask
from lms.dashboard.figures import TOTAL, dashboard_aggregates, rates
from lms.reports.funnel import days_between
from tests import dashboard_world
from tests.dashboard_world import P
from tests.factories import english

TODAY = date.today()


# One dashboard world for the module: the tests read it (what one writes is rolled back).
pytestmark = pytest.mark.usefixtures("module_world")


def SHARED_WORLD():  # noqa: N802  (a module constant naming the builder, see module_world)
    return dashboard_world.build_dashboard_world(TODAY)


@pytest.fixture
def dw(shared_world):
    return shared_world


def _keys(dw):
    return {"A": dw.A.center.id, "B": dw.B.center.id, "total": TOTAL}


@pytest.fixture
def cluster(dw):
    return dashboard_aggregates(None, P, TODAY)


def test_headline_figures_per_center_and_in_total(dw, cluster):
    for name, expected in dashboard_world.EXPECTED.items():
        got = {scope: cluster.value(name, key) for scope, key in _keys(dw).items()}
        assert got == expected, name


@pytest.mark.parametrize("scope", ["A", "B"])
def test_a_centers_own_dashboard_equals_its_cluster_column(dw, scope):
    center_id = _keys(dw)[scope]
    own = dashboard_aggregates([center_id], P, TODAY)
    for name, expected in dashboard_world.EXPECTED.items():
        assert own.value(name) == own.value(name, center_id) == expected[scope], name
    assert own.median.get(TOTAL) == dashboard_world.MEDIAN[scope]
    # One center's totals are its own column, not computed a second time: both must be there.
    for key in (TOTAL, center_id):
        assert {s.stage.value: s.reached for s in own.steps(key)} == dashboard_world.FUNNEL[scope]


def test_rates(dw, cluster):
    for scope, key in _keys(dw).items():
        assert rates(cluster, key) == pytest.approx(dashboard_world.RATES[scope]), scope


def test_funnel_and_median_days(dw, cluster):
    for scope, key in _keys(dw).items():
        steps = cluster.steps(key)
        assert {s.stage.value: s.reached for s in steps} == dashboard_world.FUNNEL[scope]
        assert cluster.median[key] == dashboard_world.MEDIAN[scope]
    a = cluster.steps(dw.A.center.id)
    assert a[0].conversion is None
    assert a[5].conversion == pytest.approx(3 / 2)  # voucher 2 -> scheduled 3 (p3 started earlier)
    assert a[6].conversion == pytest.approx(2 / 3)


def test_certifications_by_provider_and_level(dw, cluster):
    for scope, key in _keys(dw).items():
        providers = {s.label: s.counts[key] for s in cluster.breakdown["provider"]
                     if key in s.counts}
        levels = {s.key: s.counts[key] for s in cluster.breakdown["level"] if key in s.counts}
        assert providers == dashboard_world.PROVIDERS[scope]
        assert levels == dashboard_world.LEVELS[scope]


@pytest.mark.parametrize("scope", ["A", "B", "total"])
def test_twelve_month_trend_ends_with_the_periods_last_month(dw, scope):
    center_ids = None if scope == "total" else [_keys(dw)[scope]]
    months = dashboard_aggregates(center_ids, P, TODAY).trend
    assert [m.start for m in months][0] == date(2025, 4, 1)
    assert months[-1].end == date(2026, 3, 31) and len(months) == 12
    got = {m.start.strftime("%Y-%m"): (m.certifications, m.completions) for m in months
           if m.certifications or m.completions}
    assert got == dashboard_world.TREND[scope]


def test_mentor_activity(dw, cluster):
    names = {dw.A.center.id: "A", dw.B.center.id: "B"}
    got = {"A": {}, "B": {}}
    for row in cluster.mentors:
        got[names[row.center_id]][row.name] = (row.progress, row.sessions, row.stages)
    assert got == dashboard_world.MENTORS


def _ask(dw, scope, **filters):
    center_ids = None if scope == "total" else [_keys(dw)[scope]]
    return Ask(P, center_ids, TODAY, **filters)


@pytest.mark.parametrize("scope", ["A", "B", "total"])
def test_every_drill_down_lists_what_its_number_counts(dw, scope):
    people = {"active", "at_risk", "inactive", "low_attendance"}
    for name, expected in dashboard_world.EXPECTED.items():
        if name in ("attended", "marked"):
            continue
        rows = list(drilldown.all_rows(DRILLS[name], _ask(dw, scope)))
        count = len({row.student_id for row in rows}) if name in people else len(rows)
        assert count == expected[scope], (name, scope)
        page = drilldown.page_of(DRILLS[name], _ask(dw, scope), 1, 50)
        assert page.total == len(rows) and len(page.rows) == len(rows), name
    rows = list(drilldown.all_rows(DRILLS["attendance"], _ask(dw, scope)))
    assert sum(r.attended for r in rows) == dashboard_world.EXPECTED["attended"][scope]
    assert sum(r.counted for r in rows) == dashboard_world.EXPECTED["marked"][scope]
    for stage, expected in dashboard_world.FUNNEL[scope].items():
        rows = list(drilldown.all_rows(DRILLS["stage"], _ask(dw, scope, stage=Stage(stage))))
        assert len(rows) == expected, stage
    median = list(drilldown.all_rows(DRILLS["median"], _ask(dw, scope)))
    assert len(median) == dashboard_world.FUNNEL[scope]["passed"]


def test_drill_downs_of_mentors_and_providers(dw):
    mentor = dw.A.mentor.id
    for name, expected in (("mentor_progress", 3), ("mentor_sessions", 2), ("mentor_stages", 18)):
        assert len(list(drilldown.all_rows(DRILLS[name], _ask(dw, "A", mentor=mentor)))) == expected
    aws = dw.aws.provider_id
    rows = list(drilldown.all_rows(DRILLS["passed"], _ask(dw, "total", provider=aws)))
    assert [r.student for r in rows] == ["Student 1"]


# --- pages ------------------------------------------------------------------------------------

RANGE = "preset=range&start=2026-01-01&end=2026-03-31"


class Tables(HTMLParser):
    """The text of every table cell on a page, by table id."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.current = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self.current is not None:
            self.row = []
            self.current.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables_of(html: str) -> dict:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def parse_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_head_dashboard_shows_the_figures_and_every_table_downloads_as_on_screen(dw, client, login):
    english(dw.A.head)
    login(dw.A.head)
    response = client.get(f"/dashboard/centers/{dw.A.center.id}?{RANGE}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    screen = tables_of(html)
    figures = {row[0]: row[1] for row in screen["table-figures"][1:]}
    assert figures["Active students"] == "5" and figures["Completion rate"] == "50 %"
    assert figures["Pass rate"] == "67 %" and figures["Attendance rate"] == "73 %"
    assert figures["Median days from preparing to passed"] == "71"
    for name in ("figures", "providers", "levels", "funnel", "vouchers", "trend", "mentors"):
        download = client.get(f"/dashboard/centers/{dw.A.center.id}/csv/{name}?{RANGE}",
                              buffered=True)
        assert download.status_code == 200
        assert parse_csv(download) == screen[f"table-{name}"], name
    assert "style=" not in html and "<script>" not in html


def test_a_number_leads_to_its_people_and_their_csv(dw, client, login):
    english(dw.A.head)
    login(dw.A.head)
    url = f"/dashboard/centers/{dw.A.center.id}/people/active?{RANGE}"
    assert url.replace("?", "?").split("?")[0] in client.get(
        f"/dashboard/centers/{dw.A.center.id}?{RANGE}").get_data(as_text=True)
    page = client.get(url)
    assert page.status_code == 200
    rows = tables_of(page.get_data(as_text=True))["people"]
    names = [row[0] for row in rows[1:]]
    assert names == ["Student 1", "Student 2", "Student 4", "Student 5", "Student 6"]
    download = client.get(f"/dashboard/centers/{dw.A.center.id}/people/active/csv?{RANGE}",
                          buffered=True)
    assert parse_csv(download) == rows


class _DrillLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/dashboard/") and "/people/" in href:
            self.hrefs.append(href)


@pytest.mark.parametrize("scope", ["center", "cluster"])
def test_every_linked_number_opens_its_list(dw, client, login, scope):
    """Each number's link (built from one route per scope and the cell's query string) opens
    its list, for its period (the page's, or a trend month's); the list of active students is
    the one url_for names."""
    user, page = ((dw.A.head, f"/dashboard/centers/{dw.A.center.id}") if scope == "center"
                  else (dw.admin, "/dashboard/cluster"))
    login(user)
    parser = _DrillLinks()
    parser.feed(client.get(f"{page}?{RANGE}").get_data(as_text=True))
    links = set(parser.hrefs)
    assert len(links) > 40
    for href in links:
        assert "preset=range&start=" in href and "&end=" in href, href
        assert client.get(href).status_code == 200, href
    with client.application.test_request_context():
        args = {"preset": "range", "start": "2026-01-01", "end": "2026-03-31"}
        active = (url_for("dashboard.center_people", center_id=dw.A.center.id, figure="active",
                          **args) if scope == "center"
                  else url_for("dashboard.cluster_people", figure="active", **args))
    assert active in links


def test_cluster_dashboard_counts_a_person_once_in_the_total(dw, client, login):
    english(dw.admin)
    login(dw.admin)
    response = client.get(f"/dashboard/cluster?{RANGE}")
    assert response.status_code == 200
    figures = tables_of(response.get_data(as_text=True))["table-figures"]
    assert figures[0] == ["Figure", "Alpha", "Beta", "Cluster total"]
    assert ["Active students", "5", "2", "6"] in figures
    download = parse_csv(client.get(f"/dashboard/cluster/csv/figures?{RANGE}", buffered=True))
    assert download == figures
    people = client.get(f"/dashboard/cluster/people/active/csv?{RANGE}", buffered=True)
    assert len(parse_csv(people)) == 1 + 6


def test_scope_heads_see_only_their_center_and_never_the_cluster(dw, client, login):
    login(dw.A.head)
    assert client.get(f"/dashboard/cluster?{RANGE}").status_code == 403
    assert client.get(f"/dashboard/cluster/people/active?{RANGE}").status_code == 403
    assert client.get(f"/dashboard/centers/{dw.B.center.id}?{RANGE}").status_code == 404
    other = f"/dashboard/centers/{dw.B.center.id}/people/active?{RANGE}"
    assert client.get(other).status_code == 404
    assert client.get("/dashboard/").location.endswith(f"/dashboard/centers/{dw.A.center.id}")


def test_an_admin_opens_any_centers_dashboard(dw, client, login):
    login(dw.admin)
    for side in (dw.A, dw.B):
        assert client.get(f"/dashboard/centers/{side.center.id}?{RANGE}").status_code == 200


@pytest.mark.parametrize("query,status", [
    ("preset=range&start=2026-03-31&end=2026-01-01", 422),
    ("preset=range&start=2026-01-01", 422),
    ("preset=decade", 422),
])
def test_a_bad_period_is_explained(dw, client, login, query, status):
    login(dw.A.head)
    assert client.get(f"/dashboard/centers/{dw.A.center.id}?{query}").status_code == status


@pytest.mark.parametrize("path,status", [
    ("people/nothing", 404), ("csv/nothing", 404), ("people/stage", 400),
    ("people/stage?stage=withdrawn", 400), ("people/passed?level=master", 400),
    ("people/mentor_progress?mentor=abc", 400), ("people/active?preset=range&start=x", 400),
])
def test_bad_drill_down_arguments_are_refused(dw, client, login, path, status):
    login(dw.A.head)
    joiner = "&" if "?" in path else "?"
    query = "" if "preset" in path else f"{joiner}{RANGE}"
    assert client.get(f"/dashboard/centers/{dw.A.center.id}/{path}{query}").status_code == status


@pytest.mark.parametrize("locale", ["uk", "en"])
def test_pages_render_in_both_languages(dw, client, login, locale):
    dw.admin.locale = locale
    db.session.commit()
    login(dw.admin)
    page = client.get(f"/dashboard/cluster?{RANGE}").get_data(as_text=True)
    assert f'lang="{locale}"' in page
    # Stage names are translated already; the dashboard's own strings get their Ukrainian later.
    assert ("Цікавиться" if locale == "uk" else "Interested") in page
    drill = client.get(f"/dashboard/cluster/people/stage?stage=passed&{RANGE}")
    assert drill.status_code == 200


def test_statement_counts_are_bounded_and_do_not_grow_with_data(dw, login, page_statements):
    urls = [f"/dashboard/centers/{dw.A.center.id}?{RANGE}", f"/dashboard/cluster?{RANGE}",
            f"/dashboard/centers/{dw.A.center.id}/people/passed?{RANGE}",
            f"/dashboard/cluster/people/at_risk?{RANGE}"]
    login(dw.admin)
    small = [page_statements(url) for url in urls]
    dashboard_world.add_more(dw)
    login(dw.admin)
    large = [page_statements(url) for url in urls]
    assert small == large, (small, large)
    # sign-in user + the center(s) + the six aggregate statements of dashboard_aggregates()
    assert small[0] <= 8 and small[1] <= 8, small


@pytest.mark.parametrize("later,earlier,days", [
    ("2024-03-01 08:00:00", "2024-02-28 23:59:00", 2),  # through a leap day
    ("2025-03-01 00:00:00", "2025-02-28 23:59:00", 1),
    ("2026-01-01 00:30:00", "2025-12-31 23:30:00", 1),  # a year boundary, an hour apart
    ("2026-03-10 10:00:00", "2026-01-02 10:00:00", 67),
    ("2026-01-02 09:00:00", "2026-01-02 18:00:00", 0),
])
def test_days_between_counts_calendar_days_on_both_databases(later, earlier, days):
    value = db.session.scalar(sa.select(days_between(
        sa.literal(datetime.fromisoformat(later), sa.DateTime),
        sa.literal(datetime.fromisoformat(earlier), sa.DateTime))))
    assert value == days


def test_drill_down_pages_and_charts_have_their_tables(dw, app, client, login):
    english(dw.admin)
    login(dw.admin)
    per_page = app.config["PER_PAGE"]
    app.config["PER_PAGE"] = 4
    try:
        first = client.get(f"/dashboard/cluster/people/active?{RANGE}").get_data(as_text=True)
        second = client.get(f"/dashboard/cluster/people/active?{RANGE}&page=2")
    finally:
        app.config["PER_PAGE"] = per_page
    names = [row[0] for row in tables_of(first)["people"][1:]]
    more = [row[0] for row in tables_of(second.get_data(as_text=True))["people"][1:]]
    assert names + more == [f"Student {n}" for n in (1, 2, 4, 5, 6, 7)]
    page = client.get(f"/dashboard/cluster?{RANGE}").get_data(as_text=True)
    assert page.count("<svg class=\"chart\"") == 4 and 'role="img"' in page
    assert "<details>" in page and 'id="table-trend"' in page and 'id="table-funnel"' in page


def test_the_heads_landing_page_links_to_the_dashboard(dw, client, login):
    login(dw.A.head)
    page = client.get("/center").get_data(as_text=True)
    assert f"/dashboard/centers/{dw.A.center.id}" in page


def test_a_list_shows_dates_as_the_reader_writes_them_and_its_csv_keeps_iso(dw, client, login):
    english(dw.A.head)
    login(dw.A.head)
    base = f"/dashboard/centers/{dw.A.center.id}/people/passed"
    rows = tables_of(client.get(f"{base}?{RANGE}").get_data(as_text=True))["people"]
    download = parse_csv(client.get(f"{base}/csv?{RANGE}", buffered=True))
    shown = sorted(row[-1] for row in rows[1:])
    written = sorted(row[-1] for row in download[1:])
    assert len(written) == 2 and all(re.fullmatch(r"\d{4}-\d\d-\d\d", day) for day in written)
    assert [datetime.strptime(day, "%b %d, %Y").date().isoformat() for day in shown] == written


def _svg_texts(html: str, chart_id: str) -> list[str]:
    svg = html[html.index(f'aria-labelledby="{chart_id}-title"'):]
    svg = svg[:svg.index("</svg>")]
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("locale, months, words", [
    ("uk", ["квіт", "трав", "груд", "січ", "бер"],
     ("квітень 2025 – березень 2026", "Отримані сертифікації", "Завершення курсів")),
    ("en", ["Apr", "May", "Dec", "Jan", "Mar"],
     ("April 2025 – March 2026", "Certifications earned", "Course completions")),
])
def test_the_trend_is_two_charts_with_axes_values_and_month_names(dw, client, login, locale,
                                                                   months, words):
    """Cluster total (tests/dashboard_world.TREND): certifications 1 in Dec, Jan, Mar;
    completions 2 in Mar. Each chart has its own axis: 0–1 and 0–2."""
    dw.admin.locale = locale
    db.session.commit()
    login(dw.admin)
    html = client.get(f"/dashboard/cluster?{RANGE}").get_data(as_text=True)
    period, certified, completed = words
    assert period in html and certified in html and completed in html
    first, second = _svg_texts(html, "chart-trend-1"), _svg_texts(html, "chart-trend-2")
    for texts in (first, second):
        assert all(month in texts for month in months)
        assert "2025" in texts and "2026" in texts  # the year under April and under January
    # ticks 0 1 | values, one per month: 0 … 1 (Dec), 1 (Jan), 0, 1 (Mar)
    assert first[:2] == ["0", "1"]
    assert [t for t in first[2:] if t.isdigit() and len(t) < 4] == (
        ["0"] * 8 + ["1", "1", "0", "1"])
    assert second[:3] == ["0", "1", "2"]
    assert [t for t in second[3:] if t.isdigit() and len(t) < 4] == ["0"] * 11 + ["2"]
    assert f'<title id="chart-trend-1-title">{certified}, {period}</title>' in html
    trend = tables_of(html)["table-trend"]
    assert trend[-1][1:] == ["1", "2"] and period.split(" – ")[1] in trend[-1][0]


def test_key_figures_are_cards_that_lead_to_their_people(dw, client, login):
    english(dw.A.head)
    login(dw.A.head)
    html = client.get(f"/dashboard/centers/{dw.A.center.id}?{RANGE}").get_data(as_text=True)
    assert 'href="/static/css/dashboard.css' in html
    cards = re.findall(r'<a class="figure-card" href="([^"]+)">\s*<span class="figure-card__label">'
                       r'([^<]+)</span>\s*<span class="figure-card__value">([^<]+)</span>', html)
    assert len(cards) == 8
    found = {label: (href, value) for href, label, value in cards}
    href, value = found["Active students"]
    assert value == "5" and f"/dashboard/centers/{dw.A.center.id}/people/active?" in href
    assert found["Completion rate"][1] == "50 %" and found["Pass rate"][1] == "67 %"
    assert client.get(href.replace("&amp;", "&")).status_code == 200
