"""The head's and the cluster's dashboard: every figure of a period, per center and in total.

`dashboard_aggregates(center_ids, period, today)` runs exactly the aggregate statements the pages
run (six, whatever the data or the number of centers), so a benchmark can time them bare.
Per-center values are keyed by center id, the total by None: in the total a person counts once,
so the total of a people figure can be less than the sum of the centers' values.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from lms.catalog.models import CertificationLevel, Provider
from lms.centers.models import Center
from lms.core.extensions import db
from lms.reports import activity, facts, funnel, trend
from lms.reports.facts import CenterIds
from lms.reports.period import Period
from lms.reports.statements import built_once

TOTAL = None
VOUCHER_STATES = ("available", "assigned", "used", "expired", "revoked")


@dataclass(frozen=True)
class Figure:
    """One headline number: the facts it counts and how (people, rows or a column's sum)."""
    name: str
    facts: Callable[[Period, CenterIds, date], sa.Select]
    measure: str = "rows"  # "people": distinct students; "rows"; otherwise a column to sum
    only: Callable | None = None  # a condition on the facts' columns
    source: str = ""  # figures naming the same source share its facts (computed once)

    @property
    def shared(self) -> str:
        return self.source or self.name


def _voucher(state: str) -> Figure:
    return Figure(state, lambda p, c, t: activity.voucher_stock(t, c),
                  only=lambda s: s.c.state == state, source="vouchers")


def _enrollments(name: str, measure: str, only: Callable | None = None) -> Figure:
    return Figure(name, lambda p, c, t: activity.enrollment_flags(p, c), measure, only,
                  source="enrollments")


def _at_risk(_period: Period, center_ids: CenterIds, today: date) -> sa.Select:
    return activity.at_risk(today, center_ids, details=False)  # counts need no dates


FIGURES = (
    _enrollments("active", "people", lambda s: s.c.is_active == 1),
    _enrollments("new_enrollments", "is_new"),
    _enrollments("completions", "is_completed"),
    _enrollments("ended", "is_ended"),
    Figure("attended", lambda p, c, t: activity.session_tallies(p, c), "attended",
           source="marks"),
    Figure("marked", lambda p, c, t: activity.session_tallies(p, c), "counted", source="marks"),
    Figure("passed", lambda p, c, t: facts.passed_results(p, c)),
    Figure("failed", lambda p, c, t: facts.failed_results(p, c)),
    Figure("at_risk", _at_risk, "people", source="risk"),
    Figure("inactive", _at_risk, "people", lambda s: s.c.inactive == 1, "risk"),
    Figure("low_attendance", _at_risk, "people", lambda s: s.c.low == 1, "risk"),
    *(_voucher(state) for state in VOUCHER_STATES),
    Figure("expiring", lambda p, c, t: activity.voucher_stock(t, c), "expiring",
           source="vouchers"),
)
BY_NAME = {figure.name: figure for figure in FIGURES}


def _measure(figure: Figure, found):
    if figure.measure == "people":
        value = sa.func.count(sa.distinct(found.c.student_id))
    elif figure.measure == "rows":
        value = sa.func.count()
    else:
        value = sa.func.coalesce(sa.func.sum(found.c[figure.measure]), 0)
    return sa.cast(value, sa.Integer)


def _figure_selects(figure: Figure, found):
    condition = figure.only(found) if figure.only else sa.true()
    name = sa.literal_column(f"'{figure.name}'")
    value = _measure(figure, found)
    per_center = (sa.select(name, found.c.center_id, value).where(condition)
                  .group_by(found.c.center_id))
    overall = (sa.select(name, sa.cast(sa.null(), sa.Integer), value).select_from(found)
               .where(condition))
    return per_center, overall


def headline(period: Period, center_ids: CenterIds, today: date) -> dict[str, dict]:
    """Every headline figure per center and in total, in one UNION ALL statement; each set of
    facts is a CTE, so the figures sharing it (and the per-center and total rows) read it once.
    Each fact row belongs to one center, so a total is the sum of the centers' values, except
    for people: a person active in two centers counts once in the total (its own select)."""
    values: dict[str, dict] = {figure.name: {} for figure in FIGURES}
    for name, center_id, value in db.session.execute(
            _headline_statement(period, center_ids, today)):
        values[name][center_id] = value
    for figure in FIGURES:
        per_center = values[figure.name]
        if TOTAL not in per_center:
            per_center[TOTAL] = sum(per_center.values())
    return values


@built_once
def _headline_statement(period: Period, center_ids: CenterIds, today: date):
    sources: dict[str, sa.CTE] = {}
    for figure in FIGURES:
        if figure.shared not in sources:
            facts_select = figure.facts(period, center_ids, today)
            sources[figure.shared] = facts_select.cte(f"facts_{figure.shared}")
    single = facts.one_center(center_ids)
    selects = []
    for figure in FIGURES:
        per_center, overall = _figure_selects(figure, sources[figure.shared])
        people_total = figure.measure == "people" and not single
        selects += [per_center, overall] if people_total else [per_center]
    return sa.union_all(*selects)


@dataclass
class Share:
    """Rows of a breakdown (provider or level): key, label and count per scope key."""
    key: str
    label: str
    counts: dict = field(default_factory=dict)


def certification_breakdown(period: Period, center_ids: CenterIds) -> dict[str, list[Share]]:
    """Certifications earned in P by provider and by level, per center and in total (the sum
    of the centers': each result belongs to one center)."""
    shares: dict[str, dict[str, Share]] = {dim: {} for dim in BREAKDOWN_DIMENSIONS}
    for dim, center_id, key, label, count in db.session.execute(
            _breakdown_statement(period, center_ids)):
        if dim == "level":
            label = str(CertificationLevel(key).label)
        counts = shares[dim].setdefault(key, Share(key, label)).counts
        counts[center_id] = count
        counts[TOTAL] = counts.get(TOTAL, 0) + count
    return {dim: _ordered(dim, rows) for dim, rows in shares.items()}


BREAKDOWN_DIMENSIONS = ("provider", "level")


@built_once
def _breakdown_statement(period: Period, center_ids: CenterIds) -> sa.CompoundSelect:
    passed = facts.passed_results(period, center_ids).cte("passed")  # read by both groupings
    level = sa.cast(passed.c.level, sa.String(20))
    dims = {"provider": (sa.cast(passed.c.provider_id, sa.String(20)), Provider.name),
            "level": (level, level)}
    return sa.union_all(*(
        sa.select(sa.literal_column(f"'{dim}'"), passed.c.center_id, key, label, sa.func.count())
        .join(Provider, Provider.id == passed.c.provider_id)
        .group_by(passed.c.center_id, key, label) for dim, (key, label) in dims.items()))


def _ordered(dim: str, rows: dict[str, Share]) -> list[Share]:
    if dim == "level":
        order = [level.value for level in CertificationLevel]
        return sorted(rows.values(), key=lambda share: order.index(share.key))
    return sorted(rows.values(), key=lambda share: (share.label, share.key))


@dataclass
class MentorRow:
    id: int
    name: str
    center_id: int
    role: str
    is_active: bool
    progress: int
    sessions: int
    stages: int


def mentor_activity(period: Period, center_ids: CenterIds) -> list[MentorRow]:
    """Per mentor or head: progress cells set, sessions marked and stage changes recorded in P."""
    return [MentorRow(*row)
            for row in db.session.execute(_mentor_statement(period, center_ids))]


@built_once
def _mentor_statement(period: Period, center_ids: CenterIds) -> sa.Select:
    people = activity.staff(center_ids).subquery()
    work = activity.work_done(period, center_ids).subquery()
    marked = activity.sessions_marked_per_person(period, center_ids).subquery()
    counts = (work.c.progress, marked.c.sessions, work.c.stages)
    return (sa.select(people.c.id, people.c.full_name, people.c.center_id, people.c.role,
                      people.c.is_active,
                      *(sa.cast(sa.func.coalesce(count, 0), sa.Integer) for count in counts))
            .outerjoin(work, work.c.actor_id == people.c.id)
            .outerjoin(marked, marked.c.actor_id == people.c.id)
            # A deactivated mentor stays listed for a period in which they worked.
            .where(sa.or_(people.c.is_active, work.c.actor_id.is_not(None),
                          marked.c.actor_id.is_not(None)))
            .order_by(people.c.full_name, people.c.id))


@dataclass
class Aggregates:
    """Everything the dashboard shows for a scope (a list of centers or the whole cluster)."""
    period: Period
    today: date
    center_ids: CenterIds
    figures: dict[str, dict]
    breakdown: dict[str, list[Share]]
    funnel: dict
    median: dict
    trend: list[trend.Month]
    mentors: list[MentorRow]

    def value(self, name: str, key=TOTAL) -> int:
        return self.figures[name].get(key, 0)

    def steps(self, key=TOTAL) -> list[funnel.FunnelStep]:
        return funnel.steps(self.funnel.get(key, {}))


def dashboard_aggregates(center_ids: CenterIds, period: Period, today: date) -> Aggregates:
    """Run the dashboard's aggregate statements (six) for centers `center_ids` (None: all)."""
    return Aggregates(
        period=period, today=today, center_ids=center_ids,
        figures=headline(period, center_ids, today),
        breakdown=certification_breakdown(period, center_ids),
        funnel=funnel.stage_counts(period, center_ids),
        median=funnel.median_days(period, center_ids),
        trend=trend.monthly_trend(period, center_ids),
        mentors=mentor_activity(period, center_ids),
    )


def ratio(numerator: int, denominator: int) -> float | None:
    """A share, or None ("—") when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def rates(aggregates: Aggregates, key=TOTAL) -> dict[str, float | None]:
    """Completion, pass and attendance rates of one scope key."""
    value = aggregates.value
    return {
        "completion": ratio(value("completions", key), value("ended", key)),
        "pass": ratio(value("passed", key), value("passed", key) + value("failed", key)),
        "attendance": ratio(value("attended", key), value("marked", key)),
    }


def center_list(center_ids: Sequence[int] | None) -> list[Center]:
    """The centers a scope covers, by name (one statement)."""
    query = sa.select(Center).order_by(Center.name, Center.id)
    if center_ids is not None:
        query = query.where(Center.id.in_(list(center_ids)))
    return list(db.session.scalars(query))

