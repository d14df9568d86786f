"""The same pursuit advanced twice at the same moment: exactly one move lands.

PostgreSQL only: two threads, two test clients, so two requests with their own app contexts,
sessions and connections. lock_for_change() re-reads the pursuit FOR UPDATE; the second move
waits for the first, sees the new stage and is refused with a clear message (422, not a 500).
"""
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from lms.certifications.models import Pursuit, PursuitStageChange, Stage
from lms.core.extensions import db
from tests.factories import make_certification, make_pursuit, signed_in

ROUNDS = 8
TIMEOUT = 30


# Threads and several connections: real commits, emptied afterwards.
pytestmark = [pytest.mark.real_commits, pytest.mark.usefixtures("postgresql_only")]


def move_at_once(clients, pursuit_id: int) -> list:
    """Both clients post the move to "preparing" together; their responses, in client order."""
    start, answers = threading.Barrier(len(clients)), [None] * len(clients)

    def post(i, client):
        start.wait(TIMEOUT)
        answers[i] = client.post(f"/pursuits/{pursuit_id}/move/preparing", data={
            "prep_platform": f"Platform {i}", "prep_started_on": date.today().isoformat(),
            "note": f"by {i}"})

    threads = [threading.Thread(target=post, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a move hung"
    return answers


def test_two_mentors_advance_the_same_path_at_once(app, world):
    world.a.mentor.locale = world.a.head.locale = "en"  # the refusal's words are checked below
    db.session.commit()
    clients = [signed_in(app, world.a.mentor), signed_in(app, world.a.head)]
    for round_ in range(ROUNDS):
        pursuit_id = make_pursuit(world.a.student, make_certification(name=f"Race {round_}")).id
        db.session.commit()
        answers = move_at_once(clients, pursuit_id)

        codes = sorted(answer.status_code for answer in answers)
        assert codes == [302, 422], codes
        loser = next(a for a in answers if a.status_code == 422).get_data(as_text=True)
        assert "Someone else changed this path meanwhile" in loser or "cannot go from" in loser, \
            loser[:2000]
        db.session.expire_all()
        history = db.session.scalars(sa.select(PursuitStageChange).where(
            PursuitStageChange.pursuit_id == pursuit_id)).all()
        assert len(history) == 1 and history[0].to_stage == Stage.PREPARING
        winner = answers.index(next(a for a in answers if a.status_code == 302))
        assert db.session.get(Pursuit, pursuit_id).prep_platform == f"Platform {winner}"
