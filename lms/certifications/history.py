"""The stage history's link from each change to the same pursuit's previous reach of the same
stage, so that "pursuits that reached a stage in a period" is a count of rows (those whose
previous reach, if any, came before the period) instead of a DISTINCT over a year of history."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lms.certifications.models import PursuitStageChange, Stage
from lms.core.extensions import db


def previous_reach(pursuit_id: int, stage: Stage) -> datetime | None:
    """When the pursuit last reached `stage` (None: never), for the change about to be written;
    the caller holds the pursuit's row lock, so no other change of it is being written."""
    change = PursuitStageChange
    return db.session.scalar(sa.select(sa.func.max(change.created_at))
                             .where(change.pursuit_id == pursuit_id, change.to_stage == stage))


def link_previous_reaches() -> None:
    """Set every change's previous_reach_at from the history (bulk-written history: the demo
    data, tests' worlds); one correlated UPDATE over the (pursuit_id, created_at) index."""
    earlier = aliased(PursuitStageChange)
    change = PursuitStageChange.__table__
    before = sa.or_(earlier.created_at < change.c.created_at,
                    sa.and_(earlier.created_at == change.c.created_at, earlier.id < change.c.id))
    previous = (sa.select(sa.func.max(earlier.created_at))
                .where(earlier.pursuit_id == change.c.pursuit_id,
                       earlier.to_stage == change.c.to_stage, before)
                .scalar_subquery())
    db.session.execute(sa.update(change).values(previous_reach_at=previous))
