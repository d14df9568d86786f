"""The pursuit engine on the real database: stages, history, vouchers, results and credentials.

Service level, no HTTP. Every call gets an explicit `today`, so the dates below are exact.
Refusals are followed by the rollback the views do (routes._refused) before checking that
nothing changed in the database.
"""
import contextvars
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from flask_babel import force_locale
from flask_login import login_user

from lms.access import may_see_voucher_code
from lms.catalog.models import Certification, Provider
from lms.certifications import credentials, services, voucher_assignment
from lms.certifications.display import shown_code
from lms.certifications.errors import PursuitError
from lms.certifications.models import (
    PracticeScore,
    Pursuit,
    PursuitStageChange,
    Stage,
    Voucher,
    VoucherStatus,
)
from lms.certifications.rules import CredentialState, credential_state
from lms.certifications.services import TRANSITIONS, StageInput, move_pursuit
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import Role, User
from tests.factories import audit, count, make_certification, make_pursuit, make_user, make_voucher

TODAY = date(2025, 6, 16)
# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def days(n: int) -> timedelta:
    return timedelta(days=n)


@pytest.fixture(autouse=True)
def english(app_ctx):
    """Messages and stage labels are lazy; outside a request they need a locale (see
    test_a_refusal_outside_a_request_is_still_a_pursuit_error)."""
    with force_locale("en"):
        yield


# --- helpers --------------------------------------------------------------------------------

VALID_FIELDS = {
    Stage.INTERESTED: {},
    Stage.PREPARING: {"prep_platform": "AWS Skill Builder", "prep_started_on": TODAY - days(60)},
    Stage.PRACTICE: {"practice_taken_on": TODAY - days(30), "practice_percent": 78,
                     "practice_source": "Tutorials Dojo"},
    Stage.READY: {},
    Stage.VOUCHER: {"self_paid": True},
    Stage.SCHEDULED: {"exam_date": TODAY - days(10), "exam_delivery": "online",
                      "booking_reference": "PV-12345"},
    Stage.PASSED: {"result_date": TODAY - days(9), "score": 812, "credential_id": "AWS-CCP-0001"},
    Stage.FAILED: {"result_date": TODAY - days(9), "score": 640},
    Stage.WITHDRAWN: {"reason": "Moved to another city"},
}

PATH_TO = {
    Stage.INTERESTED: [],
    Stage.PREPARING: [Stage.PREPARING],
    Stage.PRACTICE: [Stage.PREPARING, Stage.PRACTICE],
    Stage.READY: [Stage.PREPARING, Stage.PRACTICE, Stage.READY],
    Stage.VOUCHER: [Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER],
    Stage.SCHEDULED: [Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER,
                      Stage.SCHEDULED],
    Stage.PASSED: [Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER, Stage.SCHEDULED,
                   Stage.PASSED],
    Stage.FAILED: [Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER, Stage.SCHEDULED,
                   Stage.FAILED],
    Stage.WITHDRAWN: [Stage.WITHDRAWN],
}

LEGAL = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
ILLEGAL = [(source, target) for source in Stage for target in Stage
           if target not in TRANSITIONS[source]]


def fields(stage: Stage, **overrides) -> StageInput:
    return StageInput(**{**VALID_FIELDS[stage], **overrides})


def drive(pursuit: Pursuit, stage: Stage, actor, today: date = TODAY, **overrides) -> Pursuit:
    """Walk a pursuit along the legal road to `stage`; overrides apply to every step."""
    for step in PATH_TO[stage]:
        keys = set(VALID_FIELDS[step]) | ({"voucher_id"} if step == Stage.VOUCHER else set())
        step_fields = {key: value for key, value in overrides.items() if key in keys}
        move_pursuit(pursuit, step, actor, fields(step, **step_fields), today)
    db.session.commit()
    return pursuit


def history(pursuit: Pursuit) -> list[PursuitStageChange]:
    return list(db.session.scalars(sa.select(PursuitStageChange)
                                   .where(PursuitStageChange.pursuit_id == pursuit.id)
                                   .order_by(PursuitStageChange.id)))


def refused(call, field_name=None, contains: str | None = None) -> PursuitError:
    """The call raises PursuitError on `field_name`; the caller's rollback follows, as in a view."""
    with pytest.raises(PursuitError) as caught:
        call()
    error = caught.value
    assert error.field_name == field_name, str(error.message)
    if contains is not None:
        assert contains in str(error.message)
    db.session.rollback()
    return error


def snapshot(pursuit: Pursuit) -> dict:
    db.session.refresh(pursuit)
    return {"stage": pursuit.stage, "attempt": pursuit.attempt, "result_date": pursuit.result_date,
            "credential_id": pursuit.credential_id, "exam_date": pursuit.exam_date,
            "history": len(history(pursuit)), "scores": count(PracticeScore),
            "audit": count(AuditEntry)}


def at_stage(world, stage: Stage, certification=None, **overrides) -> Pursuit:
    """A fresh pursuit of center a's student, brought to `stage` by the mentor."""
    certification = certification or world.certification
    if certification.id == world.certification.id:
        pursuit = world.a.pursuit
    else:
        pursuit = services.start_pursuit(world.a.student, certification, world.a.mentor)
        db.session.commit()
    return drive(pursuit, stage, world.a.mentor, **overrides)


# --- starting a path ----------------------------------------------------------------------

def test_start_pursuit_writes_stage_attempt_history_and_audit(world):
    certification = make_certification(name="Cloud Practitioner")
    pursuit = services.start_pursuit(world.a.student, certification, world.a.mentor,
                                     note="  Asked at the open day  ")
    db.session.commit()

    db.session.refresh(pursuit)
    assert (pursuit.stage, pursuit.attempt) == (Stage.INTERESTED, 1)
    assert pursuit.student_id == world.a.student.id
    assert pursuit.center_id == world.a.center.id
    assert pursuit.certification_id == certification.id
    [change] = history(pursuit)
    assert change.from_stage is None and change.to_stage == Stage.INTERESTED
    assert change.attempt == 1 and change.actor_id == world.a.mentor.id
    assert change.note == "Asked at the open day"
    assert change.details == {}
    [entry] = audit("pursuit.start", pursuit)
    assert entry.center_id == world.a.center.id
    assert entry.after == {"certification_id": certification.id}


def test_start_pursuit_audit_names_the_signed_in_user(app, world):
    certification = make_certification()
    with app.test_request_context("/"), force_locale("en"):
        login_user(world.a.mentor)
        pursuit = services.start_pursuit(world.a.student, certification, world.a.mentor)
        db.session.commit()
    [entry] = audit("pursuit.start", pursuit)
    assert entry.actor_id == world.a.mentor.id


def test_a_second_open_path_to_the_same_certification_is_refused(world):
    before = count(Pursuit)
    refused(lambda: services.start_pursuit(world.a.student, world.certification, world.a.mentor),
            contains="already an open path")
    assert count(Pursuit) == before
    # another student, or another certification, is fine
    services.start_pursuit(world.a.minor, world.certification, world.a.mentor)
    services.start_pursuit(world.a.student, make_certification(), world.a.mentor)
    db.session.commit()
    assert count(Pursuit) == before + 2


@pytest.mark.parametrize("closing_stage", [Stage.WITHDRAWN, Stage.PASSED])
def test_a_closed_path_frees_the_certification(world, closing_stage):
    drive(world.a.pursuit, closing_stage, world.a.mentor)
    again = services.start_pursuit(world.a.student, world.certification, world.a.mentor)
    db.session.commit()
    assert again.id != world.a.pursuit.id and again.stage == Stage.INTERESTED


def test_an_inactive_certification_cannot_be_started(world):
    retired = make_certification(is_active=False)
    refused(lambda: services.start_pursuit(world.a.student, retired, world.a.mentor),
            contains="no longer offered")
    assert count(Pursuit) == 2


# --- age rules --------------------------------------------------------------------------------

def student_aged(world, born: date):
    return make_user(Role.STUDENT, world.a.center, profile={"date_of_birth": born})


def test_guardian_warning_for_a_fifteen_year_old(world):
    certification = make_certification(guardian_acceptance_under=18)
    fifteen = student_aged(world, date(2010, 6, 16))          # 15 exactly on TODAY
    warning = services.guardian_warning(fifteen, certification, TODAY)
    assert str(warning) == ("Amazon Web Services requires a parent or guardian to accept the "
                            "exam terms for candidates under 18.")


def test_guardian_warning_edges_of_the_age(world):
    certification = make_certification(guardian_acceptance_under=18)
    almost = student_aged(world, date(2007, 6, 17))           # 17, 18 tomorrow
    adult = student_aged(world, date(2007, 6, 16))            # 18 today
    unknown = student_aged(world, None)
    assert services.guardian_warning(almost, certification, TODAY) is not None
    assert services.guardian_warning(adult, certification, TODAY) is None
    # an unknown age is treated as possibly under age
    assert services.guardian_warning(unknown, certification, TODAY) is not None
    assert services.guardian_warning(almost, make_certification(), TODAY) is None


def test_min_age_warning(world):
    certification = make_certification(min_age=16)
    fifteen = student_aged(world, date(2009, 6, 17))          # 16 tomorrow
    sixteen = student_aged(world, date(2009, 6, 16))          # 16 today
    assert str(services.guardian_warning(fifteen, certification, TODAY)) == (
        "Amazon Web Services requires candidates to be at least 16 years old.")
    assert services.guardian_warning(sixteen, certification, TODAY) is None
    assert services.guardian_warning(student_aged(world, None), certification, TODAY) is None


def test_min_age_warning_comes_before_the_guardian_one(world):
    certification = make_certification(min_age=16, guardian_acceptance_under=18)
    fifteen = student_aged(world, date(2010, 1, 1))
    assert "at least 16" in str(services.guardian_warning(fifteen, certification, TODAY))
    seventeen = student_aged(world, date(2008, 1, 1))
    assert "under 18" in str(services.guardian_warning(seventeen, certification, TODAY))


# --- the stage machine ----------------------------------------------------------------------

def expected_details(target: Stage, data: StageInput, actor) -> dict:
    iso = lambda day: day.isoformat()  # noqa: E731
    expected = {
        Stage.INTERESTED: lambda: {},
        Stage.PREPARING: lambda: {"prep_platform": data.prep_platform, "prep_cohort_id": None,
                                  "prep_started_on": iso(data.prep_started_on)},
        Stage.PRACTICE: lambda: {"practice_percent": data.practice_percent,
                                 "practice_taken_on": iso(data.practice_taken_on)},
        Stage.READY: lambda: {"signed_off_by": actor.id, "best_practice_percent": 78},
        Stage.VOUCHER: lambda: {"self_paid": True},
        Stage.SCHEDULED: lambda: {"exam_date": iso(data.exam_date), "exam_delivery": "online",
                                  "booking_reference": "PV-12345"},
        Stage.PASSED: lambda: {"result_date": iso(data.result_date), "score": 812,
                               "credential_id": "AWS-CCP-0001", "verification_url": None},
        Stage.FAILED: lambda: {"result_date": iso(data.result_date), "score": 640,
                               "retake_allowed_on": iso(data.result_date)},
        Stage.WITHDRAWN: lambda: {"reason": "Moved to another city", "released_voucher_id": None},
    }
    return expected[target]()


def check_stage_fields(pursuit: Pursuit, target: Stage, data: StageInput, actor) -> None:
    if target == Stage.PREPARING:
        assert (pursuit.prep_platform, pursuit.prep_started_on) == (data.prep_platform,
                                                                    data.prep_started_on)
    elif target == Stage.PRACTICE:
        scores = db.session.scalars(sa.select(PracticeScore)
                                    .where(PracticeScore.pursuit_id == pursuit.id)
                                    .order_by(PracticeScore.id)).all()
        assert [(s.percent, s.taken_on, s.source, s.recorded_by_id) for s in scores][-1] == (
            78, data.practice_taken_on, "Tutorials Dojo", actor.id)
    elif target == Stage.READY:
        assert pursuit.ready_signed_off_by_id == actor.id
        assert pursuit.ready_signed_off_at is not None
    elif target == Stage.VOUCHER:
        assert pursuit.self_paid is True
    elif target == Stage.SCHEDULED:
        assert (pursuit.exam_date, pursuit.exam_delivery, pursuit.booking_reference) == (
            data.exam_date, "online", "PV-12345")
    elif target == Stage.PASSED:
        assert (pursuit.result_date, pursuit.score, pursuit.credential_id) == (
            data.result_date, 812, "AWS-CCP-0001")
        assert pursuit.verified_by_id == actor.id and pursuit.verified_at is not None
    elif target == Stage.FAILED:
        assert (pursuit.result_date, pursuit.score) == (data.result_date, 640)
    elif target == Stage.WITHDRAWN:
        assert pursuit.withdraw_reason == "Moved to another city"
    elif target == Stage.INTERESTED:
        assert pursuit.withdraw_reason is None


def test_the_transition_table_matches_the_spec():
    assert len(LEGAL) == 18 and len(ILLEGAL) == 63
    assert TRANSITIONS[Stage.PASSED] == ()
    for source in Stage:
        if source not in (Stage.PASSED, Stage.WITHDRAWN):
            assert Stage.WITHDRAWN in TRANSITIONS[source]


@pytest.mark.parametrize("source, target", LEGAL, ids=[f"{s}->{t}" for s, t in LEGAL])
def test_every_legal_transition(world, source, target):
    mentor = world.a.mentor
    pursuit = drive(world.a.pursuit, source, mentor)
    before = len(history(pursuit))
    overrides = {"exam_date": TODAY} if (source, target) == (Stage.FAILED, Stage.SCHEDULED) else {}
    data = fields(target, note="  Spoke with the student  ", **overrides)

    move_pursuit(pursuit, target, mentor, data, TODAY)
    db.session.commit()

    db.session.refresh(pursuit)
    attempt = 2 if source == Stage.FAILED and target != Stage.WITHDRAWN else 1
    assert (pursuit.stage, pursuit.attempt) == (target, attempt)
    check_stage_fields(pursuit, target, data, mentor)
    changes = history(pursuit)
    assert len(changes) == before + 1
    change = changes[-1]
    assert (change.from_stage, change.to_stage) == (source, target)
    assert (change.actor_id, change.attempt) == (mentor.id, attempt)
    assert change.note == "Spoke with the student"
    details = expected_details(target, data, mentor)
    assert change.details == details
    entry = audit("pursuit.move", pursuit)[-1]
    assert entry.center_id == world.a.center.id
    assert entry.before == {"stage": source.value}
    assert entry.after == {"stage": target.value, "attempt": attempt, **details}
    assert services.allowed_moves(pursuit) == TRANSITIONS[target]


@pytest.mark.parametrize("source, target", ILLEGAL, ids=[f"{s}->{t}" for s, t in ILLEGAL])
def test_every_illegal_transition_is_refused_and_changes_nothing(world, source, target):
    pursuit = drive(world.a.pursuit, source, world.a.mentor)
    before = snapshot(pursuit)

    with pytest.raises(PursuitError) as caught:
        move_pursuit(pursuit, target, world.a.mentor, fields(target), TODAY)

    assert caught.value.field_name is None
    assert str(caught.value.message) == (
        f"A path cannot go from “{source.label}” to “{target.label}”.")
    # refused before anything was touched: nothing even waits in the session
    assert pursuit.stage == source
    assert not db.session.dirty and not db.session.new
    db.session.rollback()
    assert snapshot(pursuit) == before


# --- required fields, stage by stage ----------------------------------------------------------

MISSING = [
    # (target stage, overrides, field)
    (Stage.PREPARING, {"prep_platform": None}, "prep_platform"),
    (Stage.PREPARING, {"prep_platform": ""}, "prep_platform"),
    (Stage.PREPARING, {"prep_started_on": None}, "prep_started_on"),
    (Stage.PRACTICE, {"practice_taken_on": None}, "practice_taken_on"),
    (Stage.PRACTICE, {"practice_taken_on": TODAY + days(1)}, "practice_taken_on"),
    (Stage.PRACTICE, {"practice_percent": None}, "practice_percent"),
    (Stage.PRACTICE, {"practice_percent": -1}, "practice_percent"),
    (Stage.PRACTICE, {"practice_percent": 101}, "practice_percent"),
    (Stage.VOUCHER, {"self_paid": False}, "voucher_id"),
    (Stage.SCHEDULED, {"exam_date": None}, "exam_date"),
    (Stage.SCHEDULED, {"exam_delivery": None}, "exam_delivery"),
    (Stage.SCHEDULED, {"exam_delivery": ""}, "exam_delivery"),
    (Stage.SCHEDULED, {"booking_reference": None}, "booking_reference"),
    (Stage.SCHEDULED, {"booking_reference": ""}, "booking_reference"),
    (Stage.PASSED, {"credential_id": None}, "credential_id"),
    (Stage.PASSED, {"credential_id": "   "}, "credential_id"),
    (Stage.PASSED, {"result_date": None}, "result_date"),
    (Stage.PASSED, {"result_date": TODAY + days(1)}, "result_date"),
    (Stage.PASSED, {"result_date": TODAY - days(11)}, "result_date"),  # the exam was on -10
    (Stage.FAILED, {"result_date": None}, "result_date"),
    (Stage.FAILED, {"result_date": TODAY + days(1)}, "result_date"),
    (Stage.FAILED, {"result_date": TODAY - days(11)}, "result_date"),
    (Stage.WITHDRAWN, {"reason": None}, "reason"),
    (Stage.WITHDRAWN, {"reason": ""}, "reason"),
    (Stage.WITHDRAWN, {"reason": "   "}, "reason"),
]
PREVIOUS = {Stage.PREPARING: Stage.INTERESTED, Stage.PRACTICE: Stage.PREPARING,
            Stage.READY: Stage.PRACTICE, Stage.VOUCHER: Stage.READY,
            Stage.SCHEDULED: Stage.VOUCHER, Stage.PASSED: Stage.SCHEDULED,
            Stage.FAILED: Stage.SCHEDULED, Stage.WITHDRAWN: Stage.PRACTICE}


@pytest.mark.parametrize("target, overrides, field_name", MISSING,
                         ids=[f"{t}-{f}-{i}" for i, (t, _, f) in enumerate(MISSING)])
def test_a_missing_or_wrong_field_is_refused_on_that_field(world, target, overrides, field_name):
    pursuit = drive(world.a.pursuit, PREVIOUS[target], world.a.mentor)
    before = snapshot(pursuit)
    refused(lambda: move_pursuit(pursuit, target, world.a.mentor, fields(target, **overrides),
                                 TODAY), field_name)
    assert snapshot(pursuit) == before


@pytest.mark.parametrize("target, overrides", [
    (Stage.PREPARING, {"prep_platform": None, "prep_cohort_id": "cohort"}),
    (Stage.PREPARING, {"prep_platform": "Coursera", "prep_cohort_id": "cohort"}),
    (Stage.PRACTICE, {"practice_percent": 0}),
    (Stage.PRACTICE, {"practice_percent": 100}),
    (Stage.PRACTICE, {"practice_taken_on": TODAY}),
    (Stage.PASSED, {"result_date": TODAY - days(10)}),   # the exam day itself
    (Stage.PASSED, {"result_date": TODAY}),
    (Stage.FAILED, {"result_date": TODAY - days(10)}),
    (Stage.WITHDRAWN, {"reason": "  Exams clash  "}),
], ids=["cohort-only", "platform-and-cohort", "practice-0", "practice-100", "practice-today",
        "passed-on-exam-day", "passed-today", "failed-on-exam-day", "reason-stripped"])
def test_edge_values_are_accepted(world, target, overrides):
    if overrides.get("prep_cohort_id") == "cohort":
        overrides = {**overrides, "prep_cohort_id": world.a.cohort.id}
    pursuit = drive(world.a.pursuit, PREVIOUS[target], world.a.mentor)
    move_pursuit(pursuit, target, world.a.mentor, fields(target, **overrides), TODAY)
    db.session.commit()
    db.session.refresh(pursuit)
    assert pursuit.stage == target
    if target == Stage.PREPARING:
        assert pursuit.prep_cohort_id == world.a.cohort.id
        assert pursuit.prep_platform == overrides["prep_platform"]
    if target == Stage.WITHDRAWN:
        assert pursuit.withdraw_reason == "Exams clash"


def test_ready_needs_the_readiness_threshold(world):
    certification = make_certification(readiness_threshold=70)
    pursuit = at_stage(world, Stage.PRACTICE, certification, practice_percent=69)
    before = snapshot(pursuit)
    error = refused(lambda: move_pursuit(pursuit, Stage.READY, world.a.mentor, fields(Stage.READY),
                                         TODAY))
    assert str(error.message) == ("The readiness threshold is 70 %; the best practice score so "
                                  "far is 69 %.")
    assert snapshot(pursuit) == before

    # the best score counts, not the latest one
    services.record_practice(pursuit, world.a.mentor,
                             StageInput(practice_taken_on=TODAY - days(5), practice_percent=70),
                             TODAY)
    services.record_practice(pursuit, world.a.mentor,
                             StageInput(practice_taken_on=TODAY - days(1), practice_percent=55),
                             TODAY)
    assert services.best_practice_percent(pursuit) == 70
    move_pursuit(pursuit, Stage.READY, world.a.other_mentor, fields(Stage.READY), TODAY)
    db.session.commit()
    assert pursuit.stage == Stage.READY
    assert pursuit.ready_signed_off_by_id == world.a.other_mentor.id
    assert history(pursuit)[-1].details == {"signed_off_by": world.a.other_mentor.id,
                                            "best_practice_percent": 70}


def test_ready_without_any_practice_score_and_a_threshold(world):
    certification = make_certification(readiness_threshold=70)
    pursuit = at_stage(world, Stage.PREPARING, certification)
    # "ready" is only reachable from "practice"; apply_stage checks the threshold itself
    error = refused(lambda: services.apply_stage(pursuit, Stage.READY, world.a.mentor,
                                                 fields(Stage.READY), TODAY))
    assert "best practice score so far is —" in str(error.message)


def test_practice_scores_are_recorded_only_from_the_practice_stage_on(world):
    pursuit = drive(world.a.pursuit, Stage.PREPARING, world.a.mentor)
    data = StageInput(practice_taken_on=TODAY, practice_percent=50)
    refused(lambda: services.record_practice(pursuit, world.a.mentor, data, TODAY))
    move_pursuit(pursuit, Stage.PRACTICE, world.a.mentor, fields(Stage.PRACTICE), TODAY)
    score = services.record_practice(pursuit, world.a.mentor, data, TODAY)
    db.session.commit()
    assert (score.percent, score.taken_on, score.source) == (50, TODAY, "")
    assert len(audit("pursuit.practice", pursuit)) == 2
    refused(lambda: services.record_practice(
        pursuit, world.a.mentor, StageInput(practice_taken_on=TODAY, practice_percent=150), TODAY),
        "practice_percent")


# --- passing ------------------------------------------------------------------------------------

def test_a_mentors_pass_is_verified_and_gets_its_verification_url(world):
    certification = make_certification(
        verification_url_pattern="https://verify.example.org/cert/{id}/public")
    pursuit = at_stage(world, Stage.SCHEDULED, certification)
    move_pursuit(pursuit, Stage.PASSED, world.a.mentor,
                 fields(Stage.PASSED, credential_id="  AB C/1?x&y#z  "), TODAY)
    db.session.commit()

    db.session.refresh(pursuit)
    assert pursuit.credential_id == "AB C/1?x&y#z"
    assert pursuit.verification_url == (
        "https://verify.example.org/cert/AB%20C%2F1%3Fx%26y%23z/public")
    assert services.verification_link(pursuit) == pursuit.verification_url
    assert pursuit.verified_by_id == world.a.mentor.id and pursuit.verified_at is not None
    assert credential_state(pursuit, TODAY) == CredentialState.VALID
    assert history(pursuit)[-1].details["verification_url"] == pursuit.verification_url
    assert services.credential_dates(pursuit) == {"expires_on": None, "renewal_opens_on": None}


def test_an_explicit_verification_url_wins_and_no_pattern_gives_none(world):
    certification = make_certification(verification_url_pattern="https://x.example/{id}")
    pursuit = at_stage(world, Stage.SCHEDULED, certification)
    move_pursuit(pursuit, Stage.PASSED, world.a.head,
                 fields(Stage.PASSED, verification_url="https://www.credly.com/badges/abc"), TODAY)
    db.session.commit()
    assert pursuit.verification_url == "https://www.credly.com/badges/abc"
    assert pursuit.verified_by_id == world.a.head.id          # heads are staff too

    plain = drive(world.a.pursuit, Stage.PASSED, world.a.mentor)
    assert plain.verification_url is None
    # world.certification: 36 months from the result (TODAY - 9 days = 2025-06-07)
    assert services.credential_dates(plain) == {"expires_on": date(2028, 6, 7),
                                                "renewal_opens_on": None}


def test_a_students_own_move_to_passed_waits_for_verification(world):
    pursuit = drive(world.a.pursuit, Stage.SCHEDULED, world.a.mentor)
    move_pursuit(pursuit, Stage.PASSED, world.a.student, fields(Stage.PASSED), TODAY)
    db.session.commit()
    assert pursuit.verified_at is None and pursuit.verified_by_id is None
    assert credential_state(pursuit, TODAY) == CredentialState.UNVERIFIED


# --- failing and retaking -------------------------------------------------------------------

FAILED_ON = date(2025, 5, 1)


def failed_pursuit(world, **rules):
    certification = make_certification(retake_wait_days=14, **rules)
    return at_stage(world, Stage.FAILED, certification, exam_date=FAILED_ON - days(1),
                    result_date=FAILED_ON)


def test_failing_records_the_retake_date(world):
    pursuit = failed_pursuit(world)
    assert history(pursuit)[-1].details == {"result_date": "2025-05-01", "score": 640,
                                            "retake_allowed_on": "2025-05-15"}
    assert services.last_failed_on(pursuit) == FAILED_ON


@pytest.mark.parametrize("target", [Stage.PREPARING, Stage.PRACTICE, Stage.SCHEDULED])
def test_a_new_attempt_after_failing(world, target):
    pursuit = failed_pursuit(world)
    rows = len(history(pursuit))
    overrides = {"exam_date": FAILED_ON + days(14)} if target == Stage.SCHEDULED else {}
    move_pursuit(pursuit, target, world.a.mentor, fields(target, **overrides), TODAY)
    db.session.commit()

    db.session.refresh(pursuit)
    assert (pursuit.stage, pursuit.attempt) == (target, 2)
    assert pursuit.result_date is None and pursuit.score is None
    assert pursuit.self_paid is False
    if target == Stage.SCHEDULED:
        assert pursuit.exam_date == FAILED_ON + days(14)
    else:
        assert (pursuit.exam_date, pursuit.exam_delivery, pursuit.booking_reference) == (
            None, None, None)
    changes = history(pursuit)
    assert len(changes) == rows + 1                       # the history is kept
    assert [c.to_stage for c in changes if c.to_stage == Stage.FAILED] == [Stage.FAILED]
    assert {c.attempt for c in changes[:-1]} == {1}
    assert (changes[-1].from_stage, changes[-1].attempt) == (Stage.FAILED, 2)
    assert services.last_failed_on(pursuit) == FAILED_ON


def test_the_retake_waits_for_the_providers_delay(world):
    pursuit = failed_pursuit(world)
    before = snapshot(pursuit)
    error = refused(lambda: move_pursuit(
        pursuit, Stage.SCHEDULED, world.a.mentor,
        fields(Stage.SCHEDULED, exam_date=FAILED_ON + days(13)), TODAY), "exam_date")
    assert str(error.message) == "Amazon Web Services allows a retake from May 15, 2025."
    # after the view's rollback the failed attempt is intact
    assert snapshot(pursuit) == before
    assert (pursuit.attempt, pursuit.result_date) == (1, FAILED_ON)

    move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                 fields(Stage.SCHEDULED, exam_date=FAILED_ON + days(14)), TODAY)
    db.session.commit()
    assert (pursuit.stage, pursuit.attempt, pursuit.exam_date) == (
        Stage.SCHEDULED, 2, date(2025, 5, 15))


def test_the_wait_counts_from_the_latest_failure(world):
    pursuit = failed_pursuit(world)
    second_exam, second_failure = date(2025, 5, 20), date(2025, 5, 21)
    move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                 fields(Stage.SCHEDULED, exam_date=second_exam), TODAY)
    move_pursuit(pursuit, Stage.FAILED, world.a.mentor,
                 fields(Stage.FAILED, result_date=second_failure), TODAY)
    db.session.commit()
    assert services.last_failed_on(pursuit) == second_failure
    refused(lambda: move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                                 fields(Stage.SCHEDULED, exam_date=date(2025, 6, 3)), TODAY),
            "exam_date")
    move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                 fields(Stage.SCHEDULED, exam_date=date(2025, 6, 4)), TODAY)
    move_pursuit(pursuit, Stage.PASSED, world.a.mentor,
                 fields(Stage.PASSED, result_date=date(2025, 6, 5)), TODAY)
    db.session.commit()
    assert (pursuit.stage, pursuit.attempt) == (Stage.PASSED, 3)
    assert [c.attempt for c in history(pursuit)][-3:] == [2, 3, 3]


def test_no_wait_means_a_same_day_retake(world):
    pursuit = at_stage(world, Stage.FAILED, make_certification(),
                       exam_date=FAILED_ON - days(1), result_date=FAILED_ON)
    move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                 fields(Stage.SCHEDULED, exam_date=FAILED_ON), TODAY)
    db.session.commit()
    assert pursuit.exam_date == FAILED_ON
    # but never before the failure itself
    move_pursuit(pursuit, Stage.FAILED, world.a.mentor,
                 fields(Stage.FAILED, result_date=FAILED_ON), TODAY)
    refused(lambda: move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                                 fields(Stage.SCHEDULED, exam_date=FAILED_ON - days(1)), TODAY),
            "exam_date")


# --- vouchers -----------------------------------------------------------------------------------

def voucher_row(voucher_id: int) -> tuple:
    row = db.session.execute(sa.select(Voucher.status, Voucher.pursuit_id, Voucher.assigned_at,
                                       Voucher.assigned_by_id).where(Voucher.id == voucher_id))
    return tuple(row.one())


def test_assigning_a_voucher(world):
    pursuit = drive(world.a.pursuit, Stage.READY, world.a.mentor)
    voucher = world.a.voucher
    move_pursuit(pursuit, Stage.VOUCHER, world.a.mentor,
                 StageInput(voucher_id=voucher.id, note="From the donor batch"), TODAY)
    db.session.commit()

    db.session.refresh(voucher)
    assert voucher.status == VoucherStatus.ASSIGNED
    assert voucher.pursuit_id == pursuit.id
    assert voucher.assigned_by_id == world.a.mentor.id and voucher.assigned_at is not None
    assert voucher_assignment.current_voucher(pursuit) == voucher
    assert pursuit.stage == Stage.VOUCHER and pursuit.self_paid is False
    assert history(pursuit)[-1].details == {"voucher_id": voucher.id,
                                            "voucher": "•••• " + voucher.code[-4:]}
    [entry] = audit("voucher.assign", voucher)
    assert entry.center_id == world.a.center.id
    assert (entry.before, entry.after) == ({"status": "available"},
                                           {"status": "assigned", "pursuit_id": pursuit.id})


def test_the_assignable_stock(world):
    certification = world.certification
    fits = [world.a.voucher,
            provider_wide_voucher(world.a.center, certification),
            make_voucher(world.a.center, certification, issued_on=TODAY - days(300),
                         expires_on=TODAY)]
    make_voucher(world.a.center, certification, issued_on=TODAY - days(400),
                 expires_on=TODAY - days(1))
    make_voucher(world.a.center, certification, status=VoucherStatus.REVOKED)
    make_voucher(world.a.center, make_certification())
    stock = db.session.scalars(voucher_assignment.assignable(world.a.pursuit, TODAY)).all()
    assert [v.id for v in stock] == [fits[2].id, fits[0].id, fits[1].id]  # soonest expiry first


def provider_wide_voucher(center, certification, **fields) -> Voucher:
    """A voucher for any certification of the provider (make_voucher always sets one)."""
    voucher = Voucher(center_id=center.id, provider_id=certification.provider_id,
                      certification_id=None, code=fields.pop("code", "ANY-000001"),
                      issued_on=fields.pop("issued_on", TODAY), **fields)
    db.session.add(voucher)
    db.session.commit()
    return voucher


def other_provider_voucher(world) -> Voucher:
    cisco = Provider(slug="cisco", name="Cisco")
    db.session.add(cisco)
    db.session.flush()
    voucher = Voucher(center_id=world.a.center.id, provider_id=cisco.id, certification_id=None,
                      code="CSCO-000001", issued_on=TODAY)
    db.session.add(voucher)
    db.session.commit()
    return voucher


def taken_voucher(world, status) -> Voucher:
    other = make_pursuit(world.a.minor, world.certification)
    return make_voucher(world.a.center, world.certification, status=status, pursuit_id=other.id)


UNUSABLE = {
    "expired": lambda w: make_voucher(w.a.center, w.certification, issued_on=TODAY - days(400),
                                      expires_on=TODAY - days(1)),
    "other-center": lambda w: w.b.voucher,
    "other-provider": other_provider_voucher,
    "other-certification": lambda w: make_voucher(w.a.center, make_certification()),
    "revoked": lambda w: make_voucher(w.a.center, w.certification, status=VoucherStatus.REVOKED,
                                      revoke_reason="Leaked"),
    "status-expired": lambda w: make_voucher(w.a.center, w.certification,
                                             status=VoucherStatus.EXPIRED),
    "used": lambda w: taken_voucher(w, VoucherStatus.USED),
    "assigned": lambda w: taken_voucher(w, VoucherStatus.ASSIGNED),
}


@pytest.mark.parametrize("kind", list(UNUSABLE))
def test_an_unusable_voucher_is_refused(world, kind):
    voucher = UNUSABLE[kind](world)
    pursuit = drive(world.a.pursuit, Stage.READY, world.a.mentor)
    before, row = snapshot(pursuit), voucher_row(voucher.id)
    error = refused(lambda: move_pursuit(pursuit, Stage.VOUCHER, world.a.mentor,
                                         StageInput(voucher_id=voucher.id), TODAY), "voucher_id")
    assert "no longer available" in str(error.message)
    assert voucher_row(voucher.id) == row
    assert snapshot(pursuit) == before
    assert audit("voucher.assign") == []


def test_an_unknown_voucher_is_refused(world):
    pursuit = drive(world.a.pursuit, Stage.READY, world.a.mentor)
    refused(lambda: move_pursuit(pursuit, Stage.VOUCHER, world.a.mentor,
                                 StageInput(voucher_id=987654), TODAY), "voucher_id")


@pytest.mark.parametrize("kind", ["expires-today", "any-certification-of-the-provider"])
def test_edge_vouchers_are_accepted(world, kind):
    if kind == "expires-today":
        voucher = make_voucher(world.a.center, world.certification, issued_on=TODAY - days(365),
                               expires_on=TODAY)
    else:
        voucher = provider_wide_voucher(world.a.center, world.certification)
    pursuit = at_stage(world, Stage.VOUCHER, voucher_id=voucher.id, self_paid=False)
    assert voucher_row(voucher.id)[:2] == (VoucherStatus.ASSIGNED, pursuit.id)


@pytest.mark.parametrize("result", [Stage.PASSED, Stage.FAILED])
def test_the_result_uses_the_voucher(world, result):
    voucher = world.a.voucher
    pursuit = at_stage(world, result, voucher_id=voucher.id, self_paid=False)
    db.session.refresh(voucher)
    assert (voucher.status, voucher.pursuit_id) == (VoucherStatus.USED, pursuit.id)
    assert voucher_assignment.current_voucher(pursuit) is None
    [entry] = audit("voucher.use", voucher)
    assert (entry.before, entry.after) == ({"status": "assigned"}, {"status": "used"})


@pytest.mark.parametrize("source", [Stage.VOUCHER, Stage.SCHEDULED])
def test_withdrawing_releases_the_voucher(world, source):
    voucher = world.a.voucher
    pursuit = at_stage(world, source, voucher_id=voucher.id, self_paid=False)
    move_pursuit(pursuit, Stage.WITHDRAWN, world.a.other_mentor, fields(Stage.WITHDRAWN), TODAY)
    db.session.commit()

    assert voucher_row(voucher.id) == (VoucherStatus.AVAILABLE, None, None, None)
    assert history(pursuit)[-1].details == {"reason": "Moved to another city",
                                            "released_voucher_id": voucher.id}
    [entry] = audit("voucher.release", voucher)
    assert entry.actor_id == world.a.other_mentor.id
    assert entry.before == {"status": "assigned", "pursuit_id": pursuit.id}
    # back in stock for another student of the center
    other = make_pursuit(world.a.minor, world.certification)
    assert voucher.id in [v.id for v in db.session.scalars(voucher_assignment.assignable(other, TODAY))]


def test_withdrawing_after_a_failure_keeps_the_used_voucher_used(world):
    voucher = world.a.voucher
    pursuit = at_stage(world, Stage.FAILED, voucher_id=voucher.id, self_paid=False)
    move_pursuit(pursuit, Stage.WITHDRAWN, world.a.mentor, fields(Stage.WITHDRAWN), TODAY)
    db.session.commit()
    assert voucher_row(voucher.id)[:2] == (VoucherStatus.USED, pursuit.id)
    assert history(pursuit)[-1].details["released_voucher_id"] is None


def test_the_exam_must_fall_within_the_vouchers_validity(world):
    voucher = make_voucher(world.a.center, world.certification, issued_on=TODAY - days(10),
                           expires_on=TODAY + days(30))
    pursuit = at_stage(world, Stage.VOUCHER, voucher_id=voucher.id, self_paid=False)
    before = snapshot(pursuit)
    error = refused(lambda: move_pursuit(
        pursuit, Stage.SCHEDULED, world.a.mentor,
        fields(Stage.SCHEDULED, exam_date=TODAY + days(31)), TODAY), "exam_date")
    assert str(error.message) == (
        f"The voucher expires on {format_date(TODAY + days(30), 'medium', locale='en')}, "
        "before this exam date.")
    assert snapshot(pursuit) == before
    move_pursuit(pursuit, Stage.SCHEDULED, world.a.mentor,
                 fields(Stage.SCHEDULED, exam_date=TODAY + days(30)), TODAY)
    db.session.commit()
    assert pursuit.exam_date == TODAY + days(30)


def test_the_self_paid_path(world):
    pursuit = at_stage(world, Stage.PASSED)                 # self-paid all the way
    db.session.refresh(pursuit)
    assert pursuit.self_paid is True
    voucher_change = next(c for c in history(pursuit) if c.to_stage == Stage.VOUCHER)
    assert voucher_change.details == {"self_paid": True}
    assert voucher_row(world.a.voucher.id)[:2] == (VoucherStatus.AVAILABLE, None)
    assert audit("voucher.assign") == [] and audit("voucher.use") == []


def test_self_paid_wins_over_a_chosen_voucher(world):
    pursuit = at_stage(world, Stage.VOUCHER, voucher_id=world.a.voucher.id, self_paid=True)
    assert pursuit.self_paid is True
    assert voucher_row(world.a.voucher.id)[0] == VoucherStatus.AVAILABLE


def test_who_sees_voucher_codes(world):
    voucher = make_voucher(world.a.center, world.certification, code="AWS-EDU-93KX-7Q2Z")
    assert shown_code(voucher, world.a.mentor) == "•••• 7Q2Z"
    assert shown_code(voucher, world.a.other_mentor) == "•••• 7Q2Z"
    assert shown_code(voucher, world.a.student) == "•••• 7Q2Z"
    assert shown_code(voucher, world.a.head) == "AWS-EDU-93KX-7Q2Z"
    assert shown_code(voucher, world.admin) == "AWS-EDU-93KX-7Q2Z"
    assert [may_see_voucher_code(u) for u in (world.a.mentor, world.a.head, world.admin)] == [
        False, True, True]


# --- self-reported results ---------------------------------------------------------------------

def report(pursuit, student, **overrides):
    data = fields(Stage.PASSED, **{"result_date": TODAY - days(3), "score": None, **overrides})
    credentials.report_result(pursuit, student, data, TODAY)
    db.session.commit()
    return pursuit


def test_a_student_reports_a_pass_from_preparing(world):
    pursuit = drive(world.a.pursuit, Stage.PREPARING, world.a.mentor)
    report(pursuit, world.a.student, note="Finished on Coursera")

    db.session.refresh(pursuit)
    assert pursuit.stage == Stage.PASSED
    assert pursuit.verified_at is None and pursuit.verified_by_id is None
    assert credential_state(pursuit, TODAY) == CredentialState.UNVERIFIED
    change = history(pursuit)[-1]
    assert (change.from_stage, change.to_stage, change.actor_id) == (
        Stage.PREPARING, Stage.PASSED, world.a.student.id)
    assert change.note == "Finished on Coursera"
    assert audit("pursuit.move", pursuit)[-1].after["stage"] == "passed"


@pytest.mark.parametrize("source", [Stage.PASSED, Stage.WITHDRAWN])
def test_nothing_to_report_from_a_closed_path(world, source):
    pursuit = drive(world.a.pursuit, source, world.a.mentor)
    before = snapshot(pursuit)
    refused(lambda: credentials.report_result(pursuit, world.a.student, fields(Stage.PASSED),
                                              TODAY))
    assert snapshot(pursuit) == before


def test_a_report_needs_the_credential_id(world):
    refused(lambda: credentials.report_result(world.a.pursuit, world.a.student,
                                              fields(Stage.PASSED, credential_id=""), TODAY),
            "credential_id")
    assert world.a.pursuit.stage == Stage.INTERESTED


def test_verifying_a_reported_pass(world):
    pursuit = report(world.a.pursuit, world.a.student)
    credentials.verify_result(pursuit, world.a.other_mentor, note="Checked on Credly")
    db.session.commit()

    db.session.refresh(pursuit)
    assert pursuit.verified_by_id == world.a.other_mentor.id and pursuit.verified_at is not None
    assert credential_state(pursuit, TODAY) == CredentialState.VALID
    change = history(pursuit)[-1]
    assert (change.from_stage, change.to_stage, change.actor_id, change.note, change.details) == (
        Stage.PASSED, Stage.PASSED, world.a.other_mentor.id, "Checked on Credly",
        {"verified": True})
    assert audit("pursuit.verify", pursuit)[-1].after == {"verified_by": world.a.other_mentor.id}
    # once is enough
    refused(lambda: credentials.verify_result(pursuit, world.a.mentor), contains="Nothing")


def test_a_mentors_own_record_needs_no_verification(world):
    pursuit = drive(world.a.pursuit, Stage.PASSED, world.a.mentor)
    refused(lambda: credentials.verify_result(pursuit, world.a.head))
    refused(lambda: credentials.reject_result(pursuit, world.a.head, "No"))


@pytest.mark.parametrize("source", [Stage.INTERESTED, Stage.PREPARING, Stage.SCHEDULED])
def test_rejecting_returns_to_the_stage_it_was_reported_from(world, source):
    pursuit = drive(world.a.pursuit, source, world.a.mentor)
    exam_date = pursuit.exam_date
    report(pursuit, world.a.student, verification_url="https://example.org/fake",
           result_date=TODAY, score=900)
    before = snapshot(pursuit)
    refused(lambda: credentials.reject_result(pursuit, world.a.mentor, "   "), "reason")
    assert snapshot(pursuit) == before

    credentials.reject_result(pursuit, world.a.mentor, "No such credential on Credly")
    db.session.commit()
    db.session.refresh(pursuit)
    assert pursuit.stage == source
    assert (pursuit.credential_id, pursuit.result_date, pursuit.score,
            pursuit.verification_url) == (None, None, None, None)
    assert pursuit.verified_at is None
    assert pursuit.exam_date == exam_date
    change = history(pursuit)[-1]
    assert (change.from_stage, change.to_stage, change.actor_id) == (
        Stage.PASSED, source, world.a.mentor.id)
    assert (change.note, change.details) == ("No such credential on Credly", {"rejected": True})
    entry = audit("pursuit.reject", pursuit)[-1]
    assert (entry.before, entry.after) == ({"stage": "passed"}, {"stage": source.value})
    # and the path goes on from there
    assert services.allowed_moves(pursuit) == TRANSITIONS[source]


@pytest.mark.parametrize("source", [Stage.VOUCHER, Stage.SCHEDULED])
def test_rejecting_a_report_gives_the_voucher_back_to_the_path(world, source):
    voucher = world.a.voucher
    pursuit = at_stage(world, source, voucher_id=voucher.id, self_paid=False)
    report(pursuit, world.a.student, result_date=TODAY)
    assert voucher_row(voucher.id)[0] == VoucherStatus.USED
    credentials.reject_result(pursuit, world.a.mentor, "Fake credential")
    db.session.commit()
    assert pursuit.stage == source
    assert voucher_row(voucher.id)[:2] == (VoucherStatus.ASSIGNED, pursuit.id)
    assert voucher_assignment.current_voucher(pursuit) == voucher


def test_rejecting_a_report_made_after_a_failure_restores_the_failed_attempt(world):
    pursuit = failed_pursuit(world)
    report(pursuit, world.a.student, result_date=TODAY)
    assert pursuit.attempt == 2
    credentials.reject_result(pursuit, world.a.mentor, "Not on the AWS list")
    db.session.commit()
    db.session.refresh(pursuit)
    assert pursuit.stage == Stage.FAILED
    assert (pursuit.attempt, pursuit.result_date) == (1, FAILED_ON)


# --- renewal and invalidation -------------------------------------------------------------------

RESULT = date(2024, 3, 15)   # Microsoft-like: expires 2025-03-15, renewable from 2024-09-15


def verified_pass(world, certification) -> Pursuit:
    pursuit = services.start_pursuit(world.a.student, certification, world.a.mentor)
    credentials.report_result(pursuit, world.a.student,
                              fields(Stage.PASSED, result_date=RESULT), RESULT)
    credentials.verify_result(pursuit, world.a.mentor)
    db.session.commit()
    return pursuit


@pytest.fixture
def microsoft(world):
    return make_certification(name="Azure Administrator", validity_months=12,
                              renewal_window_months=6)


def test_renewal_dates_before_renewing(world, microsoft):
    pursuit = verified_pass(world, microsoft)
    assert services.credential_dates(pursuit) == {"expires_on": date(2025, 3, 15),
                                                  "renewal_opens_on": date(2024, 9, 15)}


@pytest.mark.parametrize("renewed_on, today", [
    (date(2024, 9, 14), date(2024, 10, 1)),     # the day before the window opens
    (date(2025, 3, 16), date(2025, 3, 20)),     # the day after the expiry
    (RESULT, RESULT),
])
def test_a_renewal_outside_the_window_is_refused(world, microsoft, renewed_on, today):
    pursuit = verified_pass(world, microsoft)
    before = snapshot(pursuit)
    error = refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, renewed_on, today),
                    "renewed_on")
    assert str(error.message) == "A renewal is possible from Sep 15, 2024 to Mar 15, 2025."
    assert snapshot(pursuit) == before and pursuit.renewed_on is None


@pytest.mark.parametrize("renewed_on, expires", [
    (date(2024, 9, 15), date(2025, 9, 15)),     # the opening day
    (date(2025, 3, 15), date(2026, 3, 15)),     # the last valid day
])
def test_a_renewal_inside_the_window_moves_the_expiry(world, microsoft, renewed_on, expires):
    pursuit = verified_pass(world, microsoft)
    credentials.record_renewal(pursuit, world.a.mentor, renewed_on, renewed_on, note="Online test")
    db.session.commit()

    db.session.refresh(pursuit)
    assert pursuit.renewed_on == renewed_on
    assert services.credential_dates(pursuit)["expires_on"] == expires
    assert credential_state(pursuit, date(2025, 3, 16)) != CredentialState.EXPIRED
    assert credential_state(pursuit, expires) == CredentialState.RENEWAL_DUE
    assert credential_state(pursuit, expires + days(1)) == CredentialState.EXPIRED
    change = history(pursuit)[-1]
    assert (change.from_stage, change.to_stage, change.note, change.details) == (
        Stage.PASSED, Stage.PASSED, "Online test", {"renewed_on": renewed_on.isoformat()})
    entry = audit("pursuit.renew", pursuit)[-1]
    assert (entry.before, entry.after) == ({"renewed_on": None},
                                           {"renewed_on": renewed_on.isoformat()})


def test_the_next_renewal_uses_the_new_window(world, microsoft):
    pursuit = verified_pass(world, microsoft)
    credentials.record_renewal(pursuit, world.a.mentor, date(2024, 9, 15), date(2024, 9, 15))
    db.session.commit()
    assert services.credential_dates(pursuit)["renewal_opens_on"] == date(2025, 3, 15)
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, date(2025, 3, 14),
                                               date(2025, 3, 20)), "renewed_on")
    credentials.record_renewal(pursuit, world.a.mentor, date(2025, 3, 15), date(2025, 3, 20))
    db.session.commit()
    assert services.credential_dates(pursuit)["expires_on"] == date(2026, 3, 15)
    assert audit("pursuit.renew", pursuit)[-1].before == {"renewed_on": "2024-09-15"}


def test_renewal_needs_a_date_not_in_the_future(world, microsoft):
    pursuit = verified_pass(world, microsoft)
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, None, date(2024, 10, 1)),
            "renewed_on")
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, date(2024, 10, 2),
                                               date(2024, 10, 1)), "renewed_on")


@pytest.mark.parametrize("validity", [36, None], ids=["aws-like", "no-expiry"])
def test_no_renewal_without_a_window(world, validity):
    pursuit = verified_pass(world, make_certification(validity_months=validity))
    before = snapshot(pursuit)
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, RESULT, RESULT),
            contains="no renewal")
    assert snapshot(pursuit) == before and pursuit.renewed_on is None


def test_only_a_passed_credential_can_be_renewed(world, microsoft):
    pursuit = services.start_pursuit(world.a.student, microsoft, world.a.mentor)
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, TODAY, TODAY))
    refused(lambda: credentials.invalidate(world.a.pursuit, world.a.mentor, "Typo"))


def test_invalidating_a_credential(world, microsoft):
    pursuit = verified_pass(world, microsoft)
    refused(lambda: credentials.invalidate(pursuit, world.a.head, "  "), "reason")
    assert snapshot(pursuit)["history"] == 3 and pursuit.invalidated_at is None

    credentials.invalidate(pursuit, world.a.head, "  Revoked by the vendor  ")
    db.session.commit()
    db.session.refresh(pursuit)
    assert pursuit.invalidated_at is not None
    assert pursuit.invalid_reason == "Revoked by the vendor"
    assert credential_state(pursuit, date(2024, 4, 1)) == CredentialState.INVALID
    change = history(pursuit)[-1]
    assert (change.actor_id, change.details) == (world.a.head.id, {"invalidated": True})
    assert audit("pursuit.invalidate", pursuit)[-1].after == {
        "invalid_reason": "Revoked by the vendor"}
    # an invalid credential can be neither invalidated again nor renewed
    refused(lambda: credentials.invalidate(pursuit, world.a.head, "Again"))
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, date(2024, 10, 1),
                                               date(2024, 10, 1)))


# --- reopening ---------------------------------------------------------------------------------

def test_a_withdrawn_path_can_be_reopened(world):
    pursuit = drive(world.a.pursuit, Stage.WITHDRAWN, world.a.mentor)
    assert pursuit.withdraw_reason == "Moved to another city"
    move_pursuit(pursuit, Stage.INTERESTED, world.a.mentor, StageInput(note="Back"), TODAY)
    move_pursuit(pursuit, Stage.PREPARING, world.a.mentor, fields(Stage.PREPARING), TODAY)
    db.session.commit()
    assert (pursuit.stage, pursuit.withdraw_reason, pursuit.attempt) == (Stage.PREPARING, None, 1)
    assert [(c.from_stage, c.to_stage) for c in history(pursuit)] == [
        (Stage.INTERESTED, Stage.WITHDRAWN), (Stage.WITHDRAWN, Stage.INTERESTED),
        (Stage.INTERESTED, Stage.PREPARING)]


def test_reopening_is_refused_when_another_path_is_open(world):
    pursuit = drive(world.a.pursuit, Stage.WITHDRAWN, world.a.mentor)
    services.start_pursuit(world.a.student, world.certification, world.a.mentor)
    db.session.commit()
    before = snapshot(pursuit)
    refused(lambda: move_pursuit(pursuit, Stage.INTERESTED, world.a.mentor, StageInput(), TODAY),
            contains="already an open path")
    assert snapshot(pursuit) == before


# --- outside a request --------------------------------------------------------------------------

def test_a_refusal_outside_a_request_is_still_a_pursuit_error(app, world):
    student_id, certification_id, mentor_id = (world.a.student.id, world.certification.id,
                                               world.a.mentor.id)

    def outside_any_request():
        with app.app_context():       # a fresh context: no forced locale, no request
            try:
                services.start_pursuit(db.session.get(User, student_id),
                                       db.session.get(Certification, certification_id),
                                       db.session.get(User, mentor_id))
            finally:
                db.session.remove()

    with pytest.raises(PursuitError):
        contextvars.Context().run(outside_any_request)


# --- rules found while reviewing the engine ---------------------------------------------------

def test_a_reported_retake_respects_the_providers_wait(world):
    pursuit = failed_pursuit(world)  # 14 days from FAILED_ON
    refused(lambda: report(pursuit, world.a.student, result_date=FAILED_ON + days(13)),
            "result_date", "allows a retake from")
    report(pursuit, world.a.student, result_date=FAILED_ON + days(14))
    assert pursuit.stage == Stage.PASSED and pursuit.attempt == 2


def test_unverified_credentials_are_rejected_not_renewed_or_invalidated(world):
    certification = make_certification(name="Azure Admin", validity_months=12,
                                       renewal_window_months=6)
    pursuit = services.start_pursuit(world.a.student, certification, world.a.mentor)
    report(pursuit, world.a.student)
    refused(lambda: credentials.invalidate(pursuit, world.a.mentor, "fake"))
    refused(lambda: credentials.record_renewal(pursuit, world.a.mentor, TODAY, TODAY))


def test_preparation_cohort_must_belong_to_the_pursuits_center(world):
    refused(lambda: move_pursuit(world.a.pursuit, Stage.PREPARING, world.a.mentor,
                                 fields(Stage.PREPARING, prep_platform=None,
                                        prep_cohort_id=world.b.cohort.id), TODAY),
            "prep_cohort_id")
    move_pursuit(world.a.pursuit, Stage.PREPARING, world.a.mentor,
                 fields(Stage.PREPARING, prep_platform=None, prep_cohort_id=world.a.cohort.id),
                 TODAY)
    assert world.a.pursuit.prep_cohort_id == world.a.cohort.id


def test_the_audit_names_the_actor_outside_a_request(world):
    pursuit = drive(world.a.pursuit, Stage.PREPARING, world.a.mentor)
    assert audit("pursuit.move", pursuit)[-1].actor_id == world.a.mentor.id
