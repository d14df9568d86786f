"""Per-day summaries of the staff's recorded work. The history tables stay the source of truth;
these rows are kept by the services that write that history (lms/worklog/counters.py) and can be
rebuilt from it at any time (`rebuild()`)."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.extensions import db


class WorkDay(db.Model):
    """What one staff member recorded at one center on one (UTC) day."""

    __tablename__ = "staff_work_days"

    # Key order: a center's days of a period are one range of the primary key.
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    progress_cells: Mapped[int] = mapped_column(default=0, server_default="0")
    stage_changes: Mapped[int] = mapped_column(default=0, server_default="0")


class MarkedSession(db.Model):
    """A staff member saved attendance marks of a session on a day (once however many saves:
    the dashboard counts distinct sessions per person)."""

    __tablename__ = "marked_sessions"

    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("class_sessions.id"), primary_key=True)
