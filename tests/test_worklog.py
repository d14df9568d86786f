"""The per-day work summaries and session tallies (lms/worklog): the services keep them as they
write history, and what they keep is exactly what rebuilding from the history gives."""
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from lms.attendance.models import AttendanceStatus, ClassSession
from lms.attendance.services import Mark, mark_attendance
from lms.certifications.models import Stage
from lms.certifications.services import StageInput, move_pursuit
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.demo.rebuild_summaries import rebuild
from lms.progress import services as progress
from lms.progress.models import ProgressStatus
from lms.progress.services import CellEdit
from lms.worklog.counters import count_work
from lms.worklog.models import MarkedSession, WorkDay
from tests import factories as f

P, L, A, E = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT,
              AttendanceStatus.EXCUSED)


def summaries() -> dict:
    """Every summary row, as plain values."""
    return {
        "work": sorted(db.session.execute(sa.select(
            WorkDay.center_id, WorkDay.day, WorkDay.actor_id, WorkDay.progress_cells,
            WorkDay.stage_changes)).tuples()),
        "markings": sorted(db.session.execute(sa.select(
            MarkedSession.center_id, MarkedSession.day, MarkedSession.actor_id,
            MarkedSession.session_id)).tuples()),
        "tallies": sorted(db.session.execute(sa.select(
            ClassSession.id, ClassSession.attended_count, ClassSession.counted_count)).tuples()),
    }


def new_session(cohort) -> ClassSession:
    session = ClassSession(cohort_id=cohort.id, held_on=date.today(), topic="Sensors")
    db.session.add(session)
    db.session.commit()
    return session


def do_the_work(world) -> None:
    """Real services, two centers, two people: progress cells set and set again, stage changes,
    and marks saved, then changed (present to excused, absent to late) in a second save."""
    lessons = world.course.modules[0].lessons
    for side in (world.a, world.b):
        edits = [CellEdit(side.enrollment.id, lesson.id, 0, ProgressStatus.COMPLETED)
                 for lesson in lessons[:2]]
        assert progress.save_cells(side.cohort, edits, side.mentor).written
        again = [CellEdit(side.enrollment.id, lessons[0].id, 1, ProgressStatus.IN_PROGRESS)]
        assert progress.save_cells(side.cohort, again, side.other_mentor).written
        move_pursuit(side.pursuit, Stage.PREPARING, side.mentor,
                     StageInput(prep_platform="Skill Builder", prep_started_on=date.today()),
                     date.today())
        session = new_session(side.cohort)
        enrollments = cohort_enrollments(side.cohort)
        mark_attendance(session, [Mark(enrollments[0].id, P), Mark(enrollments[1].id, A)],
                        side.mentor)
        mark_attendance(session, [Mark(enrollments[0].id, E), Mark(enrollments[1].id, L)],
                        side.head)
        db.session.commit()


def cohort_enrollments(cohort) -> list[Enrollment]:
    return list(db.session.scalars(sa.select(Enrollment).where(Enrollment.cohort_id == cohort.id)
                                   .order_by(Enrollment.id)))


@pytest.fixture
def worked():
    world = f.build_world()
    do_the_work(world)
    return world


def test_the_services_keep_what_a_rebuild_from_history_gives(worked):
    kept = summaries()
    rebuild()
    assert summaries() == kept
    today = date.today()
    a = worked.a
    assert (a.center.id, today, a.mentor.id, 2, 1) in kept["work"]
    assert (a.center.id, today, a.other_mentor.id, 1, 0) in kept["work"]
    # The second save turned present → excused (attended 1 → 0, counted 1 → 0) and
    # absent → late (attended 0 → 1): one attended of one counted.
    session_id = next(s for s, *_ in kept["tallies"]
                      if db.session.get(ClassSession, s).cohort_id == a.cohort.id)
    assert (session_id, 1, 1) in kept["tallies"]
    assert {(a.center.id, today, a.mentor.id, session_id),
            (a.center.id, today, a.head.id, session_id)} <= set(kept["markings"])


def test_saving_the_same_marks_again_changes_no_tally(worked):
    side = worked.a
    session = db.session.scalars(sa.select(ClassSession).where(
        ClassSession.cohort_id == side.cohort.id)).one()
    before = summaries()
    enrollments = cohort_enrollments(side.cohort)
    assert mark_attendance(session, [Mark(enrollments[0].id, E), Mark(enrollments[1].id, L)],
                           side.mentor) == 0
    db.session.commit()
    assert summaries() == before


def test_add_to_counts_adds_instead_of_overwriting(worked):
    side, today = worked.a, date.today()
    count_work(side.center.id, side.mentor.id, today, progress_cells=5)
    count_work(side.center.id, side.mentor.id, today, stage_changes=2)
    count_work(side.center.id, None, today, progress_cells=9)  # nobody's work
    db.session.commit()
    row = db.session.get(WorkDay, (side.center.id, today, side.mentor.id))
    assert (row.progress_cells, row.stage_changes) == (2 + 5, 1 + 2)


def test_a_retake_links_each_reach_to_the_previous_one(world):
    """Failed, then preparing again: the second "preparing" names the first one's time, every
    first reach names none, and the services agree with a rebuild from the history."""
    from tests.test_pursuits import TODAY, drive, history

    pursuit = drive(world.a.pursuit, Stage.FAILED, world.a.mentor)
    move_pursuit(pursuit, Stage.PREPARING, world.a.mentor,
                 StageInput(prep_platform="Skill Builder", prep_started_on=TODAY), TODAY)
    db.session.commit()
    changes = history(pursuit)
    preparing = [c for c in changes if c.to_stage == Stage.PREPARING]
    assert len(preparing) == 2
    assert preparing[0].previous_reach_at is None
    assert preparing[1].previous_reach_at == preparing[0].created_at
    assert all(c.previous_reach_at is None for c in changes if c.to_stage != Stage.PREPARING)
    kept = [(c.id, c.previous_reach_at) for c in changes]
    rebuild()
    db.session.expire_all()
    assert [(c.id, c.previous_reach_at) for c in history(pursuit)] == kept


@pytest.mark.real_commits
@pytest.mark.usefixtures("postgresql_only")
def test_two_mentors_marking_one_session_at_once_leave_true_tallies(app, world):
    """PostgreSQL: both read the marks as absent and both save "present" for the same student,
    one moment apart; the second waits for the first (the session's row lock), finds nothing
    left to change, and the session's tallies equal a count of its marks."""
    side = world.a
    session = new_session(side.cohort)
    first, second = cohort_enrollments(side.cohort)[:2]
    mark_attendance(session, [Mark(first.id, A), Mark(second.id, A)], side.mentor)
    db.session.commit()
    session_id, actor_ids, student = session.id, [side.mentor.id, side.head.id], first.id
    db.session.remove()
    barrier, written = threading.Barrier(2), []

    def save(actor_id):
        with app.app_context():
            from lms.users.models import User

            marked, actor = db.session.get(ClassSession, session_id), db.session.get(User, actor_id)
            barrier.wait()
            written.append(mark_attendance(marked, [Mark(student, P, shown=(A, ""))], actor))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=save, args=(actor_id,)) for actor_id in actor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(written) == [0, 1]
    kept = summaries()
    assert (session_id, 1, 2) in kept["tallies"]
    rebuild()
    assert summaries() == kept
