"""Lesson progress with its append-only event log."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Lesson
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.core.model_types import Choice, Tone, enum_type, set_labels, set_tones, utcnow
from lms.users.models import User


class ProgressStatus(Choice):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXCUSED = "excused"


set_labels({
    ProgressStatus.NOT_STARTED: _l("Not started"), ProgressStatus.IN_PROGRESS: _l("In progress"),
    ProgressStatus.COMPLETED: _l("Completed"), ProgressStatus.EXCUSED: _l("Excused"),
})
# Excused counts towards completion (SPEC §3), so it reads as done, in its own words.
set_tones({
    ProgressStatus.NOT_STARTED: Tone.IDLE, ProgressStatus.IN_PROGRESS: Tone.ACTIVE,
    ProgressStatus.COMPLETED: Tone.DONE, ProgressStatus.EXCUSED: Tone.DONE,
})
# The gradebook's compact cells and segmented buttons: one short word per status, shown with
# the tone's colour and symbol (the full label stays for lists, forms and screen readers).
SHORT_LABELS = {
    ProgressStatus.NOT_STARTED: _l("Not yet"), ProgressStatus.IN_PROGRESS: _l("Started"),
    ProgressStatus.COMPLETED: _l("Done"),
    # In Ukrainian "excused" is a phrase (з поважної причини): the short word has its own entry.
    ProgressStatus.EXCUSED: lazy_pgettext("short status", "Excused"),
}


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (
        sa.UniqueConstraint("enrollment_id", "lesson_id"),
        sa.CheckConstraint("score IS NULL OR score >= 0", name="score_non_negative"),
        sa.Index("ix_lesson_progress_lesson_id", "lesson_id"),
        sa.Index("ix_lesson_progress_updated_at", "updated_at"),
        # An enrollment's latest change (students at risk) without reading its rows.
        sa.Index("ix_lesson_progress_enrollment_updated", "enrollment_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id"))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"))
    status: Mapped[ProgressStatus] = mapped_column(
        enum_type(ProgressStatus, "progress_status"), default=ProgressStatus.NOT_STARTED
    )
    score: Mapped[int | None]  # 0..lesson.max_score, checked by the service
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic concurrency: a save names the version it read; a stale one is a conflict.
    version: Mapped[int] = mapped_column(default=1)

    enrollment: Mapped[Enrollment] = relationship()
    lesson: Mapped[Lesson] = relationship()
    updated_by: Mapped[User | None] = relationship()


class ProgressEvent(db.Model):
    """Append-only: one row per change of a lesson progress (before → after)."""

    __tablename__ = "progress_events"
    __table_args__ = (
        sa.Index("ix_progress_events_progress_created", "progress_id", "created_at"),
        # The dashboards count a center's events of a period per actor: an index-only range.
        sa.Index("ix_progress_events_center_created", "center_id", "created_at", "actor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson_progress.id"))
    # The cohort's center, copied at write time (a cohort never changes center), so a center's
    # events are found without joining the million-row progress table.
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[ProgressStatus | None] = mapped_column(
        enum_type(ProgressStatus, "from_status")
    )
    to_status: Mapped[ProgressStatus] = mapped_column(enum_type(ProgressStatus, "to_status"))
    from_score: Mapped[int | None]
    to_score: Mapped[int | None]
    feedback: Mapped[str | None] = mapped_column(sa.Text)

    progress: Mapped[LessonProgress] = relationship()
    actor: Mapped[User | None] = relationship()
