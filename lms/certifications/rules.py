"""Vendor rules turned into dates. Nothing here is typed by hand: every date is computed from
the catalog (validity, renewal window, retake wait, voucher validity) and the recorded facts.

Conventions, tested at their edges in tests/test_certification_rules.py:
- a credential earned (or renewed) on D with N months of validity is valid through D + N months
  (that day included) and expired from the day after;
- the renewal window of W months opens W months before the expiry day and runs through it;
- after a failed exam on D with a wait of K days, the next exam may be taken on D + K days;
- a voucher issued on D with M months of validity can be used through D + M months.
"""
from calendar import monthrange
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from lms.catalog.models import Certification
from lms.core.model_types import Choice, Tone, set_labels, set_tones


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def credential_expires_on(certification: Certification, result_date: date | None,
                          renewed_on: date | None = None) -> date | None:
    """The last valid day of a credential, or None when it never expires."""
    base = max(filter(None, (result_date, renewed_on)), default=None)
    if base is None or certification.validity_months is None:
        return None
    return add_months(base, certification.validity_months)


def renewal_opens_on(certification: Certification, expires_on: date | None) -> date | None:
    """The first day a renewal may be recorded, or None when the vendor has no renewal window."""
    if expires_on is None or certification.renewal_window_months is None:
        return None
    return add_months(expires_on, -certification.renewal_window_months)


def retake_allowed_on(certification: Certification, failed_on: date | None) -> date | None:
    """The first day a failed candidate may sit the exam again."""
    if failed_on is None:
        return None
    return failed_on + timedelta(days=certification.retake_wait_days or 0)


def voucher_expires_on(issued_on: date, certification: Certification | None) -> date | None:
    """The last day a voucher can be used, from the certification's voucher validity."""
    if certification is None or certification.voucher_validity_months is None:
        return None
    return add_months(issued_on, certification.voucher_validity_months)


class CredentialState(Choice):
    UNVERIFIED = "unverified"
    VALID = "valid"
    RENEWAL_DUE = "renewal_due"
    EXPIRED = "expired"
    INVALID = "invalid"


set_labels({
    CredentialState.UNVERIFIED: _l("Awaiting verification"),
    CredentialState.VALID: _l("Valid"),
    CredentialState.RENEWAL_DUE: _l("Renewal due"),
    CredentialState.EXPIRED: _l("Expired"),
    CredentialState.INVALID: _l("Marked invalid"),
})
set_tones({
    CredentialState.UNVERIFIED: Tone.SOON, CredentialState.VALID: Tone.DONE,
    CredentialState.RENEWAL_DUE: Tone.SOON, CredentialState.EXPIRED: Tone.BAD,
    CredentialState.INVALID: Tone.BAD,
})


def credential_state(pursuit, today: date) -> CredentialState | None:
    """Where a passed pursuit's credential stands today; None before passing."""
    if pursuit.stage != "passed":
        return None
    if pursuit.invalidated_at is not None:
        return CredentialState.INVALID
    if pursuit.verified_at is None:
        return CredentialState.UNVERIFIED
    expires = credential_expires_on(pursuit.certification, pursuit.result_date, pursuit.renewed_on)
    if expires is not None and today > expires:
        return CredentialState.EXPIRED
    opens = renewal_opens_on(pursuit.certification, expires)
    if opens is not None and today >= opens:
        return CredentialState.RENEWAL_DUE
    return CredentialState.VALID
