"""Two presses of "Take attendance" at the same moment make one class session, not two.

PostgreSQL only: each thread has its own app context, session and connection, like two
concurrent requests. Opening today's class locks the cohort's row first (SELECT … FOR UPDATE),
so the second press waits, then finds the session the first one committed.
"""
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from lms.attendance import services
from lms.attendance.models import ClassSession
from lms.cohorts.models import Cohort
from lms.core.extensions import db
from lms.users.models import Role, User
from tests.factories import make_center, make_cohort, make_course, make_user

ROUNDS = 10
TIMEOUT = 30

# Threads and several connections: real commits, emptied afterwards.
pytestmark = [pytest.mark.real_commits, pytest.mark.usefixtures("postgresql_only")]


def press(app, cohort_id: int, mentor_id: int, start: threading.Barrier, opened: list) -> None:
    """What one request does: wait for the other, open today's class, commit."""
    try:
        with app.app_context():
            try:
                start.wait(TIMEOUT)
                session = services.open_todays_session(db.session.get(Cohort, cohort_id),
                                                       db.session.get(User, mentor_id), date.today())
                opened.append(session.id)
                db.session.commit()
            finally:
                db.session.remove()
    except BaseException as unexpected:  # noqa: BLE001 — reported by the test, not lost
        opened.append(unexpected)


def test_two_presses_at_once_open_one_session(app):
    center = make_center()
    mentor = make_user(Role.MENTOR, center)
    cohorts = [make_cohort(center, make_course(), mentors=[mentor]).id for _ in range(ROUNDS)]
    db.session.commit()
    for cohort_id in cohorts:
        start, opened = threading.Barrier(2), []
        threads = [threading.Thread(target=press, args=(app, cohort_id, mentor.id, start, opened),
                                    daemon=True) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
            assert not thread.is_alive(), "a press hung"
        assert all(isinstance(found, int) for found in opened), opened
        assert len(opened) == 2 and opened[0] == opened[1]  # both pages open the same session
        db.session.expire_all()
        count = db.session.scalar(sa.select(sa.func.count(ClassSession.id))
                                  .where(ClassSession.cohort_id == cohort_id))
        assert count == 1
