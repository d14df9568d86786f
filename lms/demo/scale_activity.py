"""The activity of the scaled data set: enrollments, lesson progress, attendance, pursuits, vouchers.

Each generator yields tuples in a fixed column order; ids are assigned by the plan, so rows that
refer to each other (progress -> events, pursuits -> history -> vouchers) need no read-back.
"""
from datetime import date, datetime, time, timedelta

from lms.attendance.models import MARK_ACTION, Attendance, ClassSession
from lms.certifications.models import Pursuit, PursuitStageChange, Voucher
from lms.cohorts.models import Enrollment
from lms.core.audit import AuditEntry
from lms.core.bulk import insert_rows
from lms.progress.models import LessonProgress, ProgressEvent

SESSIONS_FINISHED = 10
PURSUITS_PER_STUDENT = 2
ROAD = ["interested", "preparing", "practice", "ready", "voucher", "scheduled"]
FINAL_STAGES = {"passed": 22, "failed": 8, "withdrawn": 6}
OPEN_STAGES = {"interested": 10, "preparing": 15, "practice": 13, "ready": 8, "voucher": 8, "scheduled": 10}


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour))


def write_activity(plan, cohorts: dict[int, tuple]) -> None:
    """Enrollments, progress, attendance and pursuits for the cohorts the plan wrote."""
    enrollments = _write_enrollments(plan, cohorts)
    _write_progress(plan, cohorts, enrollments)
    _write_attendance(plan, cohorts, enrollments)
    _write_pursuits(plan)


def _write_enrollments(plan, cohorts: dict) -> list[tuple]:
    """One cohort per student, a second for every fourth; returns the enrollment specs."""
    rng, specs = plan.rng, []
    by_center = {c: [k for k, v in cohorts.items() if v[0] == c and v[2] != "planned"] for c in plan.centers}
    planned = {c: [k for k, v in cohorts.items() if v[0] == c and v[2] == "planned"] for c in plan.centers}
    for center in plan.centers:
        for n, student in enumerate(plan.students[center]):
            choices = [by_center[center][n % len(by_center[center])]]
            if n % 4 == 0:
                pool = planned[center] or by_center[center]
                second = pool[(n // 4) % len(pool)]
                if second != choices[0]:
                    choices.append(second)
            specs += [_enrollment_spec(rng, student, k, cohorts[k]) for k in choices]
    ids = plan.ids(Enrollment, len(specs))
    specs = [(eid, *spec) for eid, spec in zip(ids, specs)]
    plan.wrote("enrollments", insert_rows(Enrollment, (
        "id", "student_id", "cohort_id", "status", "enrolled_on", "completed_on", "withdrawn_on",
        "withdraw_reason", "created_at"),
        ((e[0], e[1], e[2], e[3], e[4], e[5], e[6], "Переїзд" if e[6] else None, plan.now)
         for e in specs)))
    return specs


def _enrollment_spec(rng, student: int, cohort_id: int, cohort: tuple) -> tuple:
    """(student, cohort, status, enrolled_on, completed_on, withdrawn_on, lessons done)."""
    _center, _course, status, start, end = cohort
    enrolled = min(start - timedelta(days=rng.randint(0, 10)), date.today())
    roll = rng.random()
    if status == "finished" and roll < 0.7:
        return student, cohort_id, "completed", enrolled, end - timedelta(days=rng.randint(0, 20)), None, 30
    if roll > 0.92 and status != "planned":
        return student, cohort_id, "withdrawn", enrolled, None, start + timedelta(days=rng.randint(5, 60)), rng.randint(0, 8)
    if status == "planned":
        return student, cohort_id, "active", enrolled, None, None, 0
    done = rng.randint(8, 29) if status == "finished" else rng.randint(0, 24)
    return student, cohort_id, "active", enrolled, None, None, done


def _write_progress(plan, cohorts: dict, enrollments: list[tuple]) -> None:
    total = sum(e[7] + (1 if 0 < e[7] < 30 else 0) for e in enrollments)
    ids = plan.ids(LessonProgress, total)

    def cells():
        next_id = iter(ids)
        for eid, _student, cohort_id, _status, enrolled, *_rest, done in enrollments:
            _center, course, _s, start, _end = cohorts[cohort_id]
            lessons = plan.lessons[course]
            touched = done + (1 if 0 < done < len(lessons) else 0)
            for index in range(min(touched, len(lessons))):
                status = "completed" if index < done else "in_progress"
                if status == "completed" and (eid + index) % 29 == 0:
                    status = "excused"
                score = 60 + (eid * 7 + index * 13) % 41 if index % 5 == 4 and status == "completed" else None
                yield next(next_id), eid, lessons[index], status, score, _at(start + timedelta(days=3 * index))

    mentor = {c: plan.mentors[c][0] for c in plan.centers}
    center_of = {eid: cohorts[cohort_id][0] for eid, _s, cohort_id, *_ in enrollments}
    plan.wrote("lesson_progress", insert_rows(LessonProgress, (
        "id", "enrollment_id", "lesson_id", "status", "score", "updated_at", "updated_by_id", "version"),
        ((*c, mentor[center_of[c[1]]], 1) for c in cells())))
    plan.wrote("progress_events", insert_rows(ProgressEvent, (
        "progress_id", "center_id", "actor_id", "created_at", "from_status", "to_status", "from_score",
        "to_score"),
        ((c[0], center_of[c[1]], mentor[center_of[c[1]]], c[5], None, c[3], None, c[4])
         for c in cells())))
    # The audit log is the biggest table in production; the pages that read it must be measured
    # against a realistic one.
    plan.wrote("audit_log", insert_rows(AuditEntry, _AUDIT_COLUMNS, (
        (mentor[center_of[c[1]]], center_of[c[1]], "progress.set", "LessonProgress", c[0], None,
         {"status": c[3], "score": c[4], "feedback": ""}, c[5]) for c in cells())))


_AUDIT_COLUMNS = ("actor_id", "center_id", "action", "object_type", "object_id", "before", "after",
                  "created_at")


def _write_attendance(plan, cohorts: dict, enrollments: list[tuple]) -> None:
    """Weekly sessions from the start; everyone enrolled and not yet withdrawn is marked."""
    sessions = []
    for cohort_id, (center, _course, status, start, _end) in cohorts.items():
        count = SESSIONS_FINISHED if status == "finished" else (
            min(SESSIONS_FINISHED, (plan.today - start).days // 7) if status == "running" else 0)
        sessions += [(cohort_id, start + timedelta(days=7 * week), plan.mentors[center][0])
                     for week in range(count)]
    ids = plan.ids(ClassSession, len(sessions))
    sessions = [(sid, *s) for sid, s in zip(ids, sessions)]
    plan.wrote("class_sessions", insert_rows(ClassSession, (
        "id", "cohort_id", "held_on", "topic", "created_by_id", "created_at"),
        ((sid, c, day, f"Тиждень {(day - cohorts[c][3]).days // 7 + 1}", m, _at(day))
         for sid, c, day, m in sessions)))
    roster: dict[int, list[tuple]] = {}
    for eid, _student, cohort_id, _status, enrolled, _done_on, withdrawn, _n in enrollments:
        roster.setdefault(cohort_id, []).append((eid, enrolled, withdrawn))
    statuses = ["present"] * 15 + ["late"] * 2 + ["absent"] * 2 + ["excused"]

    def marks():
        for sid, cohort_id, day, mentor in sessions:
            for eid, enrolled, withdrawn in roster.get(cohort_id, []):
                if enrolled <= day and (withdrawn is None or withdrawn > day):
                    yield sid, eid, statuses[(eid * 31 + sid) % len(statuses)], "", mentor, _at(day, 18)

    total = sum(1 for _ in marks())
    first = plan.ids(Attendance, total).start
    plan.wrote("attendance", insert_rows(Attendance, (
        "id", "session_id", "enrollment_id", "status", "remark", "updated_by_id", "updated_at"),
        ((first + n, *mark) for n, mark in enumerate(marks()))))
    center_of = {sid: cohorts[cohort_id][0] for sid, cohort_id, _day, _mentor in sessions}
    plan.wrote("audit_log", insert_rows(AuditEntry, _AUDIT_COLUMNS, (
        (mark[4], center_of[mark[0]], MARK_ACTION, "Attendance", first + n, None,
         {"status": mark[2], "remark": ""}, mark[5]) for n, mark in enumerate(marks()))))


def _write_pursuits(plan) -> None:
    """Two pursuits per student, each with its full stage history; vouchers for those that got one."""
    rng, today = plan.rng, plan.today
    stages = list(OPEN_STAGES) + list(FINAL_STAGES)
    weights = list(OPEN_STAGES.values()) + list(FINAL_STAGES.values())
    specs = []
    for center in plan.centers:
        for n, student in enumerate(plan.students[center]):
            first = (student * 5) % len(plan.certifications)
            for k in range(PURSUITS_PER_STUDENT):
                cert, provider = plan.certifications[(first + k * 7) % len(plan.certifications)]
                stage = rng.choices(stages, weights)[0]
                started = today - timedelta(days=rng.randint(40, 600))
                specs.append((center, student, cert, provider, stage, started, rng.random()))
    ids = plan.ids(Pursuit, len(specs))
    pursuits = [(pid, *spec) for pid, spec in zip(ids, specs)]
    with_voucher = _voucher_holders(plan, pursuits)
    plan.wrote("pursuits", insert_rows(Pursuit, _PURSUIT_COLUMNS,
                                       (_pursuit_row(plan, p, p[0] not in with_voucher) for p in pursuits)))
    plan.wrote("pursuit_stage_changes", insert_rows(PursuitStageChange, (
        "pursuit_id", "center_id", "from_stage", "to_stage", "attempt", "actor_id", "note", "details",
        "created_at"),
        (row for p in pursuits for row in _history(plan, p))))
    _write_vouchers(plan, [p for p in pursuits if p[0] in with_voucher])


def _voucher_holders(plan, pursuits: list[tuple]) -> set[int]:
    """Pursuits past the voucher stage that hold one of the center's vouchers (the rest self-pay)."""
    cap = plan.scale.vouchers_per_center * 3 // 4
    taken: dict[int, int] = {}
    holders = set()
    for pid, center, _student, _cert, _provider, stage, _started, _luck in pursuits:
        if pid % 3 == 1 and stage in ("voucher", "scheduled", "passed", "failed") \
                and taken.get(center, 0) < cap:
            taken[center] = taken.get(center, 0) + 1
            holders.add(pid)
    return holders


_PURSUIT_COLUMNS = (
    "id", "student_id", "certification_id", "center_id", "stage", "attempt", "prep_platform",
    "prep_started_on", "ready_signed_off_by_id", "ready_signed_off_at", "self_paid", "exam_date",
    "exam_delivery", "booking_reference", "result_date", "score", "credential_id", "verified_by_id",
    "verified_at", "withdraw_reason", "created_at", "updated_at")


def _timeline(p, today: date) -> list[tuple[str, date]]:
    """The stages a pursuit went through, with the day each was reached (history order)."""
    pid, _center, _student, _cert, _provider, stage, started, luck = p
    road = ROAD[: ROAD.index(stage) + 1] if stage in ROAD else list(ROAD)
    if stage == "withdrawn":
        road = ROAD[:2 + pid % 3] + ["withdrawn"]
    elif stage in ("passed", "failed"):
        road = ROAD + (["failed", "scheduled"] if stage == "passed" and luck < 0.2 else []) + [stage]
    step = max(1, min(30, ((today - started).days - 1) // (len(road) + 1)))
    return [(name, started + timedelta(days=step * i)) for i, name in enumerate(road)]


def _pursuit_row(plan, p, self_paid: bool) -> tuple:
    pid, center, student, cert, _provider, stage, started, luck = p
    reached = dict(_timeline(p, plan.today))
    attempt = 2 if stage == "passed" and luck < 0.2 else 1
    mentor = plan.mentors[center][pid % len(plan.mentors[center])]
    result_on = reached.get(stage) if stage in ("passed", "failed") else None
    exam_on = result_on or (plan.today + timedelta(days=1 + pid % 30) if stage == "scheduled" else None)
    verified = stage == "passed" and luck < 0.9
    ready_at = reached.get("ready")
    return (pid, student, cert, center, stage, attempt, "Coursera" if "preparing" in reached else None,
            reached.get("preparing"), mentor if ready_at else None, _at(ready_at) if ready_at else None,
            self_paid and "voucher" in reached, exam_on, "online" if exam_on else None,
            f"BK-{pid}" if exam_on else None, result_on, 700 + pid % 300 if result_on else None,
            f"CRED-{pid}" if stage == "passed" else None, mentor if verified else None,
            _at(result_on, 15) if verified else None, "Змінив плани" if stage == "withdrawn" else None,
            _at(started, 9), _at(max(reached.values()), 16))


def _history(plan, p):
    pid, center, _student, _cert, _provider, _stage, _started, luck = p
    mentor = plan.mentors[center][pid % len(plan.mentors[center])]
    previous, attempt = None, 1
    for name, day in _timeline(p, plan.today):
        details = {"result_date": day.isoformat()} if name in ("passed", "failed") else {}
        yield pid, center, previous, name, attempt, mentor, "", details, _at(day, 10)
        if name == "failed":
            attempt += 1
        previous = name


def _write_vouchers(plan, holders: list[tuple]) -> None:
    """Every center's stock: vouchers of pursuits that reached the voucher stage, then the rest."""
    rows, today = [], plan.today
    per_center: dict[int, int] = {c: 0 for c in plan.centers}
    for pid, center, _student, cert, provider, stage, started, _luck in holders:
        per_center[center] += 1
        used = stage in ("passed", "failed")
        rows.append((center, provider, cert, f"SC{center:03d}-{pid:07d}", started,
                     started + timedelta(days=365), "used" if used else "assigned", pid,
                     _at(started, 11), plan.mentors[center][0]))
    for center in plan.centers:
        for n in range(plan.scale.vouchers_per_center - per_center[center]):
            cert, provider = plan.certifications[n % len(plan.certifications)]
            issued = today - timedelta(days=(n * 37) % 500)
            expires = issued + timedelta(days=365)
            status = "revoked" if n % 50 == 0 else ("expired" if expires < today else "available")
            rows.append((center, provider, cert, f"SC{center:03d}-S{n:06d}", issued, expires,
                         status, None, None, None))
    plan.wrote("vouchers", insert_rows(Voucher, (
        "center_id", "provider_id", "certification_id", "code", "issued_on", "expires_on", "status",
        "pursuit_id", "assigned_at", "assigned_by_id", "funder", "currency", "value", "created_at"),
        ((*r, "USAID / Kramatorsk IT Cluster", "USD", 150, plan.now) for r in rows)))
