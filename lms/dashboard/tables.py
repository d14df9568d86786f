"""The dashboard's tables, built once from the aggregates for the page and for its CSV downloads,
so a download always equals the screen. A column is a scope: one center, or (on the cluster
page) every center side by side and the cluster total; each cell knows the drill-down behind it."""
from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _

from lms.dashboard.figures import TOTAL, VOUCHER_STATES, Aggregates, rates
from lms.reports.funnel import FUNNEL, steps
from lms.reports.period import Period


@dataclass
class Cell:
    value: object  # int, float share (kind "percent"), float days, text or None
    kind: str = "number"
    figure: str | None = None  # the drill-down listing what the number counts
    key: object = TOTAL  # the scope the drill-down covers: a center id, or TOTAL
    params: dict = field(default_factory=dict)
    period: Period | None = None  # another period than the page's (a trend month)

    @property
    def text(self) -> str:
        """The cell as the screen and the CSV show it."""
        if self.value is None:
            return "—"
        if self.kind == "percent":
            return f"{round(100 * self.value)} %"
        if self.kind == "days":
            return f"{self.value:g}"
        return str(self.value)


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]  # the first names the row labels
    rows: list[Row]


def _scope_row(label: str, keys: list, make) -> Row:
    return Row(label, [make(key) for key in keys])


def figures_table(agg: Aggregates, keys: list, headers: list[str]) -> Table:
    """The headline figures with the rates, one column per scope key."""
    def count(name, figure=None):
        return lambda key: Cell(agg.value(name, key), figure=figure or name, key=key)

    def share(rate, figure):
        return lambda key: Cell(rates(agg, key)[rate], "percent", figure, key)

    lines = [
        (_("Active students"), count("active")), (_("New enrollments"), count("new_enrollments")),
        (_("Course completions"), count("completions")),
        (_("Enrollments ended (completed or withdrawn)"), count("ended")),
        (_("Completion rate"), share("completion", "completions")),
        (_("Attendance marks: present or late"), count("attended", "attendance")),
        (_("Attendance marks counted (excused absences left out)"),
         count("marked", "attendance")),
        (_("Attendance rate"), share("attendance", "attendance")),
        (_("Exams passed"), count("passed")), (_("Exams failed"), count("failed")),
        (_("Pass rate"), share("pass", "passed")),
        (_("Median days from preparing to passed"),
         lambda key: Cell(agg.median.get(key), "days", "median", key)),
        (_("Students at risk now"), count("at_risk")),
        (_("… no activity for 14 days"), count("inactive")),
        (_("… attendance under %(percent)d %% over the last %(sessions)d sessions",
           percent=70, sessions=8), count("low_attendance")),
    ]
    return Table("figures", _("Figures"), [_("Figure"), *headers],
                 [_scope_row(label, keys, make) for label, make in lines])


def breakdown_table(agg: Aggregates, dim: str, keys: list, headers: list[str]) -> Table:
    """Certifications earned by provider or by level."""
    title = _("Certifications earned by provider") if dim == "provider" else _(
        "Certifications earned by level")
    first = _("Provider") if dim == "provider" else _("Level")
    rows = [Row(share.label, [Cell(share.counts.get(key, 0), figure="passed", key=key,
                                   params={dim: share.key}) for key in keys])
            for share in agg.breakdown[dim]]
    return Table(dim + "s", title, [first, *headers], rows)


def funnel_table(agg: Aggregates, keys: list, headers: list[str]) -> Table:
    """Pursuits that reached each stage, then the conversion between consecutive stages."""
    per_key = {key: steps(agg.funnel.get(key, {})) for key in keys}
    rows = [Row(str(stage.label), [Cell(per_key[key][i].reached, figure="stage", key=key,
                                        params={"stage": stage.value}) for key in keys])
            for i, stage in enumerate(FUNNEL)]
    for i in range(1, len(FUNNEL)):
        label = f"{FUNNEL[i - 1].label} → {FUNNEL[i].label}"
        rows.append(Row(label, [Cell(per_key[key][i].conversion, "percent", "stage", key,
                                     {"stage": FUNNEL[i].value}) for key in keys]))
    return Table("funnel", _("Certification funnel"), [_("Stage"), *headers], rows)


def voucher_table(agg: Aggregates, keys: list, headers: list[str]) -> Table:
    labels = {"available": _("Available"), "assigned": _("Assigned"), "used": _("Used"),
              "expired": _("Expired"), "revoked": _("Revoked"),
              "expiring": _("Expiring within 30 days")}
    rows = [_scope_row(labels[state], keys,
                       lambda key, state=state: Cell(agg.value(state, key), figure=state, key=key))
            for state in (*VOUCHER_STATES, "expiring")]
    return Table("vouchers", _("Vouchers today"), [_("Vouchers"), *headers], rows)


def trend_table(agg: Aggregates, key) -> Table:
    """The 12 months of the trend chart with both series (the chart's data table)."""
    rows = [Row(format_date(month.start, "LLLL y"), [
        Cell(month.certifications, figure="passed", key=key, period=month.period),
        Cell(month.completions, figure="completions", key=key, period=month.period)])
        for month in agg.trend]
    return Table("trend", _("Certifications and completions, last 12 months"),
                 [_("Month"), _("Certifications earned"), _("Course completions")], rows)


def mentor_table(agg: Aggregates, center_names: dict) -> Table:
    """Each mentor's or head's recorded work in the period."""
    rows = []
    for mentor in agg.mentors:
        key, params = mentor.center_id, {"mentor": mentor.id}
        rows.append(Row(mentor.name, [
            Cell(center_names.get(mentor.center_id, ""), "text"),
            Cell(str(mentor.role.label) + ("" if mentor.is_active else " · " + _("deactivated")),
                 "text"),
            Cell(mentor.progress, figure="mentor_progress", key=key, params=params),
            Cell(mentor.sessions, figure="mentor_sessions", key=key, params=params),
            Cell(mentor.stages, figure="mentor_stages", key=key, params=params)]))
    return Table("mentors", _("Mentor activity"), [
        _("Name"), _("Center"), _("Role"), _("Progress cells set"),
        _("Attendance sessions marked"), _("Stage changes recorded")], rows)


def all_tables(agg: Aggregates, keys: list, headers: list[str], center_names: dict,
               trend_key) -> dict[str, Table]:
    """Every table of a dashboard page, by name (the CSV download's name too)."""
    tables = [figures_table(agg, keys, headers), breakdown_table(agg, "provider", keys, headers),
              breakdown_table(agg, "level", keys, headers), funnel_table(agg, keys, headers),
              voucher_table(agg, keys, headers), trend_table(agg, trend_key),
              mentor_table(agg, center_names)]
    return {table.name: table for table in tables}



def headline_cards(agg: Aggregates, key) -> list[tuple[str, Cell]]:
    """The few numbers at the top of a dashboard, each linking to its list."""
    share = rates(agg, key)
    return [
        (_("Active students"), Cell(agg.value("active", key), figure="active", key=key)),
        (_("New enrollments"), Cell(agg.value("new_enrollments", key), figure="new_enrollments",
                                    key=key)),
        (_("Course completions"), Cell(agg.value("completions", key), figure="completions",
                                       key=key)),
        (_("Completion rate"), Cell(share["completion"], "percent", "completions", key)),
        (_("Attendance rate"), Cell(share["attendance"], "percent", "attendance", key)),
        (_("Certifications earned"), Cell(agg.value("passed", key), figure="passed", key=key)),
        (_("Pass rate"), Cell(share["pass"], "percent", "passed", key)),
        (_("Students at risk now"), Cell(agg.value("at_risk", key), figure="at_risk", key=key)),
    ]
