"""The 12-month trend of certifications earned and course completions, ending with the month
in which the period ends. One statement: a CASE bucket per month, so no dialect's date
formatting is needed."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lms.core.extensions import db
from lms.reports.facts import CenterIds, completions, passed_results
from lms.reports.period import Period, month_end, month_starts
from lms.reports.statements import built_once

MONTHS = 12
CERTIFICATIONS, COMPLETIONS = "certifications", "completions"


@dataclass
class Month:
    start: date
    end: date
    certifications: int
    completions: int

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


def trend_months(end: date) -> list[Period]:
    """The twelve calendar months ending with the month of `end`, oldest first."""
    return [Period(start, month_end(start.year, start.month))
            for start in month_starts(end, MONTHS)]


def _buckets(series: str, facts: sa.Select, day_column: str, months: list[Period]) -> sa.Select:
    found = facts.subquery()
    day = found.c[day_column]
    sums = [sa.func.coalesce(sa.func.sum(sa.case((day.between(m.start, m.end), 1), else_=0)), 0)
            for m in months]
    return sa.select(sa.literal_column(f"'{series}'").label("series"), *sums)


@built_once
def _trend_statement(period: Period, center_ids: CenterIds) -> sa.CompoundSelect:
    months = trend_months(period.end)
    span = Period(months[0].start, months[-1].end)
    return sa.union_all(
        _buckets(CERTIFICATIONS, passed_results(span, center_ids), "result_date", months),
        _buckets(COMPLETIONS, completions(span, center_ids), "completed_on", months))


def monthly_trend(period: Period, center_ids: CenterIds = None) -> list[Month]:
    """Certifications earned (counted passed results) and completions per month."""
    months = trend_months(period.end)
    rows = {series: [int(v) for v in values]
            for series, *values in db.session.execute(_trend_statement(period, center_ids))}
    return [Month(m.start, m.end, rows[CERTIFICATIONS][i], rows[COMPLETIONS][i])
            for i, m in enumerate(months)]
