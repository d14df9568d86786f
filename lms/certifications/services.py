"""The pursuit engine: every rule about moving along the road to a credential lives here.

Views and the API call these functions; each validates, changes the pursuit, writes one stage
history row and one audit entry, and leaves the commit to the caller's request transaction.
"""
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.access import is_staff
from lms.catalog.models import Certification
from lms.certifications import voucher_assignment
from lms.certifications.errors import PursuitError
from lms.certifications.history import previous_reach
from lms.certifications.models import PracticeScore, Pursuit, PursuitStageChange, Stage
from lms.certifications.rules import credential_expires_on, renewal_opens_on, retake_allowed_on
from lms.cohorts.models import Cohort
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.formats import local_date
from lms.core.model_types import utcnow
from lms.users.models import User
from lms.worklog.counters import count_work

OPEN_STAGES = frozenset(Stage) - {Stage.PASSED, Stage.WITHDRAWN}
# Where a pursuit may go from each stage (SPEC §3); anything else is an illegal jump.
TRANSITIONS: dict[Stage, tuple[Stage, ...]] = {
    Stage.INTERESTED: (Stage.PREPARING, Stage.WITHDRAWN),
    Stage.PREPARING: (Stage.PRACTICE, Stage.WITHDRAWN),
    Stage.PRACTICE: (Stage.READY, Stage.WITHDRAWN),
    Stage.READY: (Stage.VOUCHER, Stage.WITHDRAWN),
    Stage.VOUCHER: (Stage.SCHEDULED, Stage.WITHDRAWN),
    Stage.SCHEDULED: (Stage.PASSED, Stage.FAILED, Stage.WITHDRAWN),
    Stage.FAILED: (Stage.PREPARING, Stage.PRACTICE, Stage.SCHEDULED, Stage.WITHDRAWN),
    Stage.PASSED: (),
    Stage.WITHDRAWN: (Stage.INTERESTED,),
}
NEW_ATTEMPT_FROM = Stage.FAILED


@dataclass
class StageInput:
    """What a stage form collected; only the fields of the target stage are read."""

    note: str = ""
    prep_platform: str | None = None
    prep_cohort_id: int | None = None
    prep_started_on: date | None = None
    practice_percent: int | None = None
    practice_taken_on: date | None = None
    practice_source: str = ""
    voucher_id: int | None = None
    self_paid: bool = False
    exam_date: date | None = None
    exam_delivery: str | None = None
    booking_reference: str | None = None
    result_date: date | None = None
    score: int | None = None
    credential_id: str | None = None
    verification_url: str | None = None
    reason: str | None = None
    extra: dict = field(default_factory=dict)


def allowed_moves(pursuit: Pursuit) -> tuple[Stage, ...]:
    return TRANSITIONS[pursuit.stage]


def start_pursuit(student: User, certification: Certification, actor: User,
                  note: str = "") -> Pursuit:
    """Open a pursuit (stage interested) for a student of a center."""
    if not certification.is_active:
        raise PursuitError(_l("This certification is no longer offered."))
    if _open_pursuit_exists(student.id, certification.id):
        raise PursuitError(_l("There is already an open path to this certification."))
    pursuit = Pursuit(student_id=student.id, certification_id=certification.id,
                      center_id=student.center_id, stage=Stage.INTERESTED, attempt=1)
    pursuit.certification = certification
    db.session.add(pursuit)
    db.session.flush()
    write_history(pursuit, None, actor, note, {})
    record("pursuit.start", pursuit, after={"certification_id": certification.id}, actor=actor)
    return pursuit


def _open_pursuit_exists(student_id: int, certification_id: int) -> bool:
    query = sa.select(Pursuit.id).where(
        Pursuit.student_id == student_id, Pursuit.certification_id == certification_id,
        Pursuit.stage.in_(OPEN_STAGES))
    return db.session.scalar(query) is not None


def guardian_warning(student: User, certification: Certification, today: date):
    """The provider's age rule as a warning for this student, or None."""
    age = student.profile.age_on(today) if student.profile else None
    if certification.min_age is not None and age is not None and age < certification.min_age:
        return _l("%(provider)s requires candidates to be at least %(age)d years old.",
                  provider=certification.provider.name, age=certification.min_age)
    if certification.guardian_acceptance_under is not None and (
            age is None or age < certification.guardian_acceptance_under):
        return _l("%(provider)s requires a parent or guardian to accept the exam terms for "
                  "candidates under %(age)d.", provider=certification.provider.name,
                  age=certification.guardian_acceptance_under)
    return None


def move_pursuit(pursuit: Pursuit, to_stage: Stage, actor: User, data: StageInput,
                 today: date) -> Pursuit:
    """Move a pursuit to `to_stage` with the fields that stage requires, or refuse."""
    lock_for_change(pursuit)
    if to_stage not in TRANSITIONS[pursuit.stage]:
        raise PursuitError(_l("A path cannot go from “%(from)s” to “%(to)s”.",
                              **{"from": pursuit.stage.label, "to": to_stage.label}))
    return apply_stage(pursuit, to_stage, actor, data, today)


def lock_for_change(pursuit: Pursuit) -> None:
    """Re-read the pursuit under a row lock (SELECT … FOR UPDATE on PostgreSQL): a concurrent
    change of the same path waits for this transaction, then sees its result, so two moves made
    from the same page never both land. Refuses when the stage changed since it was loaded."""
    seen = pursuit.stage
    # Lock only the pursuits row (its eager joins cannot be locked), then re-read it all: under
    # READ COMMITTED the re-read sees what the transaction we waited for committed.
    db.session.execute(sa.select(Pursuit.id).where(Pursuit.id == pursuit.id).with_for_update())
    db.session.refresh(pursuit)
    if pursuit.stage != seen:
        raise PursuitError(_l("Someone else changed this path meanwhile; it is now at "
                              "“%(stage)s”. Check it and try again.", stage=pursuit.stage.label))


def apply_stage(pursuit: Pursuit, to_stage: Stage, actor: User, data: StageInput,
                today: date, extra: dict | None = None) -> Pursuit:
    """Validate and write a stage change whose legality the caller has established;
    `extra` is kept in the history beside the stage's own fields."""
    from_stage = pursuit.stage
    if from_stage == NEW_ATTEMPT_FROM and to_stage != Stage.WITHDRAWN:
        _start_new_attempt(pursuit)
    details = {**STAGE_HANDLERS[to_stage](pursuit, actor, data, today), **(extra or {})}
    pursuit.stage = to_stage
    pursuit.updated_at = utcnow()
    write_history(pursuit, from_stage, actor, data.note, details)
    record("pursuit.move", pursuit, before={"stage": from_stage.value},
           after={"stage": to_stage.value, "attempt": pursuit.attempt, **details}, actor=actor)
    return pursuit


def _start_new_attempt(pursuit: Pursuit) -> None:
    """A retake keeps the history; the result of the failed attempt is cleared on the pursuit."""
    pursuit.attempt += 1
    pursuit.result_date = pursuit.score = None
    pursuit.exam_date = pursuit.exam_delivery = pursuit.booking_reference = None
    pursuit.self_paid = False


def _require(value, message, field_name):
    if value in (None, ""):
        raise PursuitError(message, field_name)
    return value


def _not_in_future(day: date, today: date, field_name: str) -> None:
    if day > today:
        raise PursuitError(_l("This date cannot be in the future."), field_name)


def _to_preparing(pursuit, actor, data: StageInput, today) -> dict:
    if not (data.prep_platform or data.prep_cohort_id):
        raise PursuitError(_l("Name a preparation platform or choose a cohort."), "prep_platform")
    started = _require(data.prep_started_on, _l("Enter the start date."), "prep_started_on")
    if data.prep_cohort_id and not _cohort_of_center(data.prep_cohort_id, pursuit.center_id):
        raise PursuitError(_l("Choose a cohort of this center."), "prep_cohort_id")
    pursuit.prep_platform, pursuit.prep_cohort_id = data.prep_platform or None, data.prep_cohort_id
    pursuit.prep_started_on = started
    return {"prep_platform": pursuit.prep_platform, "prep_cohort_id": data.prep_cohort_id,
            "prep_started_on": started.isoformat()}


def _cohort_of_center(cohort_id: int, center_id: int) -> bool:
    query = sa.select(Cohort.id).where(Cohort.id == cohort_id, Cohort.center_id == center_id)
    return db.session.scalar(query) is not None


def _to_practice(pursuit, actor, data: StageInput, today) -> dict:
    score = add_practice_score(pursuit, actor, data.practice_taken_on, data.practice_percent,
                               data.practice_source, today)
    return {"practice_percent": score.percent, "practice_taken_on": score.taken_on.isoformat()}


def _to_ready(pursuit, actor, data: StageInput, today) -> dict:
    threshold = pursuit.certification.readiness_threshold
    best = best_practice_percent(pursuit)
    if threshold is not None and (best is None or best < threshold):
        raise PursuitError(_l("The readiness threshold is %(threshold)d %%; the best practice "
                              "score so far is %(best)s.", threshold=threshold,
                              best=f"{best} %" if best is not None else "—"))
    pursuit.ready_signed_off_by_id, pursuit.ready_signed_off_at = actor.id, utcnow()
    return {"signed_off_by": actor.id, "best_practice_percent": best}


def _to_voucher(pursuit, actor, data: StageInput, today) -> dict:
    if data.self_paid:
        pursuit.self_paid = True
        return {"self_paid": True}
    voucher_id = _require(data.voucher_id, _l("Choose a voucher or mark the exam as self-paid."),
                          "voucher_id")
    voucher = voucher_assignment.assign(pursuit, voucher_id, actor, today)
    return {"voucher_id": voucher.id, "voucher": voucher.masked_code}


def _to_scheduled(pursuit, actor, data: StageInput, today) -> dict:
    exam = _require(data.exam_date, _l("Enter the exam date."), "exam_date")
    delivery = _require(data.exam_delivery, _l("Choose how the exam is delivered."), "exam_delivery")
    reference = _require(data.booking_reference, _l("Enter the booking reference."),
                         "booking_reference")
    retake_on = retake_allowed_on(pursuit.certification, last_failed_on(pursuit))
    if retake_on is not None and exam < retake_on:
        raise PursuitError(_l("%(provider)s allows a retake from %(date)s.",
                              provider=pursuit.certification.provider.name,
                              date=local_date(retake_on)), "exam_date")
    voucher_assignment.check_covers_exam(pursuit, exam)
    pursuit.exam_date, pursuit.exam_delivery, pursuit.booking_reference = exam, delivery, reference
    return {"exam_date": exam.isoformat(), "exam_delivery": str(delivery),
            "booking_reference": reference}


def _record_result(pursuit, data: StageInput, today) -> dict:
    result = _require(data.result_date, _l("Enter the result date."), "result_date")
    _not_in_future(result, today, "result_date")
    if pursuit.exam_date and result < pursuit.exam_date:
        raise PursuitError(_l("The result cannot come before the exam date."), "result_date")
    pursuit.result_date, pursuit.score = result, data.score
    voucher_assignment.mark_used(pursuit)
    return {"result_date": result.isoformat(), "score": data.score}


def _to_passed(pursuit, actor, data: StageInput, today) -> dict:
    credential = _require((data.credential_id or "").strip(), _l("Enter the credential id."),
                          "credential_id")
    details = _record_result(pursuit, data, today)
    pursuit.credential_id = credential
    pursuit.verification_url = data.verification_url or verification_link(pursuit)
    if is_staff(actor):  # a mentor's record is verified; a student's waits for a mentor
        pursuit.verified_by_id, pursuit.verified_at = actor.id, utcnow()
    return {**details, "credential_id": credential, "verification_url": pursuit.verification_url}


def _to_failed(pursuit, actor, data: StageInput, today) -> dict:
    details = _record_result(pursuit, data, today)
    retake_on = retake_allowed_on(pursuit.certification, pursuit.result_date)
    return {**details, "retake_allowed_on": retake_on.isoformat() if retake_on else None}


def _to_withdrawn(pursuit, actor, data: StageInput, today) -> dict:
    reason = _require((data.reason or "").strip(), _l("Give the reason."), "reason")
    pursuit.withdraw_reason = reason
    released = voucher_assignment.release(pursuit, actor)
    return {"reason": reason, "released_voucher_id": released}


def _to_interested(pursuit, actor, data: StageInput, today) -> dict:
    if _open_pursuit_exists(pursuit.student_id, pursuit.certification_id):
        raise PursuitError(_l("There is already an open path to this certification."))
    pursuit.withdraw_reason = None
    return {}


STAGE_HANDLERS = {
    Stage.INTERESTED: _to_interested, Stage.PREPARING: _to_preparing,
    Stage.PRACTICE: _to_practice, Stage.READY: _to_ready, Stage.VOUCHER: _to_voucher,
    Stage.SCHEDULED: _to_scheduled, Stage.PASSED: _to_passed, Stage.FAILED: _to_failed,
    Stage.WITHDRAWN: _to_withdrawn,
}


def add_practice_score(pursuit: Pursuit, actor: User, taken_on: date | None,
                       percent: int | None, source: str, today: date) -> PracticeScore:
    """Record a dated practice score (0–100 %) on a pursuit."""
    taken = _require(taken_on, _l("Enter the date of the practice test."), "practice_taken_on")
    _not_in_future(taken, today, "practice_taken_on")
    if percent is None or not 0 <= percent <= 100:
        raise PursuitError(_l("A practice score is a percentage from 0 to 100."),
                           "practice_percent")
    score = PracticeScore(pursuit_id=pursuit.id, taken_on=taken, percent=percent,
                          source=(source or "").strip(), recorded_by_id=actor.id)
    db.session.add(score)
    db.session.flush()
    record("pursuit.practice", pursuit, after={"percent": percent, "taken_on": taken.isoformat()},
           actor=actor)
    return score


def record_practice(pursuit: Pursuit, actor: User, data: StageInput, today: date) -> PracticeScore:
    """Another practice score while practising (no stage change)."""
    if pursuit.stage not in (Stage.PRACTICE, Stage.READY, Stage.VOUCHER, Stage.SCHEDULED):
        raise PursuitError(_l("Practice scores are recorded from the practice stage on."))
    return add_practice_score(pursuit, actor, data.practice_taken_on, data.practice_percent,
                              data.practice_source, today)


def best_practice_percent(pursuit: Pursuit) -> int | None:
    query = sa.select(sa.func.max(PracticeScore.percent)).where(
        PracticeScore.pursuit_id == pursuit.id)
    return db.session.scalar(query)


def last_failed_on(pursuit: Pursuit) -> date | None:
    """The result date of the most recent failed attempt, from the stage history."""
    query = (sa.select(PursuitStageChange.details)
             .where(PursuitStageChange.pursuit_id == pursuit.id,
                    PursuitStageChange.to_stage == Stage.FAILED)
             .order_by(PursuitStageChange.id.desc()).limit(1))
    details = db.session.scalar(query)
    if not details or not details.get("result_date"):
        return None
    return date.fromisoformat(details["result_date"])


def verification_link(pursuit: Pursuit) -> str | None:
    """The provider's verification URL for the credential id, from the catalog's pattern."""
    pattern = pursuit.certification.verification_url_pattern
    if not (pattern and pursuit.credential_id):
        return None
    return pattern.replace("{id}", quote(pursuit.credential_id, safe=""))


def credential_dates(pursuit: Pursuit) -> dict:
    """Expiry and renewal window of a passed pursuit, computed from the vendor rules."""
    expires = credential_expires_on(pursuit.certification, pursuit.result_date, pursuit.renewed_on)
    return {"expires_on": expires, "renewal_opens_on": renewal_opens_on(pursuit.certification, expires)}


def write_history(pursuit: Pursuit, from_stage: Stage | None, actor: User, note: str,
             details: dict) -> PursuitStageChange:
    now = utcnow()
    change = PursuitStageChange(pursuit_id=pursuit.id, center_id=pursuit.center_id,
                                from_stage=from_stage,
                                to_stage=pursuit.stage, attempt=pursuit.attempt,
                                actor_id=actor.id, note=(note or "").strip(), details=details,
                                created_at=now,
                                previous_reach_at=previous_reach(pursuit.id, pursuit.stage))
    db.session.add(change)
    count_work(pursuit.center_id, actor.id, now.date(), stage_changes=1)
    return change
