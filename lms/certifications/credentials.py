"""After the exam: self-reported results and their verification, renewals, invalidation."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.certifications import voucher_assignment
from lms.certifications.errors import PursuitError
from lms.certifications.models import Pursuit, PursuitStageChange, Stage
from lms.certifications.rules import credential_expires_on, renewal_opens_on, retake_allowed_on
from lms.certifications.services import StageInput, apply_stage, lock_for_change, write_history
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.formats import local_date
from lms.core.model_types import utcnow
from lms.users.models import User

REPORTABLE_FROM = frozenset({Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICE, Stage.READY,
                             Stage.VOUCHER, Stage.SCHEDULED, Stage.FAILED})


def report_result(pursuit: Pursuit, student: User, data: StageInput, today: date) -> Pursuit:
    """A student reports a passed exam; it counts only once a mentor verifies it.
    Self-reports may skip stages the center did not track (e.g. self-study on Coursera)."""
    lock_for_change(pursuit)
    if pursuit.stage not in REPORTABLE_FROM:
        raise PursuitError(_l("A result cannot be reported at this stage."))
    if pursuit.stage == Stage.FAILED:
        _check_retake_wait(pursuit, data.result_date)
    return apply_stage(pursuit, Stage.PASSED, student, data, today,
                       extra={"before_report": _snapshot(pursuit)})


def _check_retake_wait(pursuit: Pursuit, result_date: date | None) -> None:
    """A reported retake must respect the provider's wait after the failed attempt."""
    retake_on = retake_allowed_on(pursuit.certification, pursuit.result_date)
    if result_date and retake_on and result_date < retake_on:
        raise PursuitError(_l("%(provider)s allows a retake from %(date)s.",
                              provider=pursuit.certification.provider.name,
                              date=local_date(retake_on)), "result_date")


# What a report changes and a rejection must put back exactly.
RESTORED = ("attempt", "result_date", "score", "exam_date", "exam_delivery", "booking_reference",
            "self_paid")


def _snapshot(pursuit: Pursuit) -> dict:
    values = {name: getattr(pursuit, name) for name in RESTORED}
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    voucher = voucher_assignment.current_voucher(pursuit)
    return {**values, "voucher_id": voucher.id if voucher else None}


def _restore(pursuit: Pursuit, snapshot: dict) -> None:
    for name in RESTORED:
        value = snapshot.get(name)
        if name in ("result_date", "exam_date") and value:
            value = date.fromisoformat(value)
        setattr(pursuit, name, value)
    if snapshot.get("voucher_id"):
        voucher_assignment.unuse(snapshot["voucher_id"])


def verify_result(pursuit: Pursuit, mentor: User, note: str = "") -> Pursuit:
    """A mentor confirms a self-reported credential: from now on it counts."""
    lock_for_change(pursuit)
    _require_unverified(pursuit)
    pursuit.verified_by_id, pursuit.verified_at = mentor.id, utcnow()
    write_history(pursuit, Stage.PASSED, mentor, note, {"verified": True})
    record("pursuit.verify", pursuit, after={"verified_by": mentor.id}, actor=mentor)
    return pursuit


def reject_result(pursuit: Pursuit, mentor: User, reason: str) -> Pursuit:
    """A mentor refuses a self-reported credential; the path returns to where it was."""
    lock_for_change(pursuit)
    _require_unverified(pursuit)
    if not (reason or "").strip():
        raise PursuitError(_l("Give the reason."), "reason")
    report = _last_report(pursuit)
    back_to = report.from_stage if report else Stage.INTERESTED
    pursuit.stage = back_to
    pursuit.credential_id = pursuit.verification_url = None
    _restore(pursuit, (report.details or {}).get("before_report", {}) if report else {})
    write_history(pursuit, Stage.PASSED, mentor, reason, {"rejected": True})
    record("pursuit.reject", pursuit, before={"stage": "passed"}, after={"stage": back_to.value},
           actor=mentor)
    return pursuit


def _last_report(pursuit: Pursuit) -> PursuitStageChange | None:
    """The history row of the report being rejected (the last move into "passed")."""
    query = (sa.select(PursuitStageChange)
             .where(PursuitStageChange.pursuit_id == pursuit.id,
                    PursuitStageChange.to_stage == Stage.PASSED,
                    PursuitStageChange.from_stage != Stage.PASSED)
             .order_by(PursuitStageChange.id.desc()).limit(1))
    return db.session.scalar(query)


def _require_unverified(pursuit: Pursuit) -> None:
    if pursuit.stage != Stage.PASSED or pursuit.verified_at is not None:
        raise PursuitError(_l("Nothing is awaiting verification on this path."))


def record_renewal(pursuit: Pursuit, actor: User, renewed_on: date | None, today: date,
                   note: str = "") -> Pursuit:
    """Renew a credential inside its renewal window; the new expiry is computed from it."""
    _require_valid_credential(pursuit)
    if renewed_on is None:
        raise PursuitError(_l("Enter the renewal date."), "renewed_on")
    if renewed_on > today:
        raise PursuitError(_l("This date cannot be in the future."), "renewed_on")
    expires = credential_expires_on(pursuit.certification, pursuit.result_date, pursuit.renewed_on)
    opens = renewal_opens_on(pursuit.certification, expires)
    if opens is None:
        raise PursuitError(_l("This certification has no renewal."))
    if not opens <= renewed_on <= expires:
        raise PursuitError(_l("A renewal is possible from %(opens)s to %(expires)s.",
                              opens=local_date(opens), expires=local_date(expires)), "renewed_on")
    before = pursuit.renewed_on
    pursuit.renewed_on = renewed_on
    write_history(pursuit, Stage.PASSED, actor, note, {"renewed_on": renewed_on.isoformat()})
    record("pursuit.renew", pursuit, before={"renewed_on": before and before.isoformat()},
           after={"renewed_on": renewed_on.isoformat()}, actor=actor)
    return pursuit


def invalidate(pursuit: Pursuit, actor: User, reason: str) -> Pursuit:
    """Mark a credential invalid (revoked by the vendor, recorded in error): it stops counting."""
    _require_valid_credential(pursuit)
    if not (reason or "").strip():
        raise PursuitError(_l("Give the reason."), "reason")
    pursuit.invalidated_at, pursuit.invalid_reason = utcnow(), reason.strip()
    write_history(pursuit, Stage.PASSED, actor, reason, {"invalidated": True})
    record("pursuit.invalidate", pursuit, after={"invalid_reason": pursuit.invalid_reason},
           actor=actor)
    return pursuit


def _require_valid_credential(pursuit: Pursuit) -> None:
    """Renewal and invalidation apply to verified credentials (unverified ones are rejected)."""
    if (pursuit.stage != Stage.PASSED or pursuit.invalidated_at is not None
            or pursuit.verified_at is None):
        raise PursuitError(_l("Only a valid credential can be changed like this."))
