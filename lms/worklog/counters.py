"""Keep the per-day work summaries as history is written.

The writing services call `count_work` and `note_marking` in the same transaction as the rows
they summarize, so a summary is never ahead of or behind its history. Both are upserts that add
to what is there: two mentors saving at the same moment both count (no read-modify-write).
This module imports no domain: every domain that writes history may call it.
"""
from datetime import date

from lms.core.bulk import add_to_counts, insert_unless_present
from lms.worklog.models import MarkedSession, WorkDay


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
