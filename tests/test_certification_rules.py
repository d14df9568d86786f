"""Vendor rules turned into dates (lms/certifications/rules.py), tested at their edges.

Plain model instances, no database: every function here is pure date arithmetic over the
catalog's rules and the recorded facts.
"""
from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale

from lms.catalog.models import Certification
from lms.certifications.models import Pursuit, Stage
from lms.certifications.rules import (
    CredentialState,
    add_months,
    credential_expires_on,
    credential_state,
    renewal_opens_on,
    retake_allowed_on,
    voucher_expires_on,
)

VERIFIED_AT = datetime(2024, 1, 1, 12, 0)


def aws_like(**rules) -> Certification:
    return Certification(**{"validity_months": 36, "retake_wait_days": 14, **rules})


def microsoft_like(**rules) -> Certification:
    return Certification(**{"validity_months": 12, "renewal_window_months": 6, **rules})


def cisco_like(**rules) -> Certification:
    return Certification(**{"validity_months": 36, "voucher_validity_months": 12, **rules})


def passed(certification: Certification, result_date: date, **fields) -> Pursuit:
    """A passed, verified pursuit unless the fields say otherwise."""
    return Pursuit(stage=fields.pop("stage", Stage.PASSED), result_date=result_date,
                   credential_id="CRED-1",
                   verified_at=fields.pop("verified_at", VERIFIED_AT),
                   certification=certification, **fields)


# --- add_months ----------------------------------------------------------------------------

@pytest.mark.parametrize("day, months, expected", [
    # clamped to the end of a shorter month
    (date(2024, 1, 31), 1, date(2024, 2, 29)),   # leap year
    (date(2023, 1, 31), 1, date(2023, 2, 28)),   # common year
    (date(2024, 3, 31), 1, date(2024, 4, 30)),
    (date(2024, 5, 31), 1, date(2024, 6, 30)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2024, 1, 30), 1, date(2024, 2, 29)),
    (date(2024, 1, 29), 1, date(2024, 2, 29)),
    (date(2024, 1, 28), 1, date(2024, 2, 28)),
    # leap days
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 36, date(2027, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(1896, 2, 29), 48, date(1900, 2, 28)),  # 1900 is not a leap year
    (date(1996, 2, 29), 48, date(2000, 2, 29)),  # 2000 is
    (date(2024, 2, 28), 12, date(2025, 2, 28)),
    (date(2023, 2, 28), 12, date(2024, 2, 28)),  # the 28th stays the 28th, not the month's end
    # year wrap, both ways
    (date(2023, 12, 15), 1, date(2024, 1, 15)),
    (date(2024, 12, 31), 12, date(2025, 12, 31)),
    (date(2024, 11, 30), 2, date(2025, 1, 30)),
    (date(2024, 12, 31), 2, date(2025, 2, 28)),
    (date(2024, 1, 15), -1, date(2023, 12, 15)),
    (date(2024, 1, 1), -13, date(2022, 12, 1)),
    (date(2024, 1, 31), -12, date(2023, 1, 31)),
    (date(2024, 12, 1), -12, date(2023, 12, 1)),
    # negative months, clamped
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2023, 3, 31), -1, date(2023, 2, 28)),
    (date(2024, 8, 31), -6, date(2024, 2, 29)),
    (date(2025, 2, 28), -12, date(2024, 2, 28)),
    # zero and long spans
    (date(2024, 1, 31), 0, date(2024, 1, 31)),
    (date(2024, 6, 15), 120, date(2034, 6, 15)),
    (date(2024, 6, 15), -120, date(2014, 6, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_round_trip_is_not_assumed_after_clamping():
    # 31 Jan + 1 month = 29 Feb, and 29 Feb - 1 month = 29 Jan: clamping loses the 31st.
    assert add_months(add_months(date(2024, 1, 31), 1), -1) == date(2024, 1, 29)


# --- credential expiry (AWS-like: 36 months) ---------------------------------------------------

@pytest.mark.parametrize("earned, expires", [
    (date(2024, 2, 29), date(2027, 2, 28)),
    (date(2023, 6, 15), date(2026, 6, 15)),
    (date(2023, 12, 31), date(2026, 12, 31)),
    (date(2025, 2, 28), date(2028, 2, 28)),
])
def test_aws_like_credential_expires_after_36_months(earned, expires):
    assert credential_expires_on(aws_like(), earned) == expires


def test_the_last_valid_day_is_valid_and_the_next_day_expired():
    pursuit = passed(aws_like(), date(2024, 2, 29))
    assert credential_state(pursuit, date(2024, 2, 29)) == CredentialState.VALID
    assert credential_state(pursuit, date(2027, 2, 27)) == CredentialState.VALID
    assert credential_state(pursuit, date(2027, 2, 28)) == CredentialState.VALID
    assert credential_state(pursuit, date(2027, 3, 1)) == CredentialState.EXPIRED
    assert credential_state(pursuit, date(2040, 1, 1)) == CredentialState.EXPIRED


def test_aws_like_credential_has_no_renewal_window():
    certification = aws_like()
    expires = credential_expires_on(certification, date(2024, 2, 29))
    assert renewal_opens_on(certification, expires) is None
    # so it is never "renewal due", only valid and then expired
    pursuit = passed(certification, date(2024, 2, 29))
    assert credential_state(pursuit, date(2027, 2, 1)) == CredentialState.VALID


def test_expiry_counts_from_the_later_of_result_and_renewal():
    certification = microsoft_like()
    result, renewed = date(2024, 3, 15), date(2025, 1, 10)
    assert credential_expires_on(certification, result) == date(2025, 3, 15)
    assert credential_expires_on(certification, result, renewed) == date(2026, 1, 10)
    # a renewal date before the result (bad data) never shortens the credential
    assert credential_expires_on(certification, result, date(2023, 1, 1)) == date(2025, 3, 15)
    # the renewal alone is enough; nothing at all gives nothing
    assert credential_expires_on(certification, None, renewed) == date(2026, 1, 10)
    assert credential_expires_on(certification, None, None) is None


def test_renewal_moves_the_state_back_to_valid():
    pursuit = passed(microsoft_like(), date(2024, 3, 15))
    assert credential_state(pursuit, date(2025, 3, 16)) == CredentialState.EXPIRED
    pursuit.renewed_on = date(2025, 1, 10)
    assert credential_state(pursuit, date(2025, 3, 16)) == CredentialState.VALID
    assert credential_state(pursuit, date(2025, 7, 9)) == CredentialState.VALID
    assert credential_state(pursuit, date(2025, 7, 10)) == CredentialState.RENEWAL_DUE
    assert credential_state(pursuit, date(2026, 1, 10)) == CredentialState.RENEWAL_DUE
    assert credential_state(pursuit, date(2026, 1, 11)) == CredentialState.EXPIRED


# --- no expiry ---------------------------------------------------------------------------------

def test_a_credential_without_validity_never_expires():
    certification = Certification(validity_months=None)
    assert credential_expires_on(certification, date(2000, 1, 1)) is None
    assert credential_expires_on(certification, date(2000, 1, 1), date(2001, 1, 1)) is None
    assert renewal_opens_on(certification, None) is None
    pursuit = passed(certification, date(2000, 2, 29))
    for today in (date(2000, 2, 29), date(2003, 3, 1), date(2100, 12, 31)):
        assert credential_state(pursuit, today) == CredentialState.VALID


def test_no_renewal_window_without_an_expiry_even_if_a_window_is_set():
    # The database refuses a window without validity; the rule is defensive all the same.
    certification = Certification(validity_months=None, renewal_window_months=6)
    assert credential_expires_on(certification, date(2024, 1, 1)) is None
    assert renewal_opens_on(certification, None) is None


# --- renewal window (Microsoft-like: 12 months, renewable in the last 6) ------------------------

def test_renewal_window_opens_six_months_before_expiry():
    certification = microsoft_like()
    expires = credential_expires_on(certification, date(2024, 3, 15))
    assert expires == date(2025, 3, 15)
    assert renewal_opens_on(certification, expires) == date(2024, 9, 15)


def test_renewal_window_opening_is_clamped_to_the_month_end():
    certification = microsoft_like()
    expires = credential_expires_on(certification, date(2024, 8, 31))
    assert expires == date(2025, 8, 31)
    assert renewal_opens_on(certification, expires) == date(2025, 2, 28)


def test_renewal_due_exactly_on_the_opening_day_and_valid_the_day_before():
    pursuit = passed(microsoft_like(), date(2024, 3, 15))
    assert credential_state(pursuit, date(2024, 9, 14)) == CredentialState.VALID
    assert credential_state(pursuit, date(2024, 9, 15)) == CredentialState.RENEWAL_DUE
    assert credential_state(pursuit, date(2025, 3, 15)) == CredentialState.RENEWAL_DUE  # last day
    assert credential_state(pursuit, date(2025, 3, 16)) == CredentialState.EXPIRED


def test_a_window_as_long_as_the_validity_opens_on_the_result_day():
    certification = Certification(validity_months=12, renewal_window_months=12)
    pursuit = passed(certification, date(2024, 5, 10))
    assert renewal_opens_on(certification, date(2025, 5, 10)) == date(2024, 5, 10)
    assert credential_state(pursuit, date(2024, 5, 10)) == CredentialState.RENEWAL_DUE


# --- retake wait ------------------------------------------------------------------------------

@pytest.mark.parametrize("failed_on, allowed_on", [
    (date(2024, 3, 20), date(2024, 4, 3)),
    (date(2024, 2, 20), date(2024, 3, 5)),     # across 29 Feb
    (date(2023, 2, 20), date(2023, 3, 6)),     # across 28 Feb
    (date(2024, 12, 25), date(2025, 1, 8)),    # across the year end
])
def test_aws_like_retake_after_fourteen_days(failed_on, allowed_on):
    certification = aws_like()
    assert retake_allowed_on(certification, failed_on) == allowed_on
    assert allowed_on - failed_on == timedelta(days=14)
    # D + 13 is still too early
    assert failed_on + timedelta(days=13) < retake_allowed_on(certification, failed_on)


@pytest.mark.parametrize("wait", [None, 0])
def test_without_a_wait_the_retake_is_allowed_the_same_day(wait):
    certification = Certification(retake_wait_days=wait)
    assert retake_allowed_on(certification, date(2024, 6, 1)) == date(2024, 6, 1)


def test_no_retake_date_without_a_failure():
    assert retake_allowed_on(aws_like(), None) is None


# --- voucher validity ---------------------------------------------------------------------------

@pytest.mark.parametrize("issued, expires", [
    (date(2024, 6, 15), date(2025, 6, 15)),
    (date(2024, 2, 29), date(2025, 2, 28)),
    (date(2024, 12, 31), date(2025, 12, 31)),
])
def test_cisco_like_voucher_valid_twelve_months(issued, expires):
    assert voucher_expires_on(issued, cisco_like()) == expires


def test_voucher_without_a_rule_or_certification_has_no_expiry():
    assert voucher_expires_on(date(2024, 6, 15), aws_like()) is None
    assert voucher_expires_on(date(2024, 6, 15), None) is None


# --- credential state -----------------------------------------------------------------------

@pytest.mark.parametrize("stage", [s for s in Stage if s != Stage.PASSED])
def test_no_credential_state_before_passing(stage):
    pursuit = passed(aws_like(), date(2024, 1, 1), stage=stage)
    assert credential_state(pursuit, date(2024, 1, 2)) is None


def test_unverified_when_no_mentor_has_verified():
    pursuit = passed(aws_like(), date(2024, 1, 1), verified_at=None)
    assert credential_state(pursuit, date(2024, 1, 2)) == CredentialState.UNVERIFIED
    # "awaiting verification" wins over the calendar
    assert credential_state(pursuit, date(2030, 1, 1)) == CredentialState.UNVERIFIED


def test_invalid_when_invalidated_whatever_the_dates():
    invalidated = datetime(2024, 2, 1, 9, 30)
    pursuit = passed(aws_like(), date(2024, 1, 1), invalidated_at=invalidated)
    assert credential_state(pursuit, date(2024, 2, 2)) == CredentialState.INVALID
    assert credential_state(pursuit, date(2030, 1, 1)) == CredentialState.INVALID
    unverified = passed(aws_like(), date(2024, 1, 1), verified_at=None,
                        invalidated_at=invalidated)
    assert credential_state(unverified, date(2024, 2, 2)) == CredentialState.INVALID


def test_states_have_labels():
    with force_locale("en"):
        labels = {str(state.label) for state in CredentialState}
    assert labels == {
        "Awaiting verification", "Valid", "Renewal due", "Expired", "Marked invalid"}
