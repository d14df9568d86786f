"""A purpose-built world for the dashboard tests, with every expected figure worked out by hand.

Period P = 2026-01-01 … 2026-03-31. "Today" (vouchers, students at risk) is the real date the test
runs on; those facts are placed relative to it. Two centers, A ("alpha") and B ("beta").

Cohorts: A1 (A, 2025-09-01 … 2026-06-30, running), A2 (A, from 2026-04-01: the day after P,
planned), B1 (B, 2026-01-15 … 2026-05-31, running).

Students (home center) and enrollments:
  s1 (A)  A1 enrolled 2025-09-01, active                        -> active A
  s2 (A)  A1 enrolled 2026-01-10, completed 2026-03-31 (last day) -> active, new, completed, ended
  s3 (A)  A1 enrolled 2025-09-01, withdrawn 2025-12-31 (day before) -> nothing in P
  s4 (A)  A1 enrolled 2025-09-01, withdrawn 2026-01-01 (first day)  -> active A, ended A
  s5 (A, archived) A1 enrolled 2025-09-01, completed 2026-04-01 (day after) -> active A only
  s6 (A)  A1 enrolled 2025-10-01 and B1 enrolled 2026-02-01 (two centers) -> active A and B, new B
  s7 (B)  B1 enrolled 2026-01-15, completed 2026-03-15          -> active, new, completion, ended B
  s8 (B)  B1 enrolled 2026-04-01 (day after)                    -> nothing in P
  s9 (A)  A2 enrolled 2026-03-20 (cohort starts after P)        -> new A, not active
Active: A {s1,s2,s4,s5,s6}=5, B {s6,s7}=2, total 6 (s6 once). New: A 2 (s2, s9), B 2 (s6, s7), 4.
Completions: A 1, B 1, total 2. Ended: A 2 (s2, s4), B 1 (s7), 3. Rate A 50 %, B 100 %, 67 %.

Attendance (A1 sessions d0 2025-12-31 and d5 2026-04-01 are outside P; excused is not counted):
  d1 01-12: s1 P, s6 P, s2 P · d2 02-02: s1 A, s6 P, s2 L · d3 03-02: s1 A, s6 P, s2 E ·
  d4 03-31: s1 A, s6 P, s2 P; B1 e1 02-10: s6 P, s7 A · e2 03-10: s6 L, s7 P.
  A attended 8 of 11 (73 %), B 3 of 4 (75 %), total 11 of 15 (73 %).

Pursuits (center = the student's home center) and their history (h = created_at):
  p1 s1 A AWS: interested 2025-12-31 23:30 (outside), preparing 01-02, practice, ready, voucher,
     scheduled 02-10, failed 02-20 (result 02-20), preparing 02-25, scheduled 03-01,
     passed 03-10 (result 03-10, verified): a failed then passed retake.
  p2 s2 A AZ-900: interested 01-05 … scheduled 01-25, passed 02-01 then INVALIDATED.
  p3 s6 A AZ-900: interested 2025-10-01, preparing 2025-11-01 … scheduled 2026-01-05,
     passed 01-15 (result 01-15, verified).
  p4 s7 B AWS: interested 01-20 … scheduled 03-20, failed 2026-04-01 00:30 (result 04-01: outside).
  p5 s8 B AWS: preparing 2025-12-01, passed recorded 2026-01-02 with result date 2025-12-31.
  p6 s7 B AZ-900: interested 01-16 … scheduled 03-01, failed 2026-03-31 23:59 (result 03-31).
  p7 s4 A AZ-900: interested 02-01, passed 03-05 self-reported, NOT verified.
Passed (result in P, counted): A 2 (p1 AWS foundational, p3 Microsoft fundamentals), B 0.
Failed (result in P): A 1 (p1), B 1 (p6). Pass rate A 2/3, B 0/1, total 2/4.
Funnel (reached in P): A interested 2, preparing 2, practice 2, ready 2, voucher 2, scheduled 3,
  passed 2; B 2, 2, 2, 2, 2, 2, passed 1 (p5: the history is what the funnel reads); total
  4, 4, 4, 4, 4, 5, 3. Median days preparing -> passed: A p1 67, p3 75 -> 71; B p5 32 -> 32;
  total 32, 67, 75 -> 67.
Trend (Apr 2025 … Mar 2026): certifications Dec 2025 B 1 (p5), Jan 2026 A 1 (p3), Mar 2026 A 1
  (p1); completions Mar 2026 A 1, B 1.

Vouchers today (T): A v1 available T+10 (expiring), v2 available T-1 (expired), v3 assigned T+30
  (expiring), v4 used T-100, v5 available no expiry, v6 available T+31; B v7 revoked, v8 expired,
  v9 assigned T-5 (expired). A: available 3, assigned 1, used 1, expired 1, revoked 0, expiring 2;
  B: 0, 0, 0, 2, 1, 0; total 3, 1, 1, 3, 1, 2.

At risk today: s1 (A1, recent progress, attendance 2 of 6 over A1's sessions: low), s6 (A1 and B1:
  no activity for 14 days), s8 (B1: inactive); s9 has recent progress. A: 2 (inactive 1, low 1),
  B: 2 (inactive 2, low 0), total 3 (inactive 2, low 1).

Staff work in P: progress events mA 3 (two more outside P), mA3 (deactivated) 1; sessions marked
  (audit) mA 2 (d1, d2), hA 2 (d3, d4), mB 2; stage changes mA 18 (p1 9, p2 7, p3 2), mB 14
  (p4 6, p5 1, p6 7). mA2 (deactivated, no work) is not listed.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.catalog.models import Certification, CertificationLevel, Provider
from lms.certifications.models import PursuitStageChange, Stage, VoucherStatus
from lms.cohorts.models import CohortStatus, EnrollmentStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.demo import rebuild_summaries as worklog
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus
from lms.reports.period import Period
from lms.users.models import Role
from tests import factories as f

P = Period(date(2026, 1, 1), date(2026, 3, 31))
PRESENT, LATE, ABSENT, EXCUSED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE,
                                  AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


def at(day: str, clock: str = "10:00") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))


# Expected figures: per center ("A", "B") and the cluster total ("total").
EXPECTED = {
    "active": {"A": 5, "B": 2, "total": 6},
    "new_enrollments": {"A": 2, "B": 2, "total": 4},
    "completions": {"A": 1, "B": 1, "total": 2},
    "ended": {"A": 2, "B": 1, "total": 3},
    "attended": {"A": 8, "B": 3, "total": 11},
    "marked": {"A": 11, "B": 4, "total": 15},
    "passed": {"A": 2, "B": 0, "total": 2},
    "failed": {"A": 1, "B": 1, "total": 2},
    "at_risk": {"A": 2, "B": 2, "total": 3},
    "inactive": {"A": 1, "B": 2, "total": 2},
    "low_attendance": {"A": 1, "B": 0, "total": 1},
    "available": {"A": 3, "B": 0, "total": 3},
    "assigned": {"A": 1, "B": 0, "total": 1},
    "used": {"A": 1, "B": 0, "total": 1},
    "expired": {"A": 1, "B": 2, "total": 3},
    "revoked": {"A": 0, "B": 1, "total": 1},
    "expiring": {"A": 2, "B": 0, "total": 2},
}
RATES = {  # completion, pass, attendance
    "A": {"completion": 1 / 2, "pass": 2 / 3, "attendance": 8 / 11},
    "B": {"completion": 1.0, "pass": 0.0, "attendance": 3 / 4},
    "total": {"completion": 2 / 3, "pass": 2 / 4, "attendance": 11 / 15},
}
FUNNEL = {
    "A": {"interested": 2, "preparing": 2, "practice": 2, "ready": 2, "voucher": 2,
          "scheduled": 3, "passed": 2},
    "B": {"interested": 2, "preparing": 2, "practice": 2, "ready": 2, "voucher": 2,
          "scheduled": 2, "passed": 1},
    "total": {"interested": 4, "preparing": 4, "practice": 4, "ready": 4, "voucher": 4,
              "scheduled": 5, "passed": 3},
}
MEDIAN = {"A": 71.0, "B": 32.0, "total": 67.0}
PROVIDERS = {"A": {"Amazon Web Services": 1, "Microsoft": 1}, "B": {},
             "total": {"Amazon Web Services": 1, "Microsoft": 1}}
LEVELS = {"A": {"foundational": 1, "fundamentals": 1}, "B": {},
          "total": {"foundational": 1, "fundamentals": 1}}
TREND = {  # (certifications, completions) by month; every other month is (0, 0)
    "A": {"2026-01": (1, 0), "2026-03": (1, 1)},
    "B": {"2025-12": (1, 0), "2026-03": (0, 1)},
    "total": {"2025-12": (1, 0), "2026-01": (1, 0), "2026-03": (1, 2)},
}
MENTORS = {  # name: (progress cells, sessions marked, stage changes)
    "A": {"A Head": (0, 2, 0), "A Mentor": (3, 2, 18), "A Mentor Retired": (1, 0, 0)},
    "B": {"B Head": (0, 0, 0), "B Mentor": (0, 2, 14)},
}


@dataclass
class Side:
    """One center's people and things, by the names the docstring uses."""
    center: object
    head: object
    mentor: object
    cohorts: dict = field(default_factory=dict)


def _student(center, name, archived=False):
    user = f.make_user(Role.STUDENT, center, full_name=name)
    if archived:
        user.profile.archived_at = at("2026-05-01")
        f.settle()
    return user


def _history(pursuit, actor, steps):
    """Stage history rows: (stage, created_at, details); the pursuit ends at the last stage."""
    previous = None
    for stage, created, details in steps:
        db.session.add(PursuitStageChange(pursuit_id=pursuit.id, center_id=pursuit.center_id,
                                          from_stage=previous,
                                          to_stage=stage, attempt=1, actor_id=actor.id,
                                          details=details, created_at=created))
        previous = stage
    f.settle()


ROAD = (Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER,
        Stage.SCHEDULED)


def _road(days: list[str]):
    return [(stage, at(day), {}) for stage, day in zip(ROAD, days)]


@f.batch()
def build_dashboard_world(today: date) -> SimpleNamespace:
    course = f.make_course()
    lessons = [lesson for module in course.modules for lesson in module.lessons]
    aws = f.make_certification(name="AWS Cloud Practitioner", validity_months=36,
                               level=CertificationLevel.FOUNDATIONAL)
    az900 = f._save(Certification(provider=Provider(slug="microsoft", name="Microsoft"),
                                  name="Azure Fundamentals", level=CertificationLevel.FUNDAMENTALS))
    w = SimpleNamespace(today=today, course=course, aws=aws, az900=az900,
                        admin=f.make_user(Role.ADMIN, full_name="Admin"))
    a_center, b_center = f.make_center("alpha", name="Alpha"), f.make_center("beta", name="Beta")
    w.A = Side(a_center, f.make_user(Role.HEAD, a_center, full_name="A Head"),
               f.make_user(Role.MENTOR, a_center, full_name="A Mentor"))
    w.B = Side(b_center, f.make_user(Role.HEAD, b_center, full_name="B Head"),
               f.make_user(Role.MENTOR, b_center, full_name="B Mentor"))
    w.mA2 = f.make_user(Role.MENTOR, a_center, full_name="A Mentor Idle", is_active=False)
    w.mA3 = f.make_user(Role.MENTOR, a_center, full_name="A Mentor Retired", is_active=False)
    a1 = f.make_cohort(a_center, course, [w.A.mentor], name="A1", start_date=date(2025, 9, 1),
                       end_date=date(2026, 6, 30), status=CohortStatus.RUNNING)
    a2 = f.make_cohort(a_center, course, [w.A.mentor], name="A2", start_date=date(2026, 4, 1),
                       status=CohortStatus.PLANNED)
    b1 = f.make_cohort(b_center, course, [w.B.mentor], name="B1", start_date=date(2026, 1, 15),
                       end_date=date(2026, 5, 31), status=CohortStatus.RUNNING)
    w.cohorts = {"A1": a1, "A2": a2, "B1": b1}
    _people(w, a_center, b_center)
    _attendance(w)
    _progress(w, lessons)
    _pursuits(w)
    _vouchers(w)
    summarize_history()
    return w


def summarize_history() -> None:
    """The world writes history rows directly, as the demo does: derive the per-day summaries
    from them the same way (the services keep them as they write; tests/test_worklog.py checks
    that both ways agree)."""
    worklog.rebuild()
    f.settle()


def _people(w, a_center, b_center):
    s = {n: _student(a_center, f"Student {n}", archived=(n == 5)) for n in (1, 2, 3, 4, 5, 6, 9)}
    s.update({n: _student(b_center, f"Student {n}") for n in (7, 8)})
    a1, a2, b1 = w.cohorts["A1"], w.cohorts["A2"], w.cohorts["B1"]
    completed, withdrawn = EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN
    w.s = s
    w.e = {
        "s1A1": f.enroll(s[1], a1, enrolled_on=date(2025, 9, 1)),
        "s2A1": f.enroll(s[2], a1, enrolled_on=date(2026, 1, 10), status=completed,
                         completed_on=date(2026, 3, 31)),
        "s3A1": f.enroll(s[3], a1, enrolled_on=date(2025, 9, 1), status=withdrawn,
                         withdrawn_on=date(2025, 12, 31)),
        "s4A1": f.enroll(s[4], a1, enrolled_on=date(2025, 9, 1), status=withdrawn,
                         withdrawn_on=date(2026, 1, 1)),
        "s5A1": f.enroll(s[5], a1, enrolled_on=date(2025, 9, 1), status=completed,
                         completed_on=date(2026, 4, 1)),
        "s6A1": f.enroll(s[6], a1, enrolled_on=date(2025, 10, 1)),
        "s6B1": f.enroll(s[6], b1, enrolled_on=date(2026, 2, 1)),
        "s7B1": f.enroll(s[7], b1, enrolled_on=date(2026, 1, 15), status=completed,
                         completed_on=date(2026, 3, 15)),
        "s8B1": f.enroll(s[8], b1, enrolled_on=date(2026, 4, 1)),
        "s9A2": f.enroll(s[9], a2, enrolled_on=date(2026, 3, 20)),
    }


def _session(cohort, day, marks, actor, saved_at):
    """A session with its marks and, when `actor` is given, their audit entries."""
    session = ClassSession(cohort_id=cohort.id, held_on=date.fromisoformat(day), topic=day)
    db.session.add(session)
    db.session.flush()
    for enrollment, status in marks:
        mark = Attendance(session_id=session.id, enrollment_id=enrollment.id, status=status)
        db.session.add(mark)
        db.session.flush()
        if actor is not None:
            db.session.add(AuditEntry(actor_id=actor.id, center_id=cohort.center_id,
                                      action="attendance.mark", object_type="Attendance",
                                      object_id=mark.id, created_at=saved_at))
    return session


def _attendance(w):
    e, a1, b1 = w.e, w.cohorts["A1"], w.cohorts["B1"]
    m, h = w.A.mentor, w.A.head
    _session(a1, "2025-12-31", [(e["s1A1"], PRESENT), (e["s6A1"], PRESENT)], m,
             at("2025-12-31", "23:30"))
    _session(a1, "2026-01-12", [(e["s1A1"], PRESENT), (e["s6A1"], PRESENT), (e["s2A1"], PRESENT)],
             m, at("2026-01-12"))
    _session(a1, "2026-02-02", [(e["s1A1"], ABSENT), (e["s6A1"], PRESENT), (e["s2A1"], LATE)],
             m, at("2026-02-02"))
    _session(a1, "2026-03-02", [(e["s1A1"], ABSENT), (e["s6A1"], PRESENT), (e["s2A1"], EXCUSED)],
             h, at("2026-03-02"))
    _session(a1, "2026-03-31", [(e["s1A1"], ABSENT), (e["s6A1"], PRESENT), (e["s2A1"], PRESENT)],
             h, at("2026-03-31", "23:59"))
    _session(a1, "2026-04-01", [(e["s1A1"], ABSENT), (e["s6A1"], PRESENT)], m,
             at("2026-04-01", "00:30"))
    _session(b1, "2026-02-10", [(e["s6B1"], PRESENT), (e["s7B1"], ABSENT)], w.B.mentor,
             at("2026-02-10"))
    _session(b1, "2026-03-10", [(e["s6B1"], LATE), (e["s7B1"], PRESENT)], w.B.mentor,
             at("2026-03-10"))
    f.settle()


def _progress(w, lessons):
    recent = datetime.combine(w.today - timedelta(days=1), time(9))
    m = w.A.mentor
    cells = {
        "s1": LessonProgress(enrollment_id=w.e["s1A1"].id, lesson_id=lessons[0].id,
                             status=ProgressStatus.COMPLETED, updated_at=recent),
        "s2a": LessonProgress(enrollment_id=w.e["s2A1"].id, lesson_id=lessons[0].id,
                              status=ProgressStatus.COMPLETED, updated_at=at("2026-03-31")),
        "s2b": LessonProgress(enrollment_id=w.e["s2A1"].id, lesson_id=lessons[1].id,
                              status=ProgressStatus.COMPLETED, updated_at=at("2026-03-31")),
        "s9": LessonProgress(enrollment_id=w.e["s9A2"].id, lesson_id=lessons[0].id,
                             status=ProgressStatus.IN_PROGRESS, updated_at=recent),
    }
    db.session.add_all(cells.values())
    db.session.flush()
    for cell, actor, created in [
            ("s1", m, at("2026-01-12")), ("s2a", m, at("2026-02-01")),
            ("s2b", m, at("2026-03-31", "23:59")), ("s2a", m, at("2025-12-31", "23:59")),
            ("s2b", m, at("2026-04-01", "00:00")), ("s1", w.mA3, at("2026-02-15")),
            ("s1", m, recent), ("s9", m, recent)]:
        db.session.add(ProgressEvent(progress_id=cells[cell].id,
                                     center_id=cells[cell].enrollment.cohort.center_id,
                                     actor_id=actor.id,
                                     created_at=created, to_status=cells[cell].status))
    f.settle()


def _passed(pursuit, result: date, verified=True, invalidated=False):
    pursuit.stage, pursuit.result_date, pursuit.credential_id = Stage.PASSED, result, "CRED-1"
    pursuit.verified_at = at(result.isoformat(), "18:00") if verified else None
    pursuit.invalidated_at = at("2026-03-20") if invalidated else None


def _pursuits(w):
    s, mA, mB = w.s, w.A.mentor, w.B.mentor
    p = {n: f.make_pursuit(s[student], cert) for n, student, cert in [
        (1, 1, w.aws), (2, 2, w.az900), (3, 6, w.az900), (4, 7, w.aws), (5, 8, w.aws),
        (6, 7, w.az900), (7, 4, w.az900)]}
    _history(p[1], mA, [(Stage.INTERESTED, at("2025-12-31", "23:30"), {}),
                        *_road(["2026-01-01", "2026-01-02", "2026-01-20", "2026-02-01",
                                "2026-02-05", "2026-02-10"])[1:],
                        (Stage.FAILED, at("2026-02-20"), {"result_date": "2026-02-20"}),
                        (Stage.PREPARING, at("2026-02-25"), {}),
                        (Stage.SCHEDULED, at("2026-03-01"), {}),
                        (Stage.PASSED, at("2026-03-10"), {"result_date": "2026-03-10"})])
    _history(p[2], mA, [*_road(["2026-01-05", "2026-01-06", "2026-01-10", "2026-01-15",
                                "2026-01-20", "2026-01-25"]),
                        (Stage.PASSED, at("2026-02-01"), {"result_date": "2026-02-01"})])
    _history(p[3], mA, [*_road(["2025-10-01", "2025-11-01", "2025-11-15", "2025-12-01",
                                "2025-12-10", "2026-01-05"]),
                        (Stage.PASSED, at("2026-01-15"), {"result_date": "2026-01-15"})])
    _history(p[4], mB, [*_road(["2026-01-20", "2026-02-01", "2026-02-15", "2026-03-01",
                                "2026-03-05", "2026-03-20"]),
                        (Stage.FAILED, at("2026-04-01", "00:30"), {"result_date": "2026-04-01"})])
    _history(p[5], mB, [(Stage.PREPARING, at("2025-12-01"), {}),
                        (Stage.PASSED, at("2026-01-02"), {"result_date": "2025-12-31"})])
    _history(p[6], mB, [*_road(["2026-01-16", "2026-01-17", "2026-01-25", "2026-02-05",
                                "2026-02-10", "2026-03-01"]),
                        (Stage.FAILED, at("2026-03-31", "23:59"), {"result_date": "2026-03-31"})])
    _history(p[7], s[4], [(Stage.INTERESTED, at("2026-02-01"), {}),
                          (Stage.PASSED, at("2026-03-05"), {"result_date": "2026-03-05"})])
    _passed(p[1], date(2026, 3, 10))
    p[1].attempt = 2
    _passed(p[2], date(2026, 2, 1), invalidated=True)
    _passed(p[3], date(2026, 1, 15))
    p[4].stage, p[4].result_date = Stage.FAILED, date(2026, 4, 1)
    _passed(p[5], date(2025, 12, 31))
    p[6].stage, p[6].result_date = Stage.FAILED, date(2026, 3, 31)
    _passed(p[7], date(2026, 3, 5), verified=False)
    f.settle()
    w.p = p


def _vouchers(w):
    t, p, days = w.today, w.p, timedelta
    issued = t - days(200)
    specs = [("v1", w.A, VoucherStatus.AVAILABLE, t + days(10), None),
             ("v2", w.A, VoucherStatus.AVAILABLE, t - days(1), None),
             ("v3", w.A, VoucherStatus.ASSIGNED, t + days(30), p[2]),
             ("v4", w.A, VoucherStatus.USED, t - days(100), p[1]),
             ("v5", w.A, VoucherStatus.AVAILABLE, None, None),
             ("v6", w.A, VoucherStatus.AVAILABLE, t + days(31), None),
             ("v7", w.B, VoucherStatus.REVOKED, t + days(60), None),
             ("v8", w.B, VoucherStatus.EXPIRED, t - days(20), None),
             ("v9", w.B, VoucherStatus.ASSIGNED, t - days(5), p[4])]
    w.v = {name: f.make_voucher(side.center, w.aws, code=f"CODE-{name}", status=status,
                                issued_on=issued, expires_on=expires,
                                pursuit_id=pursuit.id if pursuit else None)
           for name, side, status, expires, pursuit in specs}


@f.batch()
def add_more(w, copies: int = 3) -> None:
    """More of everything (students, enrollments, marks, pursuits, vouchers, work) in both
    centers, so a test can show that the pages' statement counts do not grow with the data."""
    for side in (w.A, w.B):
        cohort = f.make_cohort(side.center, w.course, [side.mentor], start_date=date(2026, 1, 5),
                               status=CohortStatus.RUNNING)
        for n in range(copies):
            student = _student(side.center, f"Extra {side.center.slug} {n}")
            enrollment = f.enroll(student, cohort, enrolled_on=date(2026, 1, 5))
            _session(cohort, f"2026-02-{10 + n:02d}", [(enrollment, ABSENT)], side.mentor,
                     at(f"2026-02-{10 + n:02d}"))
            pursuit = f.make_pursuit(student, w.aws)
            _history(pursuit, side.mentor, _road(["2026-01-20", "2026-01-21", "2026-01-22",
                                                  "2026-01-23", "2026-01-24", "2026-01-25"])
                     + [(Stage.PASSED, at("2026-02-01"), {"result_date": "2026-02-01"})])
            _passed(pursuit, date(2026, 2, 1))
            f.make_voucher(side.center, w.aws, issued_on=w.today - timedelta(days=5),
                           expires_on=w.today + timedelta(days=5 + n))
    summarize_history()
