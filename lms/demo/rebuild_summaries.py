"""Rebuild the work summaries, the sessions' tallies and the stage history's previous reaches
from the history. The writing services keep them as they go; the demo data (and test worlds)
write history rows in bulk, past those services, and then call rebuild()."""

import sqlalchemy as sa

from lms.attendance.models import MARK_ACTION, Attendance
from lms.attendance.tallies import set_tallies
from lms.certifications.history import link_previous_reaches
from lms.certifications.models import PursuitStageChange
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.progress.models import ProgressEvent
from lms.worklog.models import MarkedSession, WorkDay


def _day(column):
    return sa.func.date(column)  # a DATE on PostgreSQL, an ISO date string on SQLite


def _work_from_history() -> sa.Select:
    def per_day(events, progress: int, stages: int):
        return (sa.select(events.center_id, _day(events.created_at).label("day"),
                          events.actor_id, sa.literal(progress).label("p"),
                          sa.literal(stages).label("s"))
                .where(events.actor_id.is_not(None)))

    rows = sa.union_all(per_day(ProgressEvent, 1, 0), per_day(PursuitStageChange, 0, 1)).subquery()
    return (sa.select(rows.c.center_id, rows.c.day, rows.c.actor_id,
                      sa.func.sum(rows.c.p), sa.func.sum(rows.c.s))
            .group_by(rows.c.center_id, rows.c.day, rows.c.actor_id))


def _markings_from_audit() -> sa.Select:
    return (sa.select(AuditEntry.center_id, _day(AuditEntry.created_at), AuditEntry.actor_id,
                      Attendance.session_id).distinct()
            .join(Attendance, Attendance.id == AuditEntry.object_id)
            .where(AuditEntry.action == MARK_ACTION, AuditEntry.actor_id.is_not(None),
                   AuditEntry.center_id.is_not(None)))


def rebuild() -> None:
    """Recompute everything derived from the history, set-based, in the current transaction:
    these summaries and the stage history's previous reaches (for history written in bulk)."""
    link_previous_reaches()
    db.session.execute(sa.delete(WorkDay))
    db.session.execute(sa.delete(MarkedSession))
    work_columns = ["center_id", "day", "actor_id", "progress_cells", "stage_changes"]
    db.session.execute(sa.insert(WorkDay).from_select(work_columns, _work_from_history()))
    db.session.execute(sa.insert(MarkedSession).from_select(
        ["center_id", "day", "actor_id", "session_id"], _markings_from_audit()))
    db.session.execute(set_tallies())


