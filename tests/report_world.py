"""A purpose-built world for the reports, with every figure worked out by hand below.

Period P = 2025-01-01 .. 2025-12-31. Centers A and B (and C, idle). Certifications:
CLF (Amazon Web Services, foundational, 36 months), SAA (Amazon Web Services, associate, 36),
CCNA (Cisco, associate, 36).

Cohorts: A1 at A 2024-09-01..2025-06-30; A2 at A 2025-02-01..(open); A_old at A
2024-01-01..2024-12-31 (ends the day before P); B1 at B 2025-03-01..2025-12-20; B_late at B
from 2026-01-01 (the day after P).

People (home center; sex; date of birth -> age band at 2025-12-31; disability; IDP;
settlement; learner type) and what they did:
  olena  (A; F; 2005-03-10 -> 20-24; no; yes; urban; university)
         A1 (completed 2025-06-20) AND B1 (active): enrolled in two centers.
         CLF at A: failed 2025-04-10, retake passed 2025-05-20 (verified).
         SAA at A: passed 2025-08-01 (verified).
  taras  (B; M; 2010-12-31 -> turns 15 on P's last day -> 15-19; yes; no; rural; school)
         B1 active. CCNA at B: failed 2025-11-15 (open path, may retake).
  iryna  (A; F; 2011-01-01 -> turns 15 the day after P -> 10-14; not stated; not stated;
         no settlement -> not stated; school) A2 active. SAA at A: self-reported pass
         2025-10-01, NOT verified -> counts nowhere.
  maksym (A; M; 1990-06-15 -> 30+; no; no; urban; other) A1 withdrawn 2024-12-31 (the day
         before P) -> not a participant. CLF at A passed 2025-12-31 (P's last day, verified).
         SAA at A passed 2023-01-01 -> expires 2026-01-01 (the day after P: not expired in P).
  sofia  (B; F; 2000-01-01 -> 25-29; no; yes; rural; other) B1 withdrawn 2025-04-01 (inside
         P -> still a participant). CCNA at B passed 2025-06-01, verified, INVALIDATED.
         CLF at B: preparing since 2025-05-01 (pursuing at P's end).
  dmytro (A; other; no date of birth -> not stated; not stated; no; urban; other; ARCHIVED)
         A1 active -> participant. A_old completed 2025-01-01 (P's first day).
         SAA at A passed 2025-03-01, verified, INVALIDATED. CLF at A passed 2022-02-28
         -> expires 2025-02-28 (expired in P).
  andrii (B; M; 2009-05-05 -> 15-19 (16); no; no; urban; school) A_old completed 2024-12-31
         (the day before P); B_late enrolled 2026-01-01 -> counts nowhere in the donor report.
         SAA at B failed 2024-12-31 (day before P; open path -> pursuing). CLF at B scheduled
         2025-11-01, passed 2026-01-01 (day after P) -> pursuing at P's end, not certified.
  nadia  (B; F; 2016-06-01 -> 9 -> other ages; no; not stated; urban; school) B1 enrolled on
         2026-01-01 (day after P) -> not a participant. CCNA at B passed 2025-01-01 (P's first
         day, verified). SAA at B: interested 2025-02-01, withdrawn 2025-06-01.

Donor report, indicator flags per person (hand-computed):
                    participants completed sat certified  AWS Cisco foundational associate
  cluster: olena         1         1       1     1         1    .       1           1
           taras         1         .       1     .         .    .       .           .
           iryna         1         .       .     .         .    .       .           .
           maksym        .         .       1     1         1    .       1           .
           sofia         1         .       .     .         .    .       .           .
           dmytro        1         1       .     .         .    .       .           .
           nadia         .         .       1     1         .    1       .           1
           TOTAL         5         2       4     3         2    1       2           2
  center A: olena, iryna, dmytro participate (3); olena, dmytro completed (2); olena, maksym
           sat and certified (2, AWS 2, foundational 2, associate 1: olena's SAA).
  center B: olena (home A!), taras, sofia participate (3); completed 0; taras, nadia sat (2);
           nadia certified (1, Cisco 1, associate 1).
  A + B participants = 6, the cluster counts olena once: 5.

Certifications report, cluster (pursuing at P's end / passed / failed / rate / expired):
  AWS CLF  2 (sofia, andrii) / 2 (olena, maksym) / 1 (olena) / 67% / 1 (dmytro)
  AWS SAA  1 (andrii)        / 1 (olena)         / 0         / 100% / 0
  CCNA     1 (taras)         / 1 (nadia)         / 1 (taras) / 50% / 0
  Total    4 / 4 / 2 / 67% / 1
"""
from dataclasses import dataclass
from datetime import date, datetime

from lms.catalog.models import Certification, CertificationLevel, Provider
from lms.certifications.models import PursuitStageChange, Stage
from lms.cohorts.models import EnrollmentStatus
from lms.core.extensions import db
from lms.reports.period import Period
from lms.users.models import LearnerType, Role, Settlement, Sex, YesNo
from tests.factories import (
    batch,
    enroll,
    make_center,
    make_cohort,
    make_course,
    make_pursuit,
    make_user,
    settle,
)

P = Period(date(2025, 1, 1), date(2025, 12, 31))
VERIFIED = datetime(2025, 1, 2, 9)

# The hand-computed flags above, as data: person -> indicators (and provider / level keys).
FLAGS = {
    "olena": {"participants", "completed", "sat", "certified", "aws", "foundational", "associate"},
    "taras": {"participants", "sat"},
    "iryna": {"participants"},
    "maksym": {"sat", "certified", "aws", "foundational"},
    "sofia": {"participants"},
    "dmytro": {"participants", "completed"},
    "andrii": set(),
    "nadia": {"sat", "certified", "cisco", "associate"},
}
# Each person's value in every disaggregation (home center by letter).
PROFILE = {
    "olena": dict(sex="female", age_band="20-24", disability="no", displaced="yes",
                  settlement="urban", learner_type="university", home_center="A"),
    "taras": dict(sex="male", age_band="15-19", disability="yes", displaced="no",
                  settlement="rural", learner_type="school", home_center="B"),
    "iryna": dict(sex="female", age_band="10-14", disability="not_stated", displaced="not_stated",
                  settlement="not_stated", learner_type="school", home_center="A"),
    "maksym": dict(sex="male", age_band="30+", disability="no", displaced="no",
                   settlement="urban", learner_type="other", home_center="A"),
    "sofia": dict(sex="female", age_band="25-29", disability="no", displaced="yes",
                  settlement="rural", learner_type="other", home_center="B"),
    "dmytro": dict(sex="other", age_band="not_stated", disability="not_stated", displaced="no",
                   settlement="urban", learner_type="other", home_center="A"),
    "andrii": dict(sex="male", age_band="15-19", disability="no", displaced="no",
                   settlement="urban", learner_type="school", home_center="B"),
    "nadia": dict(sex="female", age_band="other", disability="no", displaced="not_stated",
                  settlement="urban", learner_type="school", home_center="B"),
}
_BORN = {"olena": date(2005, 3, 10), "taras": date(2010, 12, 31), "iryna": date(2011, 1, 1),
         "maksym": date(1990, 6, 15), "sofia": date(2000, 1, 1), "dmytro": None,
         "andrii": date(2009, 5, 5), "nadia": date(2016, 6, 1)}


@dataclass
class ReportWorld:
    a: object
    b: object
    c: object
    admin: object
    head_a: object
    head_b: object
    mentor_a: object
    people: dict
    certs: dict
    cohorts: dict
    providers: dict


def _student(name: str, centers: dict):
    values = PROFILE[name]
    profile = {"date_of_birth": _BORN[name], "sex": Sex(values["sex"]),
               "disability": YesNo(values["disability"]), "displaced": YesNo(values["displaced"]),
               "settlement": None if values["settlement"] == "not_stated"
               else Settlement(values["settlement"]),
               "learner_type": LearnerType(values["learner_type"])}
    if name == "dmytro":
        profile["archived_at"] = datetime(2025, 9, 1)
    return make_user(Role.STUDENT, centers[values["home_center"]], full_name=name.title(),
                     profile=profile)


def _certifications() -> tuple[dict, dict]:
    aws = Provider(slug="aws", name="Amazon Web Services")
    cisco = Provider(slug="cisco", name="Cisco")
    certs = {
        "clf": Certification(provider=aws, name="Cloud Practitioner", validity_months=36,
                             level=CertificationLevel.FOUNDATIONAL),
        "saa": Certification(provider=aws, name="Solutions Architect", validity_months=36,
                             level=CertificationLevel.ASSOCIATE),
        "ccna": Certification(provider=cisco, name="CCNA", validity_months=36,
                              level=CertificationLevel.ASSOCIATE),
    }
    db.session.add_all(certs.values())
    settle()
    return certs, {"aws": aws, "cisco": cisco}


def _history(pursuit, *steps):
    """Stage changes (stage, created_at[, result_date]) so the stage at P's end is known."""
    for stage, at, *result in steps:
        details = {"result_date": result[0].isoformat()} if result else {}
        db.session.add(PursuitStageChange(pursuit_id=pursuit.id, center_id=pursuit.center_id,
                                          to_stage=stage, attempt=1,
                                          created_at=at, details=details))
    settle()


def _passed(student, cert, day: date, created: datetime, **fields):
    fields.setdefault("verified_at", VERIFIED)
    pursuit = make_pursuit(student, cert, stage=Stage.PASSED, result_date=day,
                           credential_id=f"{student.full_name}-{cert.name}-{day}",
                           created_at=created, **fields)
    _history(pursuit, (Stage.PASSED, datetime.combine(day, datetime.min.time()), day))
    return pursuit


def _enrollments(p: dict, cohorts: dict) -> None:
    enroll(p["olena"], cohorts["A1"], status=EnrollmentStatus.COMPLETED,
           completed_on=date(2025, 6, 20))
    enroll(p["olena"], cohorts["B1"])
    enroll(p["taras"], cohorts["B1"])
    enroll(p["iryna"], cohorts["A2"])
    enroll(p["maksym"], cohorts["A1"], status=EnrollmentStatus.WITHDRAWN,
           withdrawn_on=date(2024, 12, 31))
    enroll(p["sofia"], cohorts["B1"], status=EnrollmentStatus.WITHDRAWN,
           withdrawn_on=date(2025, 4, 1))
    enroll(p["dmytro"], cohorts["A1"])
    enroll(p["dmytro"], cohorts["A_old"], status=EnrollmentStatus.COMPLETED,
           completed_on=date(2025, 1, 1))
    enroll(p["andrii"], cohorts["A_old"], status=EnrollmentStatus.COMPLETED,
           completed_on=date(2024, 12, 31))
    enroll(p["andrii"], cohorts["B_late"], enrolled_on=date(2026, 1, 1))
    enroll(p["nadia"], cohorts["B1"], enrolled_on=date(2026, 1, 1))


def _pursuits(p: dict, c: dict) -> None:
    retake = _passed(p["olena"], c["clf"], date(2025, 5, 20), datetime(2025, 1, 15), attempt=2)
    _history(retake, (Stage.FAILED, datetime(2025, 4, 10), date(2025, 4, 10)))
    _passed(p["olena"], c["saa"], date(2025, 8, 1), datetime(2025, 6, 1))
    failed = make_pursuit(p["taras"], c["ccna"], stage=Stage.FAILED, result_date=date(2025, 11, 15),
                          created_at=datetime(2025, 9, 1))
    _history(failed, (Stage.FAILED, datetime(2025, 11, 15), date(2025, 11, 15)))
    _passed(p["iryna"], c["saa"], date(2025, 10, 1), datetime(2025, 9, 1), verified_at=None)
    _passed(p["maksym"], c["clf"], date(2025, 12, 31), datetime(2025, 10, 1))
    _passed(p["maksym"], c["saa"], date(2023, 1, 1), datetime(2022, 10, 1))
    _passed(p["sofia"], c["ccna"], date(2025, 6, 1), datetime(2025, 3, 1),
            invalidated_at=datetime(2025, 7, 1))
    preparing = make_pursuit(p["sofia"], c["clf"], stage=Stage.PREPARING,
                             created_at=datetime(2025, 5, 1))
    _history(preparing, (Stage.PREPARING, datetime(2025, 5, 1)))
    _passed(p["dmytro"], c["saa"], date(2025, 3, 1), datetime(2025, 1, 10),
            invalidated_at=datetime(2025, 4, 1))
    _passed(p["dmytro"], c["clf"], date(2022, 2, 28), datetime(2021, 12, 1))
    early = make_pursuit(p["andrii"], c["saa"], stage=Stage.FAILED, result_date=date(2024, 12, 31),
                         created_at=datetime(2024, 10, 1))
    _history(early, (Stage.FAILED, datetime(2024, 12, 31), date(2024, 12, 31)))
    late = _passed(p["andrii"], c["clf"], date(2026, 1, 1), datetime(2025, 6, 1))
    _history(late, (Stage.SCHEDULED, datetime(2025, 11, 1)))
    _passed(p["nadia"], c["ccna"], date(2025, 1, 1), datetime(2024, 11, 1))
    dropped = make_pursuit(p["nadia"], c["saa"], stage=Stage.WITHDRAWN,
                           created_at=datetime(2025, 2, 1))
    _history(dropped, (Stage.INTERESTED, datetime(2025, 2, 1)),
             (Stage.WITHDRAWN, datetime(2025, 6, 1)))


@batch()
def build_report_world() -> ReportWorld:
    """Build the world described in this module's docstring."""
    centers = {"A": make_center("alpha", name="Alpha"), "B": make_center("beta", name="Beta")}
    idle = make_center("gamma", name="Gamma")
    course = make_course(modules=1, lessons_per_module=1)
    a, b = centers["A"], centers["B"]
    cohorts = {
        "A1": make_cohort(a, course, start_date=date(2024, 9, 1), end_date=date(2025, 6, 30)),
        "A2": make_cohort(a, course, start_date=date(2025, 2, 1)),
        "A_old": make_cohort(a, course, start_date=date(2024, 1, 1), end_date=date(2024, 12, 31)),
        "B1": make_cohort(b, course, start_date=date(2025, 3, 1), end_date=date(2025, 12, 20)),
        "B_late": make_cohort(b, course, start_date=date(2026, 1, 1)),
    }
    people = {name: _student(name, centers) for name in PROFILE}
    certs, providers = _certifications()
    _enrollments(people, cohorts)
    _pursuits(people, certs)
    return ReportWorld(a, b, idle, make_user(Role.ADMIN), make_user(Role.HEAD, a),
                       make_user(Role.HEAD, b), make_user(Role.MENTOR, a), people, certs,
                       cohorts, providers)

# The same flags for a head's report of one center (activity at that center only).
FLAGS_A = {
    "olena": FLAGS["olena"],
    "iryna": {"participants"},
    "maksym": FLAGS["maksym"],
    "dmytro": {"participants", "completed"},
}
FLAGS_B = {
    "olena": {"participants"},  # home center A, enrolled in B1
    "taras": {"participants", "sat"},
    "sofia": {"participants"},
    "nadia": FLAGS["nadia"],
}
