"""One voucher is never assigned twice, even when two mentors press the button at the same moment.

PostgreSQL only: each thread has its own app context, hence its own session and connection,
exactly like two concurrent requests. voucher_assignment.assign is a single conditional UPDATE; under
READ COMMITTED the second UPDATE waits for the first one's row lock, re-checks its WHERE clause
on the committed row and matches nothing.
"""
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from lms.certifications import voucher_assignment
from lms.certifications.errors import PursuitError
from lms.certifications.models import Pursuit, Voucher, VoucherStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import User
from tests.factories import make_certification, make_pursuit, make_voucher

ROUNDS = 20
TIMEOUT = 30


# Threads and several connections: real commits, emptied afterwards.
pytestmark = [pytest.mark.real_commits, pytest.mark.usefixtures("postgresql_only")]


def assign_in_own_context(app, pursuit_id: int, voucher_id: int, actor_id: int, today: date,
                          start: threading.Barrier, outcome: dict,
                          before_commit=lambda: None) -> None:
    """What one request does: load, assign, commit — or roll back on a refusal."""
    try:
        with app.app_context(), force_locale("en"):
            try:
                pursuit = db.session.get(Pursuit, pursuit_id)
                actor = db.session.get(User, actor_id)
                pursuit.certification  # loaded now, so the race is only about the UPDATE
                db.session.commit()    # hold no transaction while waiting at the barrier
                start.wait(TIMEOUT)
                try:
                    voucher_assignment.assign(pursuit, voucher_id, actor, today)
                except PursuitError as error:
                    db.session.rollback()
                    outcome["error"] = error
                    return
                before_commit()
                db.session.commit()
                outcome["won"] = True
            finally:
                db.session.remove()
    except BaseException as unexpected:  # noqa: BLE001 — reported by the test, not lost
        outcome["unexpected"] = unexpected


def race(app, contenders: list[tuple[int, int]], voucher_id: int, today: date,
         hooks=None) -> list[dict]:
    """Run one thread per (pursuit id, actor id), all starting the UPDATE together."""
    start = threading.Barrier(len(contenders))
    outcomes = [{} for _ in contenders]
    threads = [threading.Thread(
        target=assign_in_own_context,
        args=(app, pursuit_id, voucher_id, actor_id, today, start, outcome),
        kwargs={"before_commit": hooks[i]} if hooks else {}, daemon=True)
        for i, ((pursuit_id, actor_id), outcome) in enumerate(zip(contenders, outcomes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "an assignment hung"
    for outcome in outcomes:
        assert "unexpected" not in outcome, repr(outcome["unexpected"])
    return outcomes


def check_one_winner(outcomes: list[dict], pursuit_ids: list[int], voucher_id: int) -> int:
    winners = [i for i, outcome in enumerate(outcomes) if outcome.get("won")]
    losers = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert len(winners) == 1, outcomes
    assert len(losers) == len(outcomes) - 1
    assert all(error.field_name == "voucher_id" for error in losers)
    winner = pursuit_ids[winners[0]]

    db.session.expire_all()
    voucher = db.session.get(Voucher, voucher_id)
    assert voucher.status == VoucherStatus.ASSIGNED
    assert voucher.pursuit_id == winner
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "voucher.assign", AuditEntry.object_id == voucher_id)).all()
    assert len(entries) == 1
    assert entries[0].after == {"status": "assigned", "pursuit_id": winner}
    return winner


def contenders(world, certification) -> tuple[list[int], list[tuple[int, int]]]:
    """Two students of the same center, each with a path to the certification; two mentors."""
    first = make_pursuit(world.a.student, certification)
    second = make_pursuit(world.a.minor, certification)
    pursuit_ids = [first.id, second.id]
    return pursuit_ids, [(first.id, world.a.mentor.id), (second.id, world.a.other_mentor.id)]


def test_two_mentors_assign_the_same_voucher_at_the_same_moment(app, world):
    today = date.today()
    wins = {0: 0, 1: 0}
    for round_ in range(ROUNDS):
        certification = make_certification(name=f"Race {round_}")
        pursuit_ids, pairs = contenders(world, certification)
        voucher = make_voucher(world.a.center, certification)
        voucher_id = voucher.id
        db.session.commit()      # the test's own session holds nothing while the threads run

        outcomes = race(app, pairs, voucher_id, today)

        winner = check_one_winner(outcomes, pursuit_ids, voucher_id)
        wins[pursuit_ids.index(winner)] += 1
    assert sum(wins.values()) == ROUNDS
    # every voucher went to exactly one pursuit
    assigned = db.session.scalars(sa.select(Voucher.pursuit_id).where(
        Voucher.status == VoucherStatus.ASSIGNED)).all()
    assert len(assigned) == ROUNDS


def test_the_second_update_waits_for_the_first_and_then_finds_nothing(app, world):
    """A deterministic interleaving: the first assignment holds its transaction open until the
    second one is seen waiting on the row lock, then commits; the second must lose."""
    certification = make_certification(name="Lock order")
    pursuit_ids, pairs = contenders(world, certification)
    voucher_id = make_voucher(world.a.center, certification).id
    db.session.commit()

    first_done = threading.Event()

    def hold_until_the_other_waits():
        first_done.set()
        deadline = time.monotonic() + 10
        with db.engine.connect() as probe:
            while time.monotonic() < deadline:
                waiting = probe.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE vouchers%'")).scalar()
                probe.rollback()
                if waiting:
                    return
                time.sleep(0.02)
        raise AssertionError("the second assignment never waited on the voucher's row lock")

    # Thread 0 updates first (thread 1 starts only once thread 0 has updated), then waits
    # until thread 1 is blocked on the row lock before committing.
    outcomes = [{}, {}]
    first = threading.Thread(target=assign_in_own_context, daemon=True, args=(
        app, pairs[0][0], voucher_id, pairs[0][1], date.today(), threading.Barrier(1),
        outcomes[0]),
        kwargs={"before_commit": hold_until_the_other_waits})
    first.start()
    assert first_done.wait(TIMEOUT)
    second = threading.Thread(target=assign_in_own_context, daemon=True, args=(
        app, pairs[1][0], voucher_id, pairs[1][1], date.today(), threading.Barrier(1),
        outcomes[1]))
    second.start()
    for thread in (first, second):
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "an assignment hung"
    for outcome in outcomes:
        assert "unexpected" not in outcome, repr(outcome["unexpected"])

    assert outcomes[0] == {"won": True}
    assert check_one_winner(outcomes, pursuit_ids, voucher_id) == pursuit_ids[0]
    assert "no longer available" in str(force_english(outcomes[1]["error"].message))


def force_english(lazy_message) -> str:
    """Refusals keep their message lazy; render it in English to compare."""
    with force_locale("en"):
        return str(lazy_message)
