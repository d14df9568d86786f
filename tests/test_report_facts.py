"""The reports' SQL building blocks at their edges, on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.certifications.models import PursuitStageChange, Stage
from lms.certifications.rules import add_months
from lms.cohorts.models import EnrollmentStatus
from lms.core.extensions import db
from lms.reports import facts
from lms.reports.period import Period
from lms.users.models import Role, StudentProfile
from tests.factories import (
    enroll,
    make_center,
    make_certification,
    make_cohort,
    make_course,
    make_pursuit,
    make_user,
)

P = Period(date(2025, 1, 1), date(2025, 12, 31))
VERIFIED = datetime(2025, 1, 1, 12)

EDGE_DAYS = [date(2025, 1, 31), date(2024, 1, 31), date(2024, 2, 29), date(2023, 12, 31),
             date(2025, 3, 31), date(2025, 5, 31), date(2025, 8, 31), date(2025, 10, 31),
             date(2024, 2, 28), date(2025, 2, 28), date(2025, 6, 15), date(2025, 12, 1)]


@pytest.mark.parametrize("months", [0, 1, 2, 3, 6, 11, 12, 13, 24, 36, 48])
def test_add_months_sql_matches_the_python_rule(months):
    columns = [facts.add_months_sql(sa.literal(day, sa.Date), months) for day in EDGE_DAYS]
    computed = db.session.execute(sa.select(*columns)).one()
    assert list(computed) == [add_months(day, months) for day in EDGE_DAYS]


@pytest.mark.parametrize("day,months,expected", [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2025, 3, 31), 1, date(2025, 4, 30)),
    (date(2025, 12, 31), 2, date(2026, 2, 28)),
])
def test_add_months_sql_clamps_to_the_months_end(day, months, expected):
    assert db.session.scalar(sa.select(facts.add_months_sql(sa.literal(day, sa.Date),
                                                            months))) == expected


def _passed(student, certification, result_date, **fields):
    fields.setdefault("verified_at", VERIFIED)
    return make_pursuit(student, certification, stage=Stage.PASSED, result_date=result_date,
                        credential_id=f"CR-{result_date}", **fields)


def test_credential_expiry_from_the_later_of_result_and_renewal():
    center = make_center()
    student = make_user(Role.STUDENT, center)
    monthly = make_certification(validity_months=1)
    yearly = make_certification(validity_months=12)
    forever = make_certification(validity_months=None)
    ids = {
        _passed(student, monthly, date(2025, 1, 31)).id: date(2025, 2, 28),
        _passed(student, yearly, date(2024, 2, 29)).id: date(2025, 2, 28),
        _passed(student, yearly, date(2023, 5, 1), renewed_on=date(2024, 1, 31)).id:
            date(2025, 1, 31),
        _passed(student, forever, date(2020, 1, 1)).id: None,
    }
    _passed(student, yearly, date(2024, 6, 1), invalidated_at=VERIFIED)  # counts nowhere
    _passed(student, yearly, date(2024, 6, 2), verified_at=None)  # awaiting verification
    rows = db.session.execute(facts.credentials()).mappings().all()
    assert {row["pursuit_id"]: row["expires_on"] for row in rows} == ids
    expired = db.session.execute(facts.expired_credentials(
        Period(date(2025, 2, 1), date(2025, 2, 28)))).mappings().all()
    assert sorted(row["expires_on"] for row in expired) == [date(2025, 2, 28), date(2025, 2, 28)]


@pytest.mark.parametrize("day,years,born_by", [
    (date(2025, 12, 31), 15, date(2010, 12, 31)),
    (date(2024, 2, 29), 16, date(2008, 2, 29)),
    (date(2024, 2, 29), 18, date(2006, 2, 28)),  # no Feb 29 in 2006
    (date(2025, 3, 1), 0, date(2025, 3, 1)),
])
def test_born_by_is_the_last_birth_date_of_that_age(day, years, born_by):
    assert facts.born_by(day, years) == born_by
    assert StudentProfile(date_of_birth=born_by).age_on(day) >= years
    assert StudentProfile(date_of_birth=born_by + timedelta(days=1)).age_on(day) < years


def test_a_period_in_the_first_years_of_the_calendar_has_no_band_too_old_to_compute():
    day = date(1, 1, 9)  # a period the API accepts: nobody can be 10 on that day
    assert facts.born_by(day, 10) is None
    found = db.session.execute(sa.select(facts.age_band(sa.literal(date(1, 1, 1), sa.Date), day),
                                         facts.age_band(sa.literal(None, sa.Date), day))).one()
    assert list(found) == [facts.OTHER_AGES, facts.AGE_NOT_STATED]


def _python_band(born: date, day: date) -> str:
    age = StudentProfile(date_of_birth=born).age_on(day)
    for low, high in facts.age_bands():
        if age >= low and (high is None or age <= high):
            return facts.band_key(low, high)
    return facts.OTHER_AGES


@pytest.mark.parametrize("bands", [
    facts.DEFAULT_AGE_BANDS, [(0, 4), (10, 14), (30, None)], [(0, 0), (18, None)],
    [(5, 9), (8, 12)],  # overlapping: the first band listed wins, in SQL and here
])
def test_age_bands_in_sql_agree_with_the_profile_age_around_every_edge(app, bands):
    """Birth dates on, before and after each band's edge, leap days included."""
    app.config["REPORT_AGE_BANDS"] = bands
    try:
        _compare_bands_around_edges()
    finally:
        app.config["REPORT_AGE_BANDS"] = facts.DEFAULT_AGE_BANDS


def _compare_bands_around_edges():
    days = [date(2025, 12, 31), date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1)]
    for day in days:
        edges = {facts.born_by(day, years) for low, high in facts.age_bands()
                 for years in (low, (high or low) + 1)}
        born = sorted({edge + timedelta(days=shift) for edge in edges for shift in (-1, 0, 1)}
                      | {date(2008, 2, 29), date(2012, 2, 29)})
        found = db.session.execute(sa.select(
            *(facts.age_band(sa.literal(b, sa.Date), day) for b in born))).one()
        assert list(found) == [_python_band(b, day) for b in born], day


def test_age_bands_come_from_config_with_other_and_not_stated(app):
    day = date(2025, 12, 31)
    cases = {date(2010, 12, 31): "15-19", date(2011, 1, 1): "10-14", date(2016, 1, 1): "other",
             date(1990, 1, 1): "30+", date(2001, 1, 1): "20-24", date(1996, 1, 1): "25-29"}
    born = list(cases)
    columns = [facts.age_band(sa.literal(b, sa.Date), day) for b in born]
    columns.append(facts.age_band(sa.cast(sa.null(), sa.Date), day))
    assert list(db.session.execute(sa.select(*columns)).one()) == [*cases.values(), "not_stated"]
    assert facts.age_band_keys() == ["10-14", "15-19", "20-24", "25-29", "30+", "other",
                                     "not_stated"]
    app.config["REPORT_AGE_BANDS"] = [(0, 17), (18, None)]
    try:
        assert facts.age_band_keys() == ["0-17", "18+", "other", "not_stated"]
    finally:
        app.config["REPORT_AGE_BANDS"] = facts.DEFAULT_AGE_BANDS


def test_active_enrollments_and_participants_at_the_period_edges():
    a, b = make_center(), make_center()
    course = make_course(modules=1, lessons_per_module=1)
    cohort_a = make_cohort(a, course, start_date=date(2024, 9, 1), end_date=date(2025, 6, 30))
    cohort_b = make_cohort(b, course, start_date=date(2025, 2, 1))
    ended_before = make_cohort(a, course, start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
    starts_after = make_cohort(a, course, start_date=date(2026, 1, 1))
    both = make_user(Role.STUDENT, a)
    enroll(both, cohort_a)
    enroll(both, cohort_b)
    left_on_start = make_user(Role.STUDENT, a)
    enroll(left_on_start, cohort_a, status=EnrollmentStatus.WITHDRAWN, withdrawn_on=P.start)
    left_day_before = make_user(Role.STUDENT, a)
    enroll(left_day_before, cohort_a, status=EnrollmentStatus.WITHDRAWN,
           withdrawn_on=P.start - timedelta(days=1))
    outside = make_user(Role.STUDENT, b)
    enroll(outside, ended_before)
    enroll(outside, starts_after)
    late = make_user(Role.STUDENT, b)
    enroll(late, cohort_b, enrolled_on=P.end + timedelta(days=1))
    everyone = db.session.execute(facts.participants(P)).all()
    assert sorted(everyone) == sorted([(both.id, a.id), (left_on_start.id, a.id)])
    at_b = db.session.execute(facts.participants(P, [b.id])).all()
    assert at_b == [(both.id, a.id)]
    active = db.session.execute(facts.active_enrollments(P)).mappings().all()
    assert len(active) == 3


def test_completions_only_in_the_period():
    center = make_center()
    cohort = make_cohort(center, make_course(modules=1, lessons_per_module=1),
                         start_date=date(2024, 1, 1))
    kept = []
    for day in (P.start - timedelta(days=1), P.start, P.end, P.end + timedelta(days=1)):
        student = make_user(Role.STUDENT, center)
        enroll(student, cohort, status=EnrollmentStatus.COMPLETED, completed_on=day)
        kept.append(student.id)
    found = db.session.scalars(sa.select(facts.completions(P).subquery().c.student_id)).all()
    assert sorted(found) == kept[1:3]


def _failed_on(pursuit, day: date):
    db.session.add(PursuitStageChange(pursuit_id=pursuit.id, center_id=pursuit.center_id,
                                      from_stage=Stage.SCHEDULED,
                                      to_stage=Stage.FAILED, attempt=1,
                                      details={"result_date": day.isoformat()}))
    db.session.commit()


def test_exam_results_keep_a_failed_attempt_after_the_retake():
    a, b = make_center(), make_center()
    cert = make_certification(validity_months=36)
    retaker = make_user(Role.STUDENT, a)
    pursuit = _passed(retaker, cert, date(2025, 5, 1), attempt=2)
    _failed_on(pursuit, date(2025, 3, 1))
    other = make_user(Role.STUDENT, b)
    early = make_pursuit(other, cert, stage=Stage.FAILED, result_date=P.start - timedelta(days=1))
    _failed_on(early, P.start - timedelta(days=1))
    _passed(other, cert, P.end + timedelta(days=1))
    _passed(other, cert, P.end, verified_at=None)
    rows = db.session.execute(facts.exam_results(P)).mappings().all()
    assert sorted((r["student_id"], r["result_date"], r["outcome"]) for r in rows) == [
        (retaker.id, date(2025, 3, 1), "failed"), (retaker.id, date(2025, 5, 1), "passed")]
    assert {r["provider_id"] for r in rows} == {cert.provider_id}
    assert {r["level"] for r in rows} == {cert.level}
    assert db.session.execute(facts.exam_results(P, [b.id])).all() == []


def test_demographics_bands_at_the_given_day():
    center = make_center()
    turns_15 = make_user(Role.STUDENT, center, profile={"date_of_birth": date(2010, 12, 31)})
    day_after = make_user(Role.STUDENT, center, profile={"date_of_birth": date(2011, 1, 1)})
    rows = dict(db.session.execute(
        sa.select(facts.demographics(P.end).subquery().c["student_id", "age_band"])).all())
    assert rows == {turns_15.id: "15-19", day_after.id: "10-14"}


def test_pursuing_reads_the_stage_at_the_end_of_the_period():
    center = make_center()
    cert = make_certification()
    student = make_user(Role.STUDENT, center)
    before_end = datetime(2025, 12, 31, 23, 59)
    open_then = make_pursuit(student, cert, stage=Stage.WITHDRAWN, created_at=datetime(2025, 3, 1))
    for stage, at in ((Stage.INTERESTED, datetime(2025, 3, 1)), (Stage.PREPARING, before_end),
                      (Stage.WITHDRAWN, P.end_at)):
        db.session.add(PursuitStageChange(pursuit_id=open_then.id, center_id=open_then.center_id,
                                          to_stage=stage, attempt=1,
                                          created_at=at))
    closed = make_pursuit(make_user(Role.STUDENT, center), cert, stage=Stage.PREPARING,
                          created_at=datetime(2025, 2, 1))
    db.session.add(PursuitStageChange(pursuit_id=closed.id, center_id=closed.center_id,
                                      to_stage=Stage.WITHDRAWN, attempt=1,
                                      created_at=datetime(2025, 6, 1)))
    no_history = make_pursuit(make_user(Role.STUDENT, center), cert, stage=Stage.FAILED,
                              created_at=datetime(2025, 2, 1))
    make_pursuit(make_user(Role.STUDENT, center), cert, created_at=P.end_at)  # too late
    db.session.commit()
    found = db.session.scalars(sa.select(facts.pursuing(P).subquery().c.pursuit_id)).all()
    assert sorted(found) == [open_then.id, no_history.id]
