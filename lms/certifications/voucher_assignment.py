"""Voucher stock seen from a pursuit: assignment (atomic), release, use, and who sees codes."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.certifications.errors import PursuitError
from lms.certifications.models import Pursuit, Voucher, VoucherStatus
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.formats import local_date
from lms.core.model_types import utcnow
from lms.users.models import User


def assignable(pursuit: Pursuit, today: date) -> sa.Select:
    """Vouchers of the pursuit's center that could pay for its exam today."""
    certification = pursuit.certification
    return (
        sa.select(Voucher)
        .where(Voucher.center_id == pursuit.center_id, Voucher.status == VoucherStatus.AVAILABLE,
               Voucher.provider_id == certification.provider_id,
               sa.or_(Voucher.certification_id.is_(None),
                      Voucher.certification_id == certification.id),
               sa.or_(Voucher.expires_on.is_(None), Voucher.expires_on >= today))
        .order_by(Voucher.expires_on.asc().nulls_last(), Voucher.id)
    )


def assign(pursuit: Pursuit, voucher_id: int, actor: User, today: date) -> Voucher:
    """Give a voucher to a pursuit. One conditional UPDATE, so two mentors assigning the same
    voucher at the same moment cannot both win: the second finds it no longer available."""
    conditions = assignable(pursuit, today).whereclause
    result = db.session.execute(
        sa.update(Voucher)
        .where(Voucher.id == voucher_id, conditions)
        .values(status=VoucherStatus.ASSIGNED, pursuit_id=pursuit.id, assigned_at=utcnow(),
                assigned_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _unavailable()
    voucher = db.session.get(Voucher, voucher_id, populate_existing=True)
    record("voucher.assign", voucher, before={"status": "available"},
           after={"status": "assigned", "pursuit_id": pursuit.id}, actor=actor)
    return voucher


def _unavailable() -> PursuitError:
    return PursuitError(_l("This voucher is no longer available: it was assigned, used, revoked, "
                           "has expired or does not fit this exam. Choose another."), "voucher_id")


def current_voucher(pursuit: Pursuit) -> Voucher | None:
    """The voucher assigned to the pursuit's current attempt, if any."""
    query = sa.select(Voucher).where(Voucher.pursuit_id == pursuit.id,
                                     Voucher.status == VoucherStatus.ASSIGNED)
    return db.session.scalars(query).first()


def check_covers_exam(pursuit: Pursuit, exam_date: date) -> None:
    """The assigned voucher must still be valid on the exam day."""
    voucher = current_voucher(pursuit)
    if voucher and voucher.expires_on and exam_date > voucher.expires_on:
        raise PursuitError(_l("The voucher expires on %(date)s, before this exam date.",
                              date=local_date(voucher.expires_on)), "exam_date")


def mark_used(pursuit: Pursuit) -> None:
    voucher = current_voucher(pursuit)
    if voucher:
        voucher.status = VoucherStatus.USED
        record("voucher.use", voucher, before={"status": "assigned"}, after={"status": "used"})


def unuse(voucher_id: int) -> None:
    """Undo mark_used() when the result that used the voucher is rejected."""
    voucher = db.session.get(Voucher, voucher_id)
    if voucher is not None and voucher.status == VoucherStatus.USED:
        voucher.status = VoucherStatus.ASSIGNED
        record("voucher.unuse", voucher, before={"status": "used"}, after={"status": "assigned"})


def release(pursuit: Pursuit, actor: User) -> int | None:
    """Return an unused voucher to the center's stock when its pursuit is withdrawn."""
    voucher = current_voucher(pursuit)
    if voucher is None:
        return None
    voucher.status, voucher.pursuit_id = VoucherStatus.AVAILABLE, None
    voucher.assigned_at = voucher.assigned_by_id = None
    record("voucher.release", voucher, before={"status": "assigned", "pursuit_id": pursuit.id},
           after={"status": "available"}, actor=actor)
    return voucher.id


