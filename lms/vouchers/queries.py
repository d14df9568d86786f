"""A center's voucher stock as its pages read it: the scoped list, filters, export, history.

Codes are secrets: pages show them through certifications.display.shown_code.
"""
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, raiseload

from lms.access import visible
from lms.catalog.models import Certification, Provider
from lms.centers.models import Center
from lms.certifications.display import shown_code
from lms.certifications.models import Pursuit, Voucher, VoucherStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.core.pagination import in_chunks
from lms.users.models import User

EXPIRING_DAYS = 30


# What a row of the stock shows: provider, certification, center and who holds the voucher.
VOUCHER_ROW = (
    joinedload(Voucher.provider), joinedload(Voucher.certification), joinedload(Voucher.center),
    joinedload(Voucher.pursuit).joinedload(Pursuit.student),
)


@dataclass
class VoucherFilter:
    status: VoucherStatus | None = None
    provider_id: int | None = None
    certification_id: int | None = None
    expiring: bool = False
    center_id: int | None = None


def is_expired(voucher: Voucher, today: date) -> bool:
    """Expired by status, or an unused voucher past its expiry date (nothing stores that)."""
    past = voucher.expires_on is not None and voucher.expires_on < today
    return voucher.status == VoucherStatus.EXPIRED or (
        voucher.status == VoucherStatus.AVAILABLE and past)


def shown_status(voucher: Voucher, today: date) -> VoucherStatus:
    return VoucherStatus.EXPIRED if is_expired(voucher, today) else voucher.status


def _status_is(status: VoucherStatus, today: date) -> sa.ColumnElement[bool]:
    """The status as shown: an available voucher past its date counts as expired."""
    past = sa.and_(Voucher.expires_on.is_not(None), Voucher.expires_on < today)
    if status == VoucherStatus.EXPIRED:
        return sa.or_(Voucher.status == VoucherStatus.EXPIRED,
                      sa.and_(Voucher.status == VoucherStatus.AVAILABLE, past))
    if status == VoucherStatus.AVAILABLE:
        return sa.and_(Voucher.status == VoucherStatus.AVAILABLE, ~past)
    return Voucher.status == status


def filtered(filters: VoucherFilter, today: date) -> sa.Select:
    """Visible vouchers under the filters, soonest expiry first (the list and its CSV)."""
    query = visible(Voucher)
    if filters.status:
        query = query.where(_status_is(filters.status, today))
    if filters.provider_id:
        query = query.where(Voucher.provider_id == filters.provider_id)
    if filters.certification_id:
        query = query.where(Voucher.certification_id == filters.certification_id)
    if filters.center_id:
        query = query.where(Voucher.center_id == filters.center_id)
    if filters.expiring:
        query = query.where(
            Voucher.status.in_((VoucherStatus.AVAILABLE, VoucherStatus.ASSIGNED)),
            Voucher.expires_on.between(today, today + timedelta(days=EXPIRING_DAYS)))
    return query.options(*VOUCHER_ROW, raiseload("*")).order_by(Voucher.expires_on.asc().nulls_last(),
                                                Voucher.id)


def export_rows(filters: VoucherFilter, viewer: User, today: date):
    """CSV rows of every filtered voucher, read a chunk at a time."""
    for chunk in in_chunks(filtered(filters, today)):
        for v in chunk:
            holder = v.pursuit.student.full_name if v.pursuit else ""
            yield (v.center.name, v.provider.name, v.certification.name if v.certification else "",
                   shown_code(v, viewer), shown_status(v, today).label, v.value, v.currency,
                   v.funder, v.issued_on, v.expires_on, holder, v.revoke_reason or "")


def filter_options() -> dict[str, list[tuple]]:
    """(value, text) options of the stock's filters; a center choice when several are visible."""
    providers = db.session.scalars(sa.select(Provider).order_by(Provider.name)).all()
    certifications = db.session.scalars(
        sa.select(Certification).order_by(Certification.name)).all()  # provider is joined
    centers = db.session.scalars(visible(Center).order_by(Center.name)).all()
    return {"status": [(s.value, s.label) for s in VoucherStatus],
            "provider": [(p.id, p.name) for p in providers],
            "certification": [(c.id, f"{c.provider.name} · {c.name}") for c in certifications],
            "center": [(c.id, c.name) for c in centers] if len(centers) > 1 else []}


def history(voucher: Voucher) -> list[AuditEntry]:
    """Every audit entry of the voucher, oldest first (the (object_type, object_id) index)."""
    query = (sa.select(AuditEntry)
             .where(AuditEntry.object_type == Voucher.__name__, AuditEntry.object_id == voucher.id)
             .options(joinedload(AuditEntry.actor))
             .order_by(AuditEntry.created_at, AuditEntry.id))
    return list(db.session.scalars(query))
