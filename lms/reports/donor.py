"""The donor report: unique individuals per indicator, disaggregated (SPEC §4).

One statement computes every cell: a UNION ALL of (student, indicator, key) facts, each person
at most once per indicator and key, joined to the person's dimension values and grouped per
dimension (plus the total). Labels for providers and centers take one statement each.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.catalog.models import CertificationLevel, Provider
from lms.core.extensions import db
from lms.core.views import parse_int
from lms.reports import facts
from lms.reports.dimensions import (
    DIMENSIONS,
    TOTAL,
    Dimension,
    center_names,
    dimension_columns,
    person_values,
    values_of,
    with_dimensions,
)
from lms.reports.period import Period
from lms.reports.statements import built_once

PARTICIPANTS, COMPLETED, SAT, CERTIFIED = "participants", "completed", "sat", "certified"
BY_PROVIDER, BY_LEVEL = "provider", "level"
BASIC = {
    PARTICIPANTS: _l("Participants"),
    COMPLETED: _l("Completed at least one course"),
    SAT: _l("Sat at least one exam"),
    CERTIFIED: _l("Obtained at least one certification"),
}
INDICATORS = (*BASIC, BY_PROVIDER, BY_LEVEL)


def _facts(student_id, indicator: str, key=None) -> tuple:
    key = sa.literal("", sa.String(40)) if key is None else sa.cast(key, sa.String(40))
    return (student_id.label("student_id"), sa.literal(indicator, sa.String(20)).label("indicator"),
            key.label("key"))


def person_indicators(period: Period, center_ids: facts.CenterIds) -> sa.CompoundSelect:
    """(student_id, indicator, key): one row per person per indicator (and provider / level)."""
    active = facts.active_enrollments(period, center_ids).subquery()
    done = facts.completions(period, center_ids).subquery()
    passed = facts.passed_results(period, center_ids).cte("passed_results")  # used four times
    failed = facts.failed_results(period, center_ids).subquery()
    return sa.union(
        sa.select(*_facts(active.c.student_id, PARTICIPANTS)),
        sa.select(*_facts(done.c.student_id, COMPLETED)),
        # Sat an exam: a result in P, passed or failed (facts.exam_results, read in two parts).
        sa.select(*_facts(passed.c.student_id, SAT)),
        sa.select(*_facts(failed.c.student_id, SAT)),
        sa.select(*_facts(passed.c.student_id, CERTIFIED)),
        sa.select(*_facts(passed.c.student_id, BY_PROVIDER, passed.c.provider_id)),
        sa.select(*_facts(passed.c.student_id, BY_LEVEL, passed.c.level)),
    )  # UNION (not ALL) keeps each person once per indicator and key


def _counts_query(period: Period, center_ids: facts.CenterIds) -> sa.CompoundSelect:
    # The age bands are configuration, so they are part of what the statement is built for.
    return _counts_statement(period, center_ids, tuple(facts.age_bands()))


@built_once
def _counts_statement(period: Period, center_ids: facts.CenterIds,
                      _age_bands: tuple) -> sa.CompoundSelect:
    found = person_indicators(period, center_ids).cte("person_indicators")
    # Each person-indicator row joined to the person's dimension values, once, in a CTE that
    # every breakdown groups. Joining the tables themselves lets the planner see one person per
    # row; joined to a CTE of people, it expected 50 times the rows and sorted both sides.
    joined = with_dimensions(
        sa.select(found.c.indicator, found.c.key, *dimension_columns(period.end)),
        found.c.student_id).cte("joined")
    parts = [sa.select(sa.literal(TOTAL, sa.String(20)).label("dimension"),
                       sa.literal("", sa.String(40)).label("value"),
                       joined.c.indicator, joined.c.key, sa.func.count().label("people"))
             .group_by(joined.c.indicator, joined.c.key)]
    for dimension in DIMENSIONS:
        value = joined.c[dimension.key]
        parts.append(sa.select(sa.literal(dimension.key, sa.String(20)), value,
                               joined.c.indicator, joined.c.key, sa.func.count())
                     .group_by(value, joined.c.indicator, joined.c.key))
    return sa.union_all(*parts)


@dataclass(frozen=True)
class Column:
    indicator: str
    key: str
    label: str


@dataclass
class Row:
    value: str
    label: str
    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    def count(self, column: Column) -> int:
        return self.cells.get((column.indicator, column.key), 0)


@dataclass
class Section:
    dimension: Dimension
    rows: list[Row]


@dataclass
class DonorReport:
    period: Period
    columns: list[Column]
    total: Row
    sections: list[Section]


def _columns(found: dict, providers: dict[int, str]) -> list[Column]:
    """The four indicators, then one column per provider and per level with certifications."""
    columns = [Column(key, "", str(label)) for key, label in BASIC.items()]
    keys = {(ind, key) for (dim, _value, ind, key) in found if dim == TOTAL}
    for provider_id, name in sorted(providers.items(), key=lambda item: item[1]):
        columns.append(Column(BY_PROVIDER, str(provider_id),
                              _("Certified: %(provider)s", provider=name)))
    for level in CertificationLevel:
        if (BY_LEVEL, level.value) in keys:
            columns.append(Column(BY_LEVEL, level.value,
                                  _("Certified: %(level)s", level=level.label)))
    return columns


def _provider_names(found: dict) -> dict[int, str]:
    ids = {int(key) for (dim, _v, ind, key) in found if dim == TOTAL and ind == BY_PROVIDER}
    if not ids:
        return {}
    query = sa.select(Provider.id, Provider.name).where(Provider.id.in_(ids))
    return dict(db.session.execute(query).tuples().all())


def donor_report(period: Period, center_ids: facts.CenterIds) -> DonorReport:
    """Every figure of the donor report for a period and centers (None: the whole cluster)."""
    found = {(dim, value, ind, key): count
             for dim, value, ind, key, count in db.session.execute(_counts_query(period, center_ids))}
    columns = _columns(found, _provider_names(found))
    homes = {int(v) for (dim, v, _i, _k) in found if dim == "home_center"}
    centers = center_names(homes | set(center_ids or ()))
    total = Row("", _("Total"), _cells(found, TOTAL, ""))
    sections = []
    for dimension in DIMENSIONS:
        seen = {v for (dim, v, _i, _k) in found if dim == dimension.key}
        rows = [Row(value, label, _cells(found, dimension.key, value))
                for value, label in values_of(dimension, seen, centers)]
        sections.append(Section(dimension, rows))
    return DonorReport(period, columns, total, sections)


def _cells(found: dict, dimension: str, value: str) -> dict[tuple[str, str], int]:
    return {(ind, key): count for (dim, v, ind, key), count in found.items()
            if dim == dimension and v == value}


def people_ids(period: Period, center_ids: facts.CenterIds, indicator: str, key: str,
               dimension: str, value: str) -> sa.Select:
    """The student ids behind one cell of the report (for the drill-down list)."""
    found = person_indicators(period, center_ids).subquery()
    query = sa.select(found.c.student_id).where(found.c.indicator == indicator,
                                                found.c.key == key)
    if dimension != TOTAL:
        people = person_values(period.end).subquery()
        query = query.join(people, people.c.student_id == found.c.student_id).where(
            people.c[dimension] == value)
    return query


def valid_cell(indicator: str, key: str) -> bool:
    """Whether a drill-down link names a real indicator (and provider id or level)."""
    if indicator in BASIC:
        return key == ""
    if indicator == BY_PROVIDER:
        return parse_int(key) is not None
    if indicator == BY_LEVEL:
        return key in {level.value for level in CertificationLevel}
    return False

