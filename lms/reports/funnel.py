"""The certification funnel: how many pursuits reached each stage in a period, the conversion
between consecutive stages and the median days from first reaching preparing to passed.

Everything comes from the stage history (`pursuit_stage_changes`): a pursuit counts once per stage
it reached in P, however often it reached it (a retake passes "preparing" twice). A pursuit counts
as having reached "passed" only while its credential counts (verified, not invalidated).
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from lms.certifications.models import Pursuit, PursuitStageChange, Stage
from lms.core.extensions import db
from lms.reports.facts import CenterIds, counted_credential, in_centers, one_center
from lms.reports.period import Period
from lms.reports.statements import built_once

FUNNEL = (Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER,
          Stage.SCHEDULED, Stage.PASSED)


class days_between(FunctionElement):  # noqa: N801 (a SQL function, named like one)
    """Whole calendar days from the date of timestamp `earlier` to that of `later`."""
    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)"


def stages_reached(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """One row per (pursuit, funnel stage) reached in P, with when it was first reached in P."""
    change = PursuitStageChange
    return (
        sa.select(change.pursuit_id, Pursuit.student_id, Pursuit.center_id,
                  Pursuit.certification_id, change.to_stage.label("stage"),
                  sa.func.min(change.created_at).label("reached_at"))
        .join(Pursuit, Pursuit.id == change.pursuit_id)
        .where(change.created_at >= period.start_at, change.created_at < period.end_at,
               change.to_stage.in_(FUNNEL),
               sa.or_(change.to_stage != Stage.PASSED, counted_credential()),
               in_centers(change.center_id, center_ids))
        .group_by(change.pursuit_id, Pursuit.student_id, Pursuit.center_id,
                  Pursuit.certification_id, change.to_stage)
    )


def preparation_to_pass(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Pursuits that reached passed in P with the days since they first reached preparing.

    Both ends are single rows thanks to previous_reach_at: the pursuit's first reach of passed
    in P, and its first "preparing" ever (none before it), joined through the history's
    (pursuit_id, created_at) index; a pursuit that never prepared is left out."""
    change, prepared = PursuitStageChange, aliased(PursuitStageChange)
    return (
        sa.select(change.pursuit_id, Pursuit.student_id, change.center_id,
                  Pursuit.certification_id, prepared.created_at.label("prepared_at"),
                  change.created_at.label("passed_at"),
                  days_between(change.created_at, prepared.created_at).label("days"))
        .join(Pursuit, Pursuit.id == change.pursuit_id)
        .join(prepared, sa.and_(prepared.pursuit_id == change.pursuit_id,
                                prepared.to_stage == Stage.PREPARING,
                                prepared.previous_reach_at.is_(None)))
        .where(change.to_stage == Stage.PASSED, counted_credential(),
               change.created_at >= period.start_at, change.created_at < period.end_at,
               sa.or_(change.previous_reach_at.is_(None),
                      change.previous_reach_at < period.start_at),
               in_centers(change.center_id, center_ids),
               # the same centers, said of the pursuit too: its (center, stage) index
               in_centers(Pursuit.center_id, center_ids))
    )


def median_days(period: Period, center_ids: CenterIds = None) -> dict[int | None, float]:
    """Median days from preparing to passed per center and for all (key None), in one statement.

    Portable median: rank the values with window functions and average the one or two middle
    rows (positions (n+1)/2 and (n+2)/2 in integer division), which both databases support.
    One center's overall median is its own (not computed twice)."""
    medians = {key: float(value)
               for key, value in db.session.execute(_median_statement(period, center_ids))}
    single = one_center(center_ids)
    if single is not None and single in medians:
        medians[None] = medians[single]
    return medians


@built_once
def _median_statement(period: Period, center_ids: CenterIds) -> sa.Select:
    durations = preparation_to_pass(period, center_ids).cte("durations")  # computed once
    per_center = sa.select(durations.c.center_id.label("k"), durations.c.days)
    overall = sa.select(sa.cast(sa.null(), sa.Integer).label("k"), durations.c.days)
    keyed = (per_center if one_center(center_ids) is not None
             else sa.union_all(per_center, overall)).subquery()
    ranked = sa.select(
        keyed.c.k, keyed.c.days,
        sa.func.row_number().over(partition_by=keyed.c.k, order_by=keyed.c.days).label("rn"),
        sa.func.count().over(partition_by=keyed.c.k).label("n")).subquery()
    middle = sa.or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    return (sa.select(ranked.c.k, sa.func.avg(sa.cast(ranked.c.days, sa.Float)))
            .where(middle).group_by(ranked.c.k))


@dataclass
class FunnelStep:
    stage: Stage
    reached: int
    conversion: float | None  # share of the previous stage's count; None for the first or 0


def first_reaches(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """(center_id, stage, pursuit_id) once per stage a pursuit reached in P: the rows of
    stages_reached() without their details. A change is its pursuit's first reach of the stage
    in P when the pursuit had not reached it since P began (previous_reach_at), so no DISTINCT
    over the period's history is needed; read from the history's index alone (only a "passed"
    row looks up whether its credential counts)."""
    change = PursuitStageChange
    counted = sa.select(Pursuit.id).where(counted_credential(),
                                          in_centers(Pursuit.center_id, center_ids))
    return (sa.select(change.center_id, change.to_stage.label("stage"), change.pursuit_id)
            .where(change.created_at >= period.start_at, change.created_at < period.end_at,
                   sa.or_(change.previous_reach_at.is_(None),
                          change.previous_reach_at < period.start_at),
                   change.to_stage.in_(FUNNEL),
                   sa.or_(change.to_stage != Stage.PASSED, change.pursuit_id.in_(counted)),
                   in_centers(change.center_id, center_ids)))


def stage_counts(period: Period, center_ids: CenterIds = None) -> dict[int | None, dict[str, int]]:
    """Pursuits per funnel stage, per center and in all (key None), in one statement. A pursuit
    belongs to one center, so the total of a stage is the sum of the centers' counts."""
    counts: dict[int | None, dict[str, int]] = {None: {}}
    for center_id, stage, count in db.session.execute(_stage_statement(period, center_ids)):
        counts.setdefault(center_id, {})[str(stage)] = count
        counts[None][str(stage)] = counts[None].get(str(stage), 0) + count
    return counts


@built_once
def _stage_statement(period: Period, center_ids: CenterIds) -> sa.Select:
    reached = first_reaches(period, center_ids).subquery("reached")
    return (sa.select(reached.c.center_id, reached.c.stage, sa.func.count())
            .group_by(reached.c.center_id, reached.c.stage))


def steps(counts: dict[str, int]) -> list[FunnelStep]:
    """The funnel of one scope: each stage with its conversion from the stage before."""
    result, previous = [], None
    for stage in FUNNEL:
        reached = counts.get(stage.value, 0)
        conversion = reached / previous if previous else None
        result.append(FunnelStep(stage, reached, conversion))
        previous = reached
    return result
