"""Stock changes racing each other: revoke against assign, and two heads adding the same code.

PostgreSQL only: each thread has its own app context, session and connection, like two requests.
"""
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from lms.centers.models import Center
from lms.certifications import voucher_assignment
from lms.certifications.errors import PursuitError
from lms.certifications.models import Pursuit, Stage, Voucher, VoucherStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import User
from lms.vouchers import services as stock
from tests.factories import make_pursuit, make_voucher

TIMEOUT = 30
ROUNDS = 10


# Threads and several connections: real commits, emptied afterwards.
pytestmark = [pytest.mark.real_commits, pytest.mark.usefixtures("postgresql_only")]


def run_together(app, actions) -> list[dict]:
    """Run each action(outcome) in its own thread and app context, all starting together."""
    start = threading.Barrier(len(actions))
    outcomes = [{} for _ in actions]

    def run(action, outcome):
        try:
            with app.app_context(), force_locale("en"):
                try:
                    start.wait(TIMEOUT)
                    action(outcome)
                finally:
                    db.session.remove()
        except BaseException as unexpected:  # noqa: BLE001 — reported by the test
            outcome["unexpected"] = unexpected

    threads = [threading.Thread(target=run, args=pair, daemon=True)
               for pair in zip(actions, outcomes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a stock change hung"
    for outcome in outcomes:
        assert "unexpected" not in outcome, repr(outcome["unexpected"])
    return outcomes


def attempt(perform, refusal):
    """An action that commits on success and records a refusal after rolling back."""
    def action(outcome):
        try:
            perform()
        except refusal as error:
            db.session.rollback()
            outcome["refused"] = str(error.message)
            return
        db.session.commit()
        outcome["won"] = True
    return action


def test_revoke_and_assign_at_once_leave_one_consistent_outcome(app, world):
    today = date.today()
    pursuit = make_pursuit(world.a.minor, world.certification, stage=Stage.READY)
    head_id, mentor_id, pursuit_id = world.a.head.id, world.a.mentor.id, pursuit.id
    for _ in range(ROUNDS):
        voucher_id = make_voucher(world.a.center, world.certification).id

        def revoke(voucher_id=voucher_id):
            stock.revoke(db.session.get(Voucher, voucher_id), "race",
                         db.session.get(User, head_id))

        def assign(voucher_id=voucher_id):
            voucher_assignment.assign(db.session.get(Pursuit, pursuit_id), voucher_id,
                            db.session.get(User, mentor_id), today)

        outcomes = run_together(app, [attempt(revoke, stock.StockError),
                                      attempt(assign, PursuitError)])
        assert sum("won" in o for o in outcomes) == 1, outcomes
        db.session.expire_all()
        voucher = db.session.get(Voucher, voucher_id)
        if "won" in outcomes[0]:
            assert voucher.status == VoucherStatus.REVOKED and voucher.pursuit_id is None
        else:
            assert voucher.status == VoucherStatus.ASSIGNED and voucher.pursuit_id == pursuit_id
            assert "Release it through that path first" in outcomes[0]["refused"]
            voucher_assignment.release(db.session.get(Pursuit, pursuit_id), world.a.mentor)
            db.session.commit()


def test_the_same_code_added_twice_at_once_is_stored_once(app, world):
    center_id, head_id = world.a.center.id, world.a.head.id
    data = stock.VoucherInput(provider_id=world.certification.provider_id, certification_id=None,
                              code="TWIN-CODE-1", value=None, currency="USD", funder="",
                              issued_on=date.today())

    def add():
        stock.add_voucher(db.session.get(Center, center_id), data, db.session.get(User, head_id))

    outcomes = run_together(app, [attempt(add, stock.StockError) for _ in range(4)])
    assert sum("won" in o for o in outcomes) == 1, outcomes
    assert {o["refused"] for o in outcomes if "refused" in o} == {
        "A voucher with this code already exists for this provider."}
    db.session.expire_all()
    count = sa.select(sa.func.count()).select_from(Voucher).where(Voucher.code == "TWIN-CODE-1")
    assert db.session.scalar(count) == 1
    entries = sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "voucher.create")
    assert db.session.scalar(entries) == 1
