"""Cohorts (one run of a course at a center) and the enrollments of students in them."""
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Course
from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.model_types import Choice, Tone, enum_type, set_labels, set_tones, utcnow
from lms.users.models import User


class CohortStatus(Choice):
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"


class EnrollmentStatus(Choice):
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


set_labels({
    CohortStatus.PLANNED: _l("Planned"), CohortStatus.RUNNING: _l("Running"),
    CohortStatus.FINISHED: _l("Finished"),
    EnrollmentStatus.ACTIVE: _l("Active"), EnrollmentStatus.COMPLETED: _l("Completed"),
    # "Withdrawn" is also a path stage; a student withdrawn from a cohort reads differently in uk.
    EnrollmentStatus.WITHDRAWN: lazy_pgettext("enrollment", "Withdrawn"),
})
set_tones({
    CohortStatus.PLANNED: Tone.IDLE, CohortStatus.RUNNING: Tone.ACTIVE,
    CohortStatus.FINISHED: Tone.DONE,
    EnrollmentStatus.ACTIVE: Tone.ACTIVE, EnrollmentStatus.COMPLETED: Tone.DONE,
    EnrollmentStatus.WITHDRAWN: Tone.IDLE,
})

cohort_mentors = sa.Table(
    "cohort_mentors",
    db.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id"), primary_key=True),
    sa.Column("mentor_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class Cohort(db.Model):
    __tablename__ = "cohorts"
    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        sa.Index("ix_cohorts_center_status", "center_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    schedule: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int | None]
    status: Mapped[CohortStatus] = mapped_column(
        enum_type(CohortStatus, "cohort_status"), default=CohortStatus.PLANNED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()
    course: Mapped[Course] = relationship()
    mentors: Mapped[list[User]] = relationship(secondary=cohort_mentors, order_by=User.full_name)
    # When the cohort meets (SPEC §3); `schedule` holds the notes around it ("no class in May").
    slots: Mapped[list["TimetableSlot"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan",
        order_by="[TimetableSlot.weekday, TimetableSlot.starts_at, TimetableSlot.id]")


PLACE_MAX = 120


class TimetableSlot(db.Model):
    """One weekly class meeting of a cohort: a weekday (0 = Monday), a start and end time, a place."""

    __tablename__ = "timetable_slots"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("ends_at > starts_at", name="times_ordered"),
        sa.Index("ix_timetable_slots_cohort_weekday", "cohort_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"))
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    place: Mapped[str] = mapped_column(sa.String(PLACE_MAX), default="")

    cohort: Mapped[Cohort] = relationship(back_populates="slots")


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "cohort_id"),
        sa.Index("ix_enrollments_cohort_status", "cohort_id", "status"),
        sa.CheckConstraint(
            "status <> 'withdrawn' OR withdrawn_on IS NOT NULL", name="withdrawn_dated"
        ),
        sa.CheckConstraint(
            "status <> 'completed' OR completed_on IS NOT NULL", name="completed_dated"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"))
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_type(EnrollmentStatus, "enrollment_status"), default=EnrollmentStatus.ACTIVE
    )
    enrolled_on: Mapped[date]
    completed_on: Mapped[date | None]
    # Set when a mentor marks completion by hand ("completed, set by …"); empty when derived.
    completion_set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    completion_reason: Mapped[str | None] = mapped_column(sa.String(500))
    withdrawn_on: Mapped[date | None]
    withdraw_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    cohort: Mapped[Cohort] = relationship()
    completion_set_by: Mapped[User | None] = relationship(foreign_keys=[completion_set_by_id])
