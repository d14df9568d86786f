"""Keep the per-day work summaries as history is written, and rebuild them from the history.

The writing services call `count_work`, `note_marking` and `recount_tallies` in the same
transaction as the rows they summarize, so a summary is never ahead of or behind its history.
The first two are upserts that add to what is there: two mentors saving at the same moment both
count (no read-modify-write); a session's tallies are counted again from its marks under the
session's row lock.
"""
from datetime import date

import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.attendance.rates import ATTENDED
from lms.audit.models import AuditEntry
from lms.certifications.history import link_previous_reaches
from lms.certifications.models import PursuitStageChange
from lms.core.bulk import add_to_counts, insert_unless_present
from lms.core.extensions import db
from lms.progress.models import ProgressEvent
from lms.worklog.models import MarkedSession, WorkDay

MARK_ACTION = "attendance.mark"  # the audit action of one mark (lms/attendance/services.py)


def count_work(center_id: int, actor_id: int | None, day: date, *, progress_cells: int = 0,
               stage_changes: int = 0) -> None:
    """Add progress cells set and stage changes recorded by `actor_id` on `day`."""
    if actor_id is None or not (progress_cells or stage_changes):
        return  # work without a person (system changes) is nobody's work to show
    add_to_counts(WorkDay, {"center_id": center_id, "day": day, "actor_id": actor_id},
                  {"progress_cells": progress_cells, "stage_changes": stage_changes})


def note_marking(center_id: int, actor_id: int | None, day: date, session_id: int) -> None:
    """Remember that `actor_id` saved marks of the session on `day`."""
    if actor_id is not None:
        insert_unless_present(MarkedSession, {"center_id": center_id, "day": day,
                                              "actor_id": actor_id, "session_id": session_id})


def recount_tallies(session_id: int) -> None:
    """Count a session's attended and counted marks again, from its marks on file (the caller
    holds the session's row lock, so no other marking of it is in between)."""
    db.session.execute(_set_tallies().where(ClassSession.id == session_id))


# --- rebuilding from the history (migration backfill, bulk demo data, tests) ---------------

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


def _tally(condition):
    return (sa.select(sa.func.count()).select_from(Attendance)
            .where(Attendance.session_id == ClassSession.id, condition).scalar_subquery())


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
    db.session.execute(_set_tallies())


def _set_tallies() -> sa.Update:
    """UPDATE of the sessions' tallies from their marks: present or late count as attended,
    all but an excused absence count, as in lms/attendance/rates.py."""
    return sa.update(ClassSession).values(
        attended_count=_tally(Attendance.status.in_(ATTENDED)),
        counted_count=_tally(Attendance.status != AttendanceStatus.EXCUSED))
