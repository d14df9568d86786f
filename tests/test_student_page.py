"""The staff's student page: a paginated timeline merged from four histories, and notes."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.certifications.models import PursuitStageChange, Stage
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.people.models import StudentNote
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus
from tests.factories import english, make_progress

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

START = datetime(2025, 1, 6, 12, 0)
KINDS = ("progress", "attendance", "stage", "note")


def add_history(world, count: int, first: int = 0) -> list[str]:
    """`count` timeline items of center a's student, one a day and the kinds interleaved;
    returns their markers, newest first (the order the page must show)."""
    a = world.a
    lessons = [lesson for module in world.course.modules for lesson in module.lessons]
    progress = db.session.scalar(sa.select(LessonProgress).where(
        LessonProgress.enrollment_id == a.enrollment.id, LessonProgress.lesson_id == lessons[0].id)
    ) or make_progress(a.enrollment, lessons[0], status=ProgressStatus.COMPLETED)
    markers = []
    for n in range(first, first + count):
        marker, at = f"tl-{n:03d}", START + timedelta(days=n)
        kind = KINDS[n % 4]
        if kind == "progress":
            db.session.add(ProgressEvent(progress_id=progress.id,
                                         center_id=progress.enrollment.cohort.center_id,
                                         actor_id=a.mentor.id,
                                         created_at=at, from_status=ProgressStatus.IN_PROGRESS,
                                         to_status=ProgressStatus.COMPLETED, to_score=8,
                                         feedback=marker))
        elif kind == "attendance":
            session = ClassSession(cohort_id=a.cohort.id, held_on=at.date(), topic="Sensors")
            db.session.add(session)
            db.session.flush()
            db.session.add(Attendance(session_id=session.id, enrollment_id=a.enrollment.id,
                                      status=AttendanceStatus.LATE, remark=marker))
        elif kind == "stage":
            db.session.add(PursuitStageChange(pursuit_id=a.pursuit.id,
                                              center_id=a.pursuit.center_id,
                                              from_stage=Stage.INTERESTED,
                                              to_stage=Stage.PREPARING, attempt=1,
                                              actor_id=a.mentor.id, note=marker, created_at=at))
        else:
            db.session.add(StudentNote(student_id=a.student.id, author_id=a.head.id,
                                       body=marker, created_at=at))
        markers.append(marker)
    db.session.commit()
    return markers[::-1]


def shown(page: str) -> list[str]:
    return re.findall(r"tl-\d{3}", page)


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_timeline_merges_four_histories_newest_first(client, login, world):
    english(world.a.head)
    expected = add_history(world, 8)
    login(world.a.head)
    page = get(client, f"/students/{world.a.student.id}")
    assert shown(page) == expected
    timeline = page.split('id="timeline-title"', 1)[1]
    assert "Lesson 1.1" in timeline and "In progress → Completed" in timeline  # progress event
    assert "score — → 8" in timeline and world.a.mentor.full_name in timeline
    assert "Late" in timeline and world.a.cohort.name in timeline and "Sensors" in timeline
    assert world.certification.name in timeline and "Interested → Preparing" in timeline
    assert world.a.head.full_name in timeline  # the note's author


def test_the_timeline_paginates_across_pages(client, login, world):
    expected = add_history(world, 60)
    login(world.a.mentor)
    url = f"/students/{world.a.student.id}"
    pages = [shown(get(client, f"{url}?page={n}")) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [25, 25, 10]
    assert pages[0] + pages[1] + pages[2] == expected
    assert shown(get(client, url)) == pages[0]
    assert f'href="{url}?page=3#timeline-title"' in get(client, url)
    get(client, f"{url}?page=4", status=404)
    for bad in ("abc", "-1", "1.5"):
        get(client, f"{url}?page={bad}", status=400)


def test_a_note_is_added_and_appears_on_the_timeline(client, login, world):
    english(world.a.mentor)
    add_history(world, 3)
    login(world.a.mentor)
    url = f"/students/{world.a.student.id}/notes"
    for body in ("", "   ", "x" * 5001):
        response = client.post(url, data={"body": body})
        assert response.status_code == 422, len(body)
        assert world.a.student.full_name in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StudentNote)) == 0
    response = client.post(url, data={"body": "Talked to the guardian.\nConsent form next week."})
    assert response.status_code == 302
    assert response.location == f"/students/{world.a.student.id}#timeline-title"
    page = get(client, f"/students/{world.a.student.id}")
    assert "Talked to the guardian.<br>Consent form next week." in page
    assert "The note was added to the timeline." in page
    first = page.split('id="timeline-title"', 1)[1]
    assert first.index("Talked to the guardian.") < first.index("tl-")  # newest first
    note = db.session.scalars(sa.select(StudentNote)).one()
    assert note.author_id == world.a.mentor.id and note.student_id == world.a.student.id
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "note.create")).one()
    assert entry.object_id == note.id and entry.actor_id == world.a.mentor.id
    assert entry.center_id == world.a.center.id
    assert entry.after == {"student_id": world.a.student.id,
                           "body": "Talked to the guardian.\nConsent form next week."}


def test_another_centers_student_answers_404(client, login, world):
    add_history(world, 3)
    login(world.b.head)
    get(client, f"/students/{world.a.student.id}", status=404)
    get(client, f"/students/{world.a.student.id}?page=2", status=404)
    response = client.post(f"/students/{world.a.student.id}/notes", data={"body": "probe"})
    assert response.status_code == 404
    staff = client.post(f"/students/{world.a.mentor.id}/notes", data={"body": "x"})
    assert staff.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StudentNote)) == 0


def test_students_are_refused(client, login, world):
    login(world.a.student)
    get(client, f"/students/{world.a.student.id}", status=403)
    response = client.post(f"/students/{world.a.student.id}/notes", data={"body": "me"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["mentor", "head"])
def test_statement_count_does_not_grow_with_the_timeline(client, login, world, count_queries, who):
    login(getattr(world.a, who))
    url = f"/students/{world.a.student.id}"

    def statements(page: int = 1) -> int:
        with count_queries() as sent:
            assert client.get(f"{url}?page={page}").status_code == 200
        return len(sent)

    add_history(world, 3)
    small = statements()
    add_history(world, 57, first=3)
    assert statements() == small and statements(page=3) == small
    assert small <= 16, small
