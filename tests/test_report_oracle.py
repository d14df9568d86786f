"""Random small worlds: the donor report's SQL agrees with a plain-Python reading of
REPORT_DEFINITIONS.md, on dates chosen around the period's edges."""
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.catalog.models import Certification, CertificationLevel, Provider
from lms.certifications.models import PursuitStageChange, Stage
from lms.cohorts.models import EnrollmentStatus
from lms.core.extensions import db
from lms.reports import donor, facts
from lms.reports.dimensions import DIMENSIONS, TOTAL
from lms.reports.period import Period
from lms.users.models import Role, Sex
from tests.conftest import empty_database
from tests.factories import enroll, make_center, make_cohort, make_course, make_pursuit, make_user

P = Period(date(2025, 1, 1), date(2025, 12, 31))
EDGES = [P.start - timedelta(days=1), P.start, date(2025, 6, 15), P.end, P.end + timedelta(days=1)]
BIRTHS = [None, date(2010, 12, 31), date(2011, 1, 1), date(2000, 2, 29), date(1980, 1, 1),
          date(2018, 5, 5)]
COHORTS = [(date(2024, 1, 1), date(2024, 12, 31)), (date(2024, 9, 1), None),
           (date(2025, 12, 31), date(2026, 3, 1)), (date(2026, 1, 1), None)]

enrollment = st.tuples(st.integers(0, len(COHORTS) - 1), st.sampled_from(EDGES),
                       st.sampled_from(["active", "completed", "withdrawn"]),
                       st.sampled_from(EDGES))
pursuit = st.tuples(st.booleans(), st.sampled_from(["passed", "failed"]), st.sampled_from(EDGES),
                    st.booleans(), st.booleans())
student = st.tuples(st.booleans(), st.sampled_from(BIRTHS), st.sampled_from(list(Sex)),
                    st.lists(enrollment, max_size=2, unique_by=lambda e: e[0]),
                    st.lists(pursuit, max_size=2, unique_by=lambda p: p[0]))


def _build(people):
    centers = [make_center(), make_center()]
    course = make_course(modules=1, lessons_per_module=1)
    cohorts = [make_cohort(centers[i % 2], course, start_date=start, end_date=end)
               for i, (start, end) in enumerate(COHORTS)]
    aws = Provider(slug="aws", name="AWS")
    certs = [Certification(provider=aws, name="Foundational",
                           level=CertificationLevel.FOUNDATIONAL),
             Certification(provider=aws, name="Associate", level=CertificationLevel.ASSOCIATE)]
    db.session.add_all(certs)
    db.session.commit()
    expected = {}
    for home_b, born, sex, enrollments, pursuits in people:
        user = make_user(Role.STUDENT, centers[home_b],
                         profile={"date_of_birth": born, "sex": sex})
        flags = expected.setdefault(user.id, {"centers": {}, "values": _values(user, centers)})
        for index, day, status, closed in enrollments:
            _enroll(user, cohorts[index], day, status, closed, flags)
        for n, (cert_b, outcome, day, verified, invalid) in enumerate(pursuits):
            _pursue(user, certs[cert_b], outcome, day, verified, invalid, flags, n)
    return centers, expected


def _values(user, centers) -> dict:
    profile = user.profile
    age = profile.age_on(P.end)
    band = facts.AGE_NOT_STATED if age is None else next(
        (facts.band_key(low, high) for low, high in facts.DEFAULT_AGE_BANDS
         if age >= low and (high is None or age <= high)), facts.OTHER_AGES)
    return {"sex": profile.sex.value, "age_band": band, "disability": "not_stated",
            "displaced": "not_stated", "settlement": "not_stated", "learner_type": "other",
            "home_center": str(user.center_id)}


def _mark(flags, center_id, *names):
    flags["centers"].setdefault(center_id, set()).update(names)


def _enroll(user, cohort, day, status, closed, flags):
    fields = {"enrolled_on": day, "status": EnrollmentStatus(status)}
    if status == "completed":
        fields["completed_on"] = closed
    if status == "withdrawn":
        fields["withdrawn_on"] = closed
    enroll(user, cohort, **fields)
    withdrawn = fields.get("withdrawn_on")
    if (day <= P.end and (withdrawn is None or withdrawn >= P.start)
            and cohort.start_date <= P.end and (cohort.end_date is None or cohort.end_date >= P.start)):
        _mark(flags, cohort.center_id, "participants")
    if status == "completed" and P.contains(closed):
        _mark(flags, cohort.center_id, "completed")


def _pursue(user, cert, outcome, day, verified, invalid, flags, n):
    fields = {"stage": Stage(outcome), "result_date": day}
    if outcome == "passed":
        fields.update(credential_id=f"{user.id}-{n}",
                      verified_at=datetime(2025, 1, 1) if verified else None,
                      invalidated_at=datetime(2025, 1, 1) if invalid else None)
    found = make_pursuit(user, cert, **fields)
    if outcome == "failed":
        db.session.add(PursuitStageChange(pursuit_id=found.id, center_id=found.center_id,
                                          to_stage=Stage.FAILED, attempt=1,
                                          details={"result_date": day.isoformat()}))
        db.session.commit()
        if P.contains(day):
            _mark(flags, user.center_id, "sat")
    elif verified and not invalid and P.contains(day):
        _mark(flags, user.center_id, "sat", "certified", "provider", cert.level.value)


def _oracle(expected, center_ids) -> dict:
    counts = {}
    for person in expected.values():
        names = set().union(*(names for center, names in person["centers"].items()
                              if center_ids is None or center in center_ids))
        keys = [(TOTAL, ""), *((d.key, person["values"][d.key]) for d in DIMENSIONS)]
        for key in keys:
            for name in names:
                counts[(*key, name)] = counts.get((*key, name), 0) + 1
    return counts


def _measured(report) -> dict:
    counts = {}
    rows = [(TOTAL, report.total), *((s.dimension.key, r) for s in report.sections for r in s.rows)]
    for dimension, row in rows:
        for column in report.columns:
            name = column.key if column.indicator == donor.BY_LEVEL else column.indicator
            if row.count(column):
                counts[(dimension, row.value, name)] = row.count(column)
    return counts


@pytest.mark.slow
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(people=st.lists(student, min_size=1, max_size=5))
def test_donor_report_agrees_with_the_definitions(app, people):
    try:
        centers, expected = _build(people)
        for scope in (None, [centers[0].id], [centers[1].id]):
            assert _measured(donor.donor_report(P, scope)) == _oracle(expected, scope), scope
    finally:
        db.session.remove()
        empty_database()
