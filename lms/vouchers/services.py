"""A center's voucher stock: adding a voucher by hand and revoking one.

Assignment, release and use happen through a pursuit (lms/certifications/voucher_assignment.py);
this is the stock keeper's side. Codes are secrets: audit entries keep only the last four
characters.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from lms.catalog.models import Certification
from lms.centers.models import Center
from lms.certifications.models import Voucher, VoucherStatus
from lms.certifications.rules import add_months
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.users.models import User


class StockError(Refused):
    """A change of the voucher stock that the rules refuse."""


@dataclass
class VoucherInput:
    """The fields of the add-voucher form, as the service receives them."""
    provider_id: int
    certification_id: int | None
    code: str
    value: Decimal | None
    currency: str
    funder: str
    issued_on: date
    expires_on: date | None = None


def add_voucher(center: Center, data: VoucherInput, actor: User) -> Voucher:
    """Add one voucher to the center's stock; its code is unique for its provider."""
    certification = _check_certification(data)
    code = data.code.strip()
    expires_on = data.expires_on or _default_expiry(certification, data.issued_on)
    if expires_on is not None and expires_on < data.issued_on:
        raise StockError(_l("The expiry date cannot be before the issue date."), "expires_on")
    if data.value is not None and data.value < 0:
        raise StockError(_l("The value cannot be negative."), "value")
    if _code_taken(data.provider_id, code):
        raise _duplicate_code()
    voucher = Voucher(center_id=center.id, provider_id=data.provider_id,
                      certification_id=data.certification_id, code=code, value=data.value,
                      currency=data.currency.upper(), funder=data.funder.strip(),
                      issued_on=data.issued_on, expires_on=expires_on,
                      status=VoucherStatus.AVAILABLE)
    db.session.add(voucher)
    try:
        db.session.flush()  # a concurrent twin of the code fails here, on the unique constraint
    except IntegrityError:
        raise _duplicate_code() from None
    record("voucher.create", voucher, after=snapshot(voucher), actor=actor)
    return voucher


def _check_certification(data: VoucherInput) -> Certification | None:
    if data.certification_id is None:
        return None  # "any certification of the provider"
    certification = db.session.get(Certification, data.certification_id)
    if certification is None or certification.provider_id != data.provider_id:
        raise StockError(_l("Choose a certification of the voucher's provider, or “any”."),
                         "certification_id")
    return certification


def _default_expiry(certification: Certification | None, issued_on: date) -> date | None:
    """Vendors such as Cisco/Certiport state how long a voucher is valid: use it when empty."""
    months = certification.voucher_validity_months if certification else None
    return add_months(issued_on, months) if months else None


def _code_taken(provider_id: int, code: str) -> bool:
    query = sa.select(Voucher.id).where(Voucher.provider_id == provider_id, Voucher.code == code)
    return db.session.execute(query.limit(1)).first() is not None


def _duplicate_code() -> StockError:
    return StockError(_l("A voucher with this code already exists for this provider."), "code")


def revoke(voucher: Voucher, reason: str, actor: User) -> Voucher:
    """Take an available voucher out of the stock for good. One conditional UPDATE, so a
    voucher assigned at the same moment is not revoked under its pursuit."""
    result = db.session.execute(
        sa.update(Voucher)
        .where(Voucher.id == voucher.id, Voucher.status == VoucherStatus.AVAILABLE)
        .values(status=VoucherStatus.REVOKED, revoke_reason=reason)
        .execution_options(synchronize_session=False))
    db.session.refresh(voucher)
    if result.rowcount != 1:
        raise _not_revocable(voucher)
    record("voucher.revoke", voucher, before={"status": VoucherStatus.AVAILABLE.value},
           after={"status": VoucherStatus.REVOKED.value, "revoke_reason": reason}, actor=actor)
    return voucher


def _not_revocable(voucher: Voucher) -> StockError:
    if voucher.status == VoucherStatus.ASSIGNED:
        return StockError(_l("This voucher is assigned to a certification path. Release it "
                             "through that path first (withdrawing the path returns the voucher "
                             "to stock), then revoke it."), "reason")
    return StockError(_l("Only an available voucher can be revoked; this one is “%(status)s”.",
                         status=voucher.status.label), "reason")


def snapshot(voucher: Voucher) -> dict:
    """The audited state of a voucher, JSON-ready; the code only as its last four characters."""
    return {"provider_id": voucher.provider_id, "certification_id": voucher.certification_id,
            "code": voucher.masked_code, "value": str(voucher.value) if voucher.value is not None
            else None, "currency": voucher.currency, "funder": voucher.funder,
            "issued_on": voucher.issued_on.isoformat(),
            "expires_on": voucher.expires_on.isoformat() if voucher.expires_on else None,
            "status": voucher.status.value, "center_id": voucher.center_id}
