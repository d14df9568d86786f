"""The road to a vendor credential: pursuits and their history, practice scores, vouchers, evidence."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Certification, Provider
from lms.centers.models import Center
from lms.cohorts.models import Cohort
from lms.core.extensions import db
from lms.core.model_types import Choice, Tone, enum_type, set_labels, set_tones, utcnow
from lms.progress.models import LessonProgress
from lms.users.models import User


class Stage(Choice):
    INTERESTED = "interested"
    PREPARING = "preparing"
    PRACTICE = "practice"
    READY = "ready"
    VOUCHER = "voucher"
    SCHEDULED = "scheduled"
    PASSED = "passed"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


class ExamDelivery(Choice):
    TEST_CENTER = "test_center"
    ONLINE = "online"
    SCHOOL_SITE = "school_site"


class VoucherStatus(Choice):
    AVAILABLE = "available"
    ASSIGNED = "assigned"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


class EvidenceKind(Choice):
    LINK = "link"
    FILE = "file"


set_labels({
    Stage.INTERESTED: _l("Interested"), Stage.PREPARING: _l("Preparing"),
    Stage.PRACTICE: _l("Practice"), Stage.READY: _l("Ready"), Stage.VOUCHER: _l("Voucher"),
    Stage.SCHEDULED: _l("Exam scheduled"), Stage.PASSED: _l("Passed"),
    Stage.FAILED: _l("Failed"), Stage.WITHDRAWN: _l("Withdrawn"),
    ExamDelivery.TEST_CENTER: _l("Test center"), ExamDelivery.ONLINE: _l("Online proctored"),
    ExamDelivery.SCHOOL_SITE: _l("At the school"),
    VoucherStatus.AVAILABLE: _l("Available"), VoucherStatus.ASSIGNED: _l("Assigned"),
    VoucherStatus.USED: _l("Used"), VoucherStatus.EXPIRED: _l("Expired"),
    VoucherStatus.REVOKED: _l("Revoked"),
    EvidenceKind.LINK: _l("Link"), EvidenceKind.FILE: _l("File"),
})
# The stages with a date coming (voucher in hand, exam booked) ask for action soon.
set_tones({
    Stage.INTERESTED: Tone.IDLE, Stage.PREPARING: Tone.ACTIVE, Stage.PRACTICE: Tone.ACTIVE,
    Stage.READY: Tone.ACTIVE, Stage.VOUCHER: Tone.SOON, Stage.SCHEDULED: Tone.SOON,
    Stage.PASSED: Tone.DONE, Stage.FAILED: Tone.BAD, Stage.WITHDRAWN: Tone.IDLE,
    VoucherStatus.AVAILABLE: Tone.DONE, VoucherStatus.ASSIGNED: Tone.ACTIVE,
    VoucherStatus.USED: Tone.IDLE, VoucherStatus.EXPIRED: Tone.BAD,
    VoucherStatus.REVOKED: Tone.IDLE,
})


OPEN_PATH = sa.text("stage NOT IN ('passed', 'withdrawn')")


class Pursuit(db.Model):
    """One student's road to one credential; the stage rules live in the services."""

    __tablename__ = "pursuits"
    __table_args__ = (
        sa.CheckConstraint("attempt >= 1", name="attempt_positive"),
        sa.CheckConstraint("score IS NULL OR score >= 0", name="score_non_negative"),
        sa.CheckConstraint(
            "stage <> 'passed' OR (result_date IS NOT NULL AND credential_id IS NOT NULL)",
            name="passed_has_credential",
        ),
        sa.Index("ix_pursuits_center_stage", "center_id", "stage"),
        sa.Index("ix_pursuits_student_id", "student_id"),
        sa.Index("ix_pursuits_certification_id", "certification_id"),
        sa.Index("ix_pursuits_exam_date", "exam_date"),
        # The certification board and the pursuits API list a center's newest first.
        sa.Index("ix_pursuits_center_updated", "center_id", "updated_at", "id"),
        # One open path per student and certification (passed and withdrawn ones are history).
        sa.Index("uq_pursuits_open_path", "student_id", "certification_id", unique=True,
                 sqlite_where=OPEN_PATH, postgresql_where=OPEN_PATH),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    certification_id: Mapped[int] = mapped_column(sa.ForeignKey("certifications.id"))
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"))
    stage: Mapped[Stage] = mapped_column(enum_type(Stage, "stage"), default=Stage.INTERESTED)
    attempt: Mapped[int] = mapped_column(default=1)
    # preparing
    prep_platform: Mapped[str | None] = mapped_column(sa.String(200))
    prep_cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id"))
    prep_started_on: Mapped[date | None]
    # ready
    ready_signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    ready_signed_off_at: Mapped[datetime | None]
    # voucher
    self_paid: Mapped[bool] = mapped_column(default=False)
    # scheduled
    exam_date: Mapped[date | None]
    exam_delivery: Mapped[ExamDelivery | None] = mapped_column(
        enum_type(ExamDelivery, "exam_delivery")
    )
    booking_reference: Mapped[str | None] = mapped_column(sa.String(120))
    # passed / failed
    result_date: Mapped[date | None]
    score: Mapped[int | None]
    credential_id: Mapped[str | None] = mapped_column(sa.String(200))
    verification_url: Mapped[str | None] = mapped_column(sa.String(500))
    # Self-reported results wait for a mentor; only verified results count.
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    renewed_on: Mapped[date | None]  # expiry is computed from the later of result and renewal
    invalidated_at: Mapped[datetime | None]
    invalid_reason: Mapped[str | None] = mapped_column(sa.String(500))
    withdraw_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    certification: Mapped[Certification] = relationship()
    center: Mapped[Center] = relationship()
    prep_cohort: Mapped[Cohort | None] = relationship()
    ready_signed_off_by: Mapped[User | None] = relationship(foreign_keys=[ready_signed_off_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])


class PursuitStageChange(db.Model):
    """The full stage history of a pursuit (who, when, note, the stage's fields)."""

    __tablename__ = "pursuit_stage_changes"
    __table_args__ = (
        sa.Index("ix_pursuit_stage_changes_pursuit_created", "pursuit_id", "created_at"),
        # Failed attempts (a few percent of the history) for the exam results of a period.
        sa.Index("ix_pursuit_stage_changes_to_stage", "to_stage", "pursuit_id"),
        # A center's history of a period without joining every pursuit; the funnel reads only
        # these columns (an index-only range).
        sa.Index("ix_pursuit_stage_changes_center_created", "center_id", "created_at",
                 "to_stage", "pursuit_id", "previous_reach_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pursuit_id: Mapped[int] = mapped_column(sa.ForeignKey("pursuits.id"))
    # The pursuit's center, copied at write time (see Pursuit.center_id).
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"))
    from_stage: Mapped[Stage | None] = mapped_column(enum_type(Stage, "from_stage"))
    to_stage: Mapped[Stage] = mapped_column(enum_type(Stage, "to_stage"))
    attempt: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When this pursuit last reached to_stage before this change (None: the first time); kept
    # by lms/certifications/history.py. A change is its pursuit's first reach of the stage in a
    # period when this is None or before the period.
    previous_reach_at: Mapped[datetime | None]

    pursuit: Mapped[Pursuit] = relationship()
    actor: Mapped[User | None] = relationship()


class PracticeScore(db.Model):
    __tablename__ = "practice_scores"
    __table_args__ = (
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        sa.Index("ix_practice_scores_pursuit_taken", "pursuit_id", "taken_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pursuit_id: Mapped[int] = mapped_column(sa.ForeignKey("pursuits.id"))
    taken_on: Mapped[date]
    percent: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Voucher(db.Model):
    __tablename__ = "vouchers"
    __table_args__ = (
        sa.UniqueConstraint("provider_id", "code"),
        sa.CheckConstraint("value IS NULL OR value >= 0", name="value_non_negative"),
        sa.CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="dates_ordered"),
        # A voucher goes to at most one pursuit: the link is a single column, set once.
        sa.CheckConstraint(
            "status NOT IN ('assigned', 'used') OR pursuit_id IS NOT NULL", name="assigned_has_pursuit"
        ),
        sa.Index("ix_vouchers_center_status", "center_id", "status"),
        sa.Index("ix_vouchers_pursuit_id", "pursuit_id"),
        sa.Index("ix_vouchers_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"))
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("providers.id"))
    certification_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certifications.id"))
    code: Mapped[str] = mapped_column(sa.String(120))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    funder: Mapped[str] = mapped_column(sa.String(200), default="")
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    status: Mapped[VoucherStatus] = mapped_column(
        enum_type(VoucherStatus, "voucher_status"), default=VoucherStatus.AVAILABLE
    )
    pursuit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pursuits.id"))
    assigned_at: Mapped[datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()
    provider: Mapped[Provider] = relationship()
    certification: Mapped[Certification | None] = relationship()
    pursuit: Mapped[Pursuit | None] = relationship()

    @property
    def masked_code(self) -> str:
        """What a mentor may see: the last four characters."""
        return "•••• " + self.code[-4:]


class Evidence(db.Model):
    """A link or an uploaded file, attached to a pursuit or to a lesson progress."""

    __tablename__ = "evidence"
    __table_args__ = (
        sa.CheckConstraint(
            "(pursuit_id IS NULL) <> (progress_id IS NULL)", name="exactly_one_target"
        ),
        sa.CheckConstraint(
            "(kind = 'link' AND url IS NOT NULL AND stored_name IS NULL)"
            " OR (kind = 'file' AND stored_name IS NOT NULL)",
            name="kind_fields",
        ),
        sa.CheckConstraint("size_bytes IS NULL OR size_bytes > 0", name="size_positive"),
        sa.Index("ix_evidence_pursuit_id", "pursuit_id"),
        sa.Index("ix_evidence_progress_id", "progress_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_type(EvidenceKind, "evidence_kind"))
    pursuit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pursuits.id"))
    stage: Mapped[Stage | None] = mapped_column(enum_type(Stage, "evidence_stage"))
    progress_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lesson_progress.id"))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    stored_name: Mapped[str | None] = mapped_column(sa.String(80), unique=True)  # random
    original_name: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(60))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pursuit: Mapped[Pursuit | None] = relationship()
    progress: Mapped[LessonProgress | None] = relationship()
