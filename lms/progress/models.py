"""Lesson progress with its append-only event log, class sessions and attendance."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Lesson
from lms.cohorts.models import Cohort, Enrollment
from lms.core.extensions import db
from lms.core.model_types import Choice, enum_type, set_labels, utcnow
from lms.users.models import User


class ProgressStatus(Choice):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXCUSED = "excused"


class AttendanceStatus(Choice):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


# One call per enumeration: both have the string member "excused", one key in a shared literal.
set_labels({
    ProgressStatus.NOT_STARTED: _l("Not started"), ProgressStatus.IN_PROGRESS: _l("In progress"),
    ProgressStatus.COMPLETED: _l("Completed"), ProgressStatus.EXCUSED: _l("Excused"),
})
set_labels({
    AttendanceStatus.PRESENT: _l("Present"), AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.ABSENT: _l("Absent"), AttendanceStatus.EXCUSED: _l("Excused"),
})


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


class ClassSession(db.Model):
    __tablename__ = "class_sessions"
    __table_args__ = (sa.Index("ix_class_sessions_cohort_held_on", "cohort_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"))
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Marks present or late, and marks that count (all but excused), kept by the marking service
    # (lms/worklog/services.py): the dashboards sum sessions, not a year of marks.
    attended_count: Mapped[int] = mapped_column(default=0, server_default="0")
    counted_count: Mapped[int] = mapped_column(default=0, server_default="0")

    cohort: Mapped[Cohort] = relationship()
    lessons: Mapped[list[Lesson]] = relationship(secondary="class_session_lessons")


class_session_lessons = sa.Table(
    "class_session_lessons",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("class_sessions.id"), primary_key=True),
    sa.Column("lesson_id", sa.ForeignKey("lessons.id"), primary_key=True),
)


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "enrollment_id"),
        sa.Index("ix_attendance_enrollment_id", "enrollment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("class_sessions.id"))
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id"))
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status"), default=AttendanceStatus.PRESENT
    )
    remark: Mapped[str] = mapped_column(sa.String(500), default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[ClassSession] = relationship()
    enrollment: Mapped[Enrollment] = relationship()
