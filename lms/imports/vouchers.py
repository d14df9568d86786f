"""Validating a vouchers file: provider and certification from the catalog, codes not taken.

The provider is given by its short name (`aws`) or its full name; the certification, when
given, by its exam code (`CLF-C02`) or its name, among that provider's certifications. A
voucher is identified by provider and code: one already in this center's stock is skipped.
"""
from datetime import date
from functools import partial

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.catalog.models import Certification, Provider
from lms.centers.models import Center
from lms.certifications.models import Voucher
from lms.core.extensions import db
from lms.imports import values
from lms.imports.columns import required_keys
from lms.imports.models import ImportKind
from lms.imports.report import Report, RowReport, RowStatus, flag_duplicates, read_rows
from lms.imports.sql import among

READERS = {
    "provider": partial(values.text, limit=120), "certification": partial(values.text, limit=200),
    "code": partial(values.text, limit=120), "value": values.money, "currency": values.currency,
    "funder": partial(values.text, limit=200), "issued_on": values.day,
    "expires_on": values.day,
}


def validate(center: Center, stored: list[dict], today: date, lock: bool = False) -> Report:
    """Check every row against the catalog and the vouchers already stored."""
    rows = read_rows(ImportKind.VOUCHERS, stored, READERS, required_keys(ImportKind.VOUCHERS))
    _resolve_catalog(rows)
    for row in rows:
        issued, expires = row.data.get("issued_on"), row.data.get("expires_on")
        if issued and expires and expires < issued:
            row.refuse(_l("The voucher expires before it was issued."))
    flag_duplicates(rows, _identity)
    _match_existing(center, rows)
    return Report(ImportKind.VOUCHERS, rows)


def _identity(row: RowReport):
    provider, code = row.data.get("provider"), row.data.get("code")
    if not isinstance(provider, Provider) or code is None:
        return None
    return provider.id, code.casefold()


def _resolve_catalog(rows: list[RowReport]) -> None:
    """Provider and certification names → catalog objects, in two queries for the file."""
    providers = db.session.scalars(sa.select(Provider)).all()
    known = {key.casefold(): p for p in providers for key in (p.slug, p.name)}
    certifications: dict[tuple[int, str], Certification] = {}
    for cert in db.session.scalars(sa.select(Certification).where(Certification.is_active)):
        for key in filter(None, (cert.exam_code, cert.name)):
            certifications.setdefault((cert.provider_id, key.casefold()), cert)
    for row in rows:
        name = row.data.get("provider")
        if name is None:
            continue
        provider = known.get(name.casefold())
        if provider is None:
            row.refuse(_l("Unknown provider “%(value)s”.", value=name))
            continue
        row.data["provider"] = provider
        wanted = row.data.get("certification")
        if wanted is not None:
            found = certifications.get((provider.id, wanted.casefold()))
            if found is None:
                row.refuse(_l("Unknown certification “%(value)s” of %(provider)s.",
                              value=wanted, provider=provider.name))
            else:
                row.data["certification"] = found


def _match_existing(center: Center, rows: list[RowReport]) -> None:
    """A code already in this center's stock is skipped; one of another center refuses."""
    codes = {identity[1] for identity in map(_identity, rows) if identity}
    if not codes:
        return
    query = sa.select(Voucher.provider_id, Voucher.code, Voucher.center_id).where(
        among(sa.func.lower(Voucher.code), codes))
    # Codes compare case-insensitively here, as vendors print them in either case.
    existing = {(p, code.casefold()): owner for p, code, owner in db.session.execute(query)}
    for row in rows:
        owner = existing.get(_identity(row)) if row.ok else None
        if owner is None:
            continue
        if owner == center.id:
            row.status = RowStatus.EXISTS
        else:
            row.refuse(_l("This provider's voucher code is already registered at another "
                          "center."))
