"""The same CSV committed twice at once: no duplicate users, profiles, enrollments or vouchers,
and no request fails with a 500.

PostgreSQL only: each thread has its own app context, hence its own session and connection,
like two requests served by two app servers. A commit locks the importing center's row, so the
second commit of the same center waits, then validates against what the first one wrote; across
centers, the unique e-mail index with ON CONFLICT DO NOTHING refuses the loser cleanly.
"""
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa

from lms.certifications.models import Voucher
from lms.cohorts.models import Enrollment
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.imports import services
from lms.imports.models import ImportBatch, ImportKind
from lms.imports.writes import RaceLost
from lms.users.models import StudentProfile, User
from tests.factories import count, make_certification, signed_in
from tests.imports_helpers import staged

TIMEOUT = 30
ROUNDS = 5


# Threads and several connections: real commits, emptied afterwards.
pytestmark = [pytest.mark.real_commits, pytest.mark.usefixtures("postgresql_only")]


def students_file(prefix: str, cohort_name: str, count: int = 12) -> str:
    return "email;full_name;cohort\n" + "".join(
        f"{prefix}{n}@example.org;Student {n};{cohort_name}\n" for n in range(count))


def at_once(*calls) -> list:
    """Run the calls in threads released together; their results (or exceptions)."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        start.wait(TIMEOUT)
        try:
            results[index] = call()
        except BaseException as unexpected:  # noqa: BLE001 — reported by the test
            results[index] = unexpected
    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a commit hung"
    return results


def test_two_uploads_of_one_file_committed_at_once_create_each_student_once(app, world):
    first, second = signed_in(app, world.a.head), signed_in(app, world.a.head)
    for round_ in range(ROUNDS):
        content = students_file(f"r{round_}-", world.a.cohort.name)
        batch_ids = [staged(first, "students", content, filename="same.csv"),
                     staged(second, "students", content, filename="same.csv")]
        db.session.commit()
        responses = at_once(lambda: first.post(f"/imports/{batch_ids[0]}/commit"),
                            lambda: second.post(f"/imports/{batch_ids[1]}/commit"))
        assert [r.status_code for r in responses] == [302, 302], responses
        mine = User.email.like(f"r{round_}-%")
        assert count(User, mine) == 12
        assert count(StudentProfile, StudentProfile.user_id.in_(sa.select(User.id).where(mine))) == 12
        assert count(Enrollment, Enrollment.student_id.in_(sa.select(User.id).where(mine))) == 12
        results = sorted(db.session.scalars(sa.select(ImportBatch.result).where(
            ImportBatch.id.in_(batch_ids))).all(), key=lambda r: r["students"])
        assert results == [{"students": 0, "enrollments": 0}, {"students": 12, "enrollments": 12}]
    assert count(AuditEntry, AuditEntry.action == "user.create") == 12 * ROUNDS


def test_one_upload_committed_twice_at_once_is_imported_once(app, world):
    first, second = signed_in(app, world.a.head), signed_in(app, world.a.head)
    for round_ in range(ROUNDS):
        batch_id = staged(first, "students", students_file(f"s{round_}-", world.a.cohort.name),
                          filename="same.csv")
        db.session.commit()
        responses = at_once(lambda: first.post(f"/imports/{batch_id}/commit"),
                            lambda: second.post(f"/imports/{batch_id}/commit"))
        assert [r.status_code for r in responses] == [302, 302], responses
        assert count(User, User.email.like(f"s{round_}-%")) == 12
        assert count(AuditEntry, AuditEntry.action == "import.commit",
                     AuditEntry.object_id == batch_id) == 1


def test_two_voucher_uploads_committed_at_once(app, world):
    make_certification(name="Race exam", exam_code="RACE-1")
    content = "provider;certification;code;issued_on\n" + "".join(
        f"aws;RACE-1;RACE-{n:03d};2026-01-01\n" for n in range(20))
    batch_ids = [services.stage(ImportKind.VOUCHERS, world.a.center, "v.csv", content.encode(),
                                world.a.head).id for _ in range(2)]
    head_id = world.a.head.id
    db.session.commit()
    outcomes = at_once(*(lambda b=b: commit_in_own_context(app, b, head_id) for b in batch_ids))
    assert sorted(o["vouchers"] for o in outcomes) == [0, 20], outcomes
    assert count(Voucher, Voucher.code.like("RACE-%")) == 20


def commit_in_own_context(app, batch_id: int, actor_id: int, before_commit=lambda: None):
    """What one commit request does, in its own app context (session and connection)."""
    with app.app_context():
        try:
            batch = db.session.get(ImportBatch, batch_id)
            actor = db.session.get(User, actor_id)
            try:
                result = services.commit(batch, actor, date.today())
            except RaceLost as error:
                db.session.rollback()
                return error
            before_commit()
            db.session.commit()
            return result
        finally:
            db.session.remove()


def wait_until_a_commit_waits_on_a_lock() -> None:
    deadline = time.monotonic() + 10
    with db.engine.connect() as probe:
        while time.monotonic() < deadline:
            waiting = probe.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
            probe.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second commit never waited on a lock")


def test_one_email_imported_into_two_centers_at_once_is_created_once(app, world):
    """Different centers do not share the center lock: the unique e-mail index decides, and the
    loser's whole commit is refused (nothing of it is written), not a 500."""
    content = "email,full_name\nshared@example.org,Shared Person\nonly-b@example.org,Only B\n"
    batch_a = services.stage(ImportKind.STUDENTS, world.a.center, "a.csv",
                             b"email,full_name\nshared@example.org,Shared Person\n", world.a.head).id
    batch_b = services.stage(ImportKind.STUDENTS, world.b.center, "b.csv", content.encode(),
                             world.b.head).id
    head_a, head_b = world.a.head.id, world.b.head.id
    db.session.commit()
    outcomes: dict = {}
    inserted = threading.Event()

    def hold_until_b_waits():
        inserted.set()
        wait_until_a_commit_waits_on_a_lock()

    def first():
        outcomes["a"] = commit_in_own_context(app, batch_a, head_a, before_commit=hold_until_b_waits)

    thread_a = threading.Thread(target=first, daemon=True)
    thread_a.start()
    assert inserted.wait(TIMEOUT)  # a has inserted and holds its transaction open until b waits
    outcomes["b"] = commit_in_own_context(app, batch_b, head_b)
    thread_a.join(TIMEOUT)
    assert outcomes["a"] == {"students": 1, "enrollments": 0}
    assert isinstance(outcomes["b"], RaceLost), outcomes["b"]
    shared = db.session.scalars(sa.select(User).where(User.email == "shared@example.org")).one()
    assert shared.center_id == world.a.center.id
    assert count(User, User.email == "only-b@example.org") == 0
    assert db.session.get(ImportBatch, batch_b).committed_at is None
