"""The cluster-wide catalog: tracks, courses with modules and lessons, providers, certifications."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.extensions import db
from lms.core.model_types import Choice, enum_type, set_labels, utcnow


class CourseLevel(Choice):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Audience(Choice):
    SCHOOL = "school"
    UNIVERSITY = "university"
    ANY = "any"


class LessonKind(Choice):
    LESSON = "lesson"
    LAB = "lab"
    PROJECT = "project"
    QUIZ = "quiz"


class CertificationLevel(Choice):
    FUNDAMENTALS = "fundamentals"
    FOUNDATIONAL = "foundational"
    ASSOCIATE = "associate"
    PROFESSIONAL = "professional"
    SPECIALTY = "specialty"
    CERTIFICATE = "certificate"


set_labels({
    CourseLevel.BEGINNER: _l("Beginner"), CourseLevel.INTERMEDIATE: _l("Intermediate"),
    CourseLevel.ADVANCED: _l("Advanced"),
    Audience.SCHOOL: _l("School students"), Audience.UNIVERSITY: _l("University students"),
    Audience.ANY: _l("Everyone"),
    LessonKind.LESSON: _l("Lesson"), LessonKind.LAB: _l("Lab"), LessonKind.PROJECT: _l("Project"),
    LessonKind.QUIZ: _l("Quiz"),
    CertificationLevel.FUNDAMENTALS: _l("Fundamentals"),
    CertificationLevel.FOUNDATIONAL: _l("Foundational"),
    CertificationLevel.ASSOCIATE: _l("Associate"),
    CertificationLevel.PROFESSIONAL: _l("Professional"),
    CertificationLevel.SPECIALTY: _l("Specialty"),
    CertificationLevel.CERTIFICATE: _l("Certificate"),
})

certification_courses = sa.Table(
    "certification_courses",
    db.metadata,
    sa.Column("certification_id", sa.ForeignKey("certifications.id"), primary_key=True),
    sa.Column("course_id", sa.ForeignKey("courses.id"), primary_key=True),
)


class Track(db.Model):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        sa.CheckConstraint("estimated_hours IS NULL OR estimated_hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("tracks.id"), index=True)
    level: Mapped[CourseLevel] = mapped_column(enum_type(CourseLevel, "course_level"))
    audience: Mapped[Audience] = mapped_column(enum_type(Audience, "audience"), default=Audience.ANY)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    estimated_hours: Mapped[int | None]
    is_published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    track: Mapped[Track] = relationship()
    modules: Mapped[list["CourseModule"]] = relationship(
        back_populates="course", order_by="CourseModule.position"
    )
    certifications: Mapped[list["Certification"]] = relationship(
        secondary=certification_courses, back_populates="preparing_courses"
    )


class CourseModule(db.Model):
    __tablename__ = "course_modules"
    # Positions are dense (1..n) and unique per course; reordering locks the course row.
    __table_args__ = (sa.UniqueConstraint("course_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="module", order_by="Lesson.position"
    )


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        sa.CheckConstraint("max_score IS NULL OR max_score > 0", name="max_score_positive"),
        # Dense (1..n) and unique per module; reordering locks the course row.
        sa.UniqueConstraint("module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_modules.id"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[LessonKind] = mapped_column(enum_type(LessonKind, "lesson_kind"))
    max_score: Mapped[int | None]
    is_required: Mapped[bool] = mapped_column(default=True)
    # Retired lessons keep their progress history but no longer count towards completion.
    is_retired: Mapped[bool] = mapped_column(default=False)

    module: Mapped[CourseModule] = relationship(back_populates="lessons")


class Provider(db.Model):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))


class Certification(db.Model):
    """A vendor credential with its rules as data (SPEC §3)."""

    __tablename__ = "certifications"
    __table_args__ = (
        sa.UniqueConstraint("provider_id", "name"),
        sa.CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity"),
        sa.CheckConstraint(
            "renewal_window_months IS NULL OR (validity_months IS NOT NULL"
            " AND renewal_window_months > 0 AND renewal_window_months <= validity_months)",
            name="renewal_window",
        ),
        sa.CheckConstraint(
            "voucher_validity_months IS NULL OR voucher_validity_months > 0",
            name="voucher_validity",
        ),
        sa.CheckConstraint("retake_wait_days IS NULL OR retake_wait_days >= 0", name="retake"),
        sa.CheckConstraint("min_age IS NULL OR min_age BETWEEN 0 AND 120", name="min_age"),
        sa.CheckConstraint(
            "guardian_acceptance_under IS NULL OR guardian_acceptance_under BETWEEN 0 AND 120",
            name="guardian_age",
        ),
        sa.CheckConstraint(
            "readiness_threshold IS NULL OR readiness_threshold BETWEEN 0 AND 100",
            name="readiness",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("providers.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    exam_code: Mapped[str | None] = mapped_column(sa.String(40))
    level: Mapped[CertificationLevel] = mapped_column(
        enum_type(CertificationLevel, "certification_level")
    )
    validity_months: Mapped[int | None]  # None: the credential never expires
    renewal_window_months: Mapped[int | None]
    voucher_validity_months: Mapped[int | None]
    retake_wait_days: Mapped[int | None]
    min_age: Mapped[int | None]
    guardian_acceptance_under: Mapped[int | None]  # candidates younger need a guardian's acceptance
    verification_url_pattern: Mapped[str | None] = mapped_column(sa.String(300))  # with "{id}"
    readiness_threshold: Mapped[int | None]  # practice score in percent
    is_active: Mapped[bool] = mapped_column(default=True)

    provider: Mapped[Provider] = relationship(lazy="joined")
    preparing_courses: Mapped[list[Course]] = relationship(
        secondary=certification_courses, back_populates="certifications"
    )
