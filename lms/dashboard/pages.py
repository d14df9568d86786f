"""What the dashboard pages show: the scope's columns, the period, the tables and the charts."""
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import abort, g, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from lms.catalog.models import CertificationLevel
from lms.centers.models import Center
from lms.certifications.models import Stage
from lms.core.formats import local_number
from lms.core.views import arg_choice, arg_int
from lms.dashboard import charts
from lms.dashboard.drilldown import DRILLS, Ask, Drill
from lms.dashboard.figures import TOTAL, center_list, dashboard_aggregates
from lms.dashboard.tables import Cell, Table, all_tables, headline_cards
from lms.reports.funnel import FUNNEL
from lms.reports.period import Period, PeriodForm
from lms.reports.trend import CERTIFICATIONS, COMPLETIONS, Month


@dataclass
class Scope:
    """The centers a page covers and its table columns (a center id each, TOTAL for the sum)."""
    center_ids: list[int] | None
    keys: list
    headers: list[str]
    centers: list[Center]
    chart_key: object  # the column the charts draw

    @property
    def center_names(self) -> dict[int, str]:
        return {center.id: center.name for center in self.centers}


def center_scope(center: Center) -> Scope:
    return Scope([center.id], [center.id], [center.name], [center], center.id)


def cluster_scope() -> Scope:
    """Every center side by side, then the cluster total (where a person counts once)."""
    centers = center_list(None)
    return Scope(None, [c.id for c in centers] + [TOTAL],
                 [c.name for c in centers] + [_("Cluster total")], centers, TOTAL)


def read_period(args: MultiDict, today: date) -> tuple[PeriodForm, Period | None]:
    """The period form filled from the query string, and its period when valid."""
    form = PeriodForm(formdata=args if args else None)
    return form, (form.period(today) if form.validate() else None)


def period_or_400(args: MultiDict, today: date) -> Period:
    """For drill-downs and downloads, whose links carry a valid period: anything else is a 400."""
    _form, period = read_period(args, today)
    if period is None:
        abort(400)
    return period


def dashboard_page(scope: Scope, period: Period, today: date) -> dict:
    """Aggregates, tables and charts of one dashboard page."""
    aggregates = dashboard_aggregates(scope.center_ids, period, today)
    tables = all_tables(aggregates, scope.keys, scope.headers, scope.center_names, scope.chart_key)
    return {"agg": aggregates, "tables": tables, "charts": _charts(aggregates, scope.chart_key),
            "trend_period": trend_period(aggregates.trend),
            "key": scope.chart_key, "cards": headline_cards(aggregates, scope.chart_key)}


def _charts(agg, key) -> dict:
    """The trend as small multiples (one chart, one scale per quantity), the funnel, providers."""
    funnel_rows = [(str(step.stage.label), step.reached) for step in agg.steps(key)]
    providers = [(share.label, share.counts.get(key, 0)) for share in agg.breakdown["provider"]]
    return {"trend": trend_charts(agg.trend),
            "funnel": charts.bar_chart(funnel_rows, title=_("Certification funnel"),
                                       number=local_number),
            "providers": charts.bar_chart(providers, "chart-bar-b",
                                          _("Certifications earned by provider"),
                                          number=local_number)}


def month_columns(months: list[Month], series: str) -> list[charts.Column]:
    """A column per month, named as the reader's language abbreviates it ("квіт"), with the year
    under the first month and under each January."""
    columns = []
    for i, month in enumerate(months):
        value = getattr(month, series)
        note = str(month.start.year) if i == 0 or month.start.month == 1 else ""
        # "квіт." without its full stop: twelve names side by side fit a 360 px screen.
        columns.append(charts.Column(format_date(month.start, "LLL").rstrip("."), value,
                                     f"{month_name(month.start)}: {local_number(value)}", note))
    return columns


def month_name(day: date) -> str:
    """The month and year in words: "квітень 2025", "April 2025"."""
    return format_date(day, "LLLL y")


def trend_period(months: list[Month]) -> str:
    """The trend's months in words: "квітень 2025 – березень 2026"."""
    return f"{month_name(months[0].start)} – {month_name(months[-1].start)}" if months else ""


def trend_charts(months: list[Month]) -> list[charts.Chart]:
    """Certifications earned and course completions, each on its own scale."""
    return [charts.column_chart(month_columns(months, series), css, title, local_number)
            for series, css, title in (
                (CERTIFICATIONS, "chart-bar-a", _("Certifications earned")),
                (COMPLETIONS, "chart-bar-b", _("Course completions")))]


def table_or_404(page: dict, name: str) -> Table:
    table = page["tables"].get(name)
    if table is None:
        abort(404)
    return table


def drill_or_404(figure: str) -> Drill:
    drill = DRILLS.get(figure)
    if drill is None:
        abort(404)
    return drill


def ask_from_args(drill: Drill, period: Period, center_ids, today: date) -> Ask:
    """The drill-down's filters from the query string; bad or missing ones are a 400."""
    stage = arg_choice("stage", Stage)
    ask = Ask(period, center_ids, today, provider=arg_int("provider"),
              level=arg_choice("level", CertificationLevel), stage=stage, mentor=arg_int("mentor"))
    if stage is not None and stage not in FUNNEL:
        abort(400)
    if any(getattr(ask, name) is None for name in drill.needs):
        abort(400)
    return ask


def filter_args(ask: Ask) -> dict:
    """The query-string arguments that reproduce a drill-down's filters."""
    values = {"provider": ask.provider, "level": ask.level, "stage": ask.stage,
              "mentor": ask.mentor}
    return {name: str(value) for name, value in values.items() if value is not None}


FIGURE_SLOT = "__figure__"  # stands for the figure in a scope's route, filled in per cell


def drill_url(cell: Cell, period: Period) -> str | None:
    """Where a dashboard number leads: the list behind it, for its scope and period."""
    if cell.figure is None:
        return None
    args = {name: value for name, value in {**(cell.period or period).as_args(),
                                            **cell.params}.items() if value is not None}
    query = urlencode(args, doseq=True)  # as url_for would: no None, a list repeats its name
    return f"{_people_route(cell.key).replace(FIGURE_SLOT, cell.figure)}?{query}"


def _people_route(key) -> str:
    """The drill-down route of a scope key, built once per request (a dashboard has a few
    hundred linked numbers, and building each link's route was a tenth of the page's time)."""
    routes = g.setdefault("drill_routes", {})
    if key not in routes:
        routes[key] = (url_for("dashboard.cluster_people", figure=FIGURE_SLOT) if key is TOTAL
                       else url_for("dashboard.center_people", center_id=key, figure=FIGURE_SLOT))
    return routes[key]
