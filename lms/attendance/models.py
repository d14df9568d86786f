"""Class sessions of a cohort and the attendance marks taken at them."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Lesson
from lms.cohorts.models import Cohort, Enrollment
from lms.core.extensions import db
from lms.core.model_types import Choice, Tone, enum_type, set_labels, set_tones, utcnow

# The audit action of one mark: the marking service writes it, the activity figures and the
# work-log rebuild read it.
MARK_ACTION = "attendance.mark"


class AttendanceStatus(Choice):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


set_labels({
    AttendanceStatus.PRESENT: _l("Present"), AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.ABSENT: _l("Absent"), AttendanceStatus.EXCUSED: _l("Excused"),
})
set_tones({
    AttendanceStatus.PRESENT: Tone.DONE, AttendanceStatus.LATE: Tone.SOON,
    AttendanceStatus.ABSENT: Tone.BAD, AttendanceStatus.EXCUSED: Tone.IDLE,
})


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
    # (lms/attendance/tallies.py): the dashboards sum sessions, not a year of marks.
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
