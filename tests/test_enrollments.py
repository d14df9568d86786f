"""Enrolling students into a cohort, withdrawing them and completing by hand, over HTTP."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from lms.cohorts.models import Enrollment, EnrollmentStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import Role
from tests.factories import audit, count, english, enroll, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

TODAY = date.today()


def enrollments_of(cohort) -> dict[int, Enrollment]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Enrollment).where(Enrollment.cohort_id == cohort.id))
    return {e.student_id: e for e in rows}


@pytest.fixture
def people(world):
    """Students of center a who could join its cohort, and some who must not be offered."""
    a, b = world.a.center, world.b.center
    student = Role.STUDENT
    names = {
        "olena": make_user(student, a, full_name="Олена Шевченко", email="o.shevchenko@example.org"),
        "olga": make_user(student, a, full_name="Olga Kovalenko", email="olga.k@example.org"),
        "petro": make_user(student, a, full_name="Petro Bondar", email="bondar@school.example.org"),
        "foreign": make_user(student, b, full_name="Olga Foreign", email="olga.f@example.org"),
        "archived": make_user(Role.STUDENT, a, full_name="Olga Archived",
                              profile={"archived_at": datetime(2024, 1, 1)}),
        "inactive": make_user(Role.STUDENT, a, full_name="Olga Inactive", is_active=False),
        "enrolled": make_user(Role.STUDENT, a, full_name="Olga Enrolled"),
        "mentor": make_user(Role.MENTOR, a, full_name="Olga Mentor"),
    }
    enroll(names["enrolled"], world.a.cohort)
    english(world.a.mentor, world.a.other_mentor, world.a.head, world.admin)
    return names


def search(client, world, q: str) -> str:
    response = client.get(f"/cohorts/{world.a.cohort.id}/enroll", query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- search ---------------------------------------------------------------------------------

def test_search_matches_part_of_a_name_or_email_in_any_case(client, login, world, people):
    login(world.a.mentor)
    page = search(client, world, "OLG")
    assert "Olga Kovalenko" in page and "Petro Bondar" not in page
    assert "Олена Шевченко" in search(client, world, "олена")
    assert "Олена Шевченко" in search(client, world, "ШЕВЧ")
    assert "Petro Bondar" in search(client, world, "@School.")
    assert "Petro Bondar" not in search(client, world, "%")  # a wildcard is a plain character


def test_search_offers_only_active_students_of_the_center_not_enrolled_yet(client, login, world,
                                                                           people):
    login(world.a.mentor)
    page = search(client, world, "olga")
    assert "Olga Kovalenko" in page
    for hidden in ("Foreign", "Archived", "Inactive", "Enrolled", "Mentor"):
        assert f"Olga {hidden}" not in page, hidden
    everyone = search(client, world, "")
    assert "Petro Bondar" in everyone and world.a.student.full_name not in everyone


def test_search_is_limited_with_a_note(client, login, world):
    for n in range(52):
        make_user(Role.STUDENT, world.a.center, full_name=f"Many {n:02d}")
    english(world.a.mentor)
    login(world.a.mentor)
    page = search(client, world, "many")
    assert "Many 49" in page and "Many 50" not in page
    assert "Only the first 50 matching students are listed" in page


def test_an_overlong_search_is_a_bad_request(client, login, world):
    login(world.a.mentor)
    url = f"/cohorts/{world.a.cohort.id}/enroll"
    assert client.get(url, query_string={"q": "x" * 101}).status_code == 400


# --- enroll ---------------------------------------------------------------------------------

def test_several_students_are_enrolled_in_one_post(client, login, world, people):
    login(world.a.mentor)
    chosen = [people["olena"].id, people["olga"].id, people["petro"].id]
    response = client.post(f"/cohorts/{world.a.cohort.id}/enroll", data={"student_ids": chosen})
    assert response.status_code == 302 and response.location == f"/cohorts/{world.a.cohort.id}"
    rows = enrollments_of(world.a.cohort)
    for student_id in chosen:
        assert rows[student_id].status == EnrollmentStatus.ACTIVE
        assert rows[student_id].enrolled_on == TODAY
    entries = audit("enrollment.create")
    assert {e.object_id for e in entries} == {rows[s].id for s in chosen}
    assert all(e.actor_id == world.a.mentor.id and e.center_id == world.a.center.id
               and e.after["status"] == "active" and e.before is None for e in entries)
    page = client.get(response.location).get_data(as_text=True)
    assert "3 students enrolled." in page and "Olga Kovalenko" in page


def test_an_empty_choice_is_refused(client, login, world, people):
    login(world.a.mentor)
    response = client.post(f"/cohorts/{world.a.cohort.id}/enroll", data={})
    assert response.status_code == 422
    assert "Choose at least one student." in response.get_data(as_text=True)


def test_capacity_refuses_all_and_writes_nothing(client, login, world, people):
    world.a.cohort.capacity = 4  # student, minor and "enrolled" already take three places
    db.session.commit()
    login(world.a.mentor)
    before, entries = enrollments_of(world.a.cohort), count(AuditEntry)
    url = f"/cohorts/{world.a.cohort.id}/enroll"
    response = client.post(url, data={"student_ids": [people["olga"].id, people["petro"].id],
                                      "search_text": "o"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The cohort has room for 1 more student and you chose 2. Nobody was enrolled." in page
    assert "Olga Kovalenko" in page  # the same search is shown again
    assert enrollments_of(world.a.cohort).keys() == before.keys() and count(AuditEntry) == entries
    assert client.post(url, data={"student_ids": [people["petro"].id]}).status_code == 302
    assert "0 places are left in this cohort." in search(client, world, "")


@pytest.mark.parametrize("who", ["mentor", "admin"])
def test_a_student_of_another_center_cannot_be_injected(client, login, world, people, who):
    login(world.admin if who == "admin" else world.a.mentor)
    before, entries = enrollments_of(world.a.cohort), count(AuditEntry)
    for intruder in (people["foreign"], world.b.student, people["archived"], people["mentor"]):
        response = client.post(f"/cohorts/{world.a.cohort.id}/enroll",
                               data={"student_ids": [people["olga"].id, intruder.id]})
        assert response.status_code == 422, intruder.full_name
        assert "cannot be enrolled in this cohort" in response.get_data(as_text=True)
    bad = client.post(f"/cohorts/{world.a.cohort.id}/enroll", data={"student_ids": ["x"]})
    assert bad.status_code == 422
    assert enrollments_of(world.a.cohort).keys() == before.keys() and count(AuditEntry) == entries


def test_enrolling_someone_already_enrolled_is_refused(client, login, world, people):
    login(world.a.mentor)
    response = client.post(f"/cohorts/{world.a.cohort.id}/enroll",
                           data={"student_ids": [people["enrolled"].id]})
    assert response.status_code == 422


def test_a_withdrawn_student_is_re_enrolled_on_the_same_row(client, login, world, people):
    login(world.a.mentor)
    withdrawn = client.post(f"/cohorts/enrollments/{world.a.enrollment.id}/withdraw",
                            data={f"withdraw-{world.a.enrollment.id}-reason": "Moved to Dnipro"})
    assert withdrawn.status_code == 302
    page = search(client, world, world.a.student.full_name)
    assert "withdrawn earlier, will be re-enrolled" in page
    response = client.post(f"/cohorts/{world.a.cohort.id}/enroll",
                           data={"student_ids": [world.a.student.id, people["petro"].id]})
    assert response.status_code == 302
    rows = enrollments_of(world.a.cohort)
    again = rows[world.a.student.id]
    assert again.id == world.a.enrollment.id and again.status == EnrollmentStatus.ACTIVE
    assert again.withdrawn_on is None and again.withdraw_reason is None
    [entry] = audit("enrollment.reactivate")
    assert entry.object_id == again.id
    assert entry.before["status"] == "withdrawn"
    assert entry.before["withdraw_reason"] == "Moved to Dnipro"
    assert entry.after["status"] == "active" and entry.after["withdrawn_on"] is None
    assert [e.object_id for e in audit("enrollment.create")] == [rows[people["petro"].id].id]


# --- who may --------------------------------------------------------------------------------

def test_a_mentor_who_does_not_teach_the_cohort_gets_a_clear_403(client, login, world, people):
    login(world.a.other_mentor)
    cohort_page = client.get(f"/cohorts/{world.a.cohort.id}").get_data(as_text=True)
    assert world.a.student.full_name in cohort_page and "Withdraw…" not in cohort_page
    response = client.get(f"/cohorts/{world.a.cohort.id}/enroll")
    assert response.status_code == 403
    assert "You do not teach this cohort" in response.get_data(as_text=True)
    posts = {
        f"/cohorts/{world.a.cohort.id}/enroll": {"student_ids": [people["olga"].id]},
        f"/cohorts/enrollments/{world.a.enrollment.id}/withdraw":
            {f"withdraw-{world.a.enrollment.id}-reason": "no"},
        f"/cohorts/enrollments/{world.a.enrollment.id}/complete":
            {f"complete-{world.a.enrollment.id}-reason": "no"},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 403, url
    assert world.a.enrollment.id in {e.id for e in enrollments_of(world.a.cohort).values()}
    assert enrollments_of(world.a.cohort)[world.a.student.id].status == EnrollmentStatus.ACTIVE
    assert people["olga"].id not in enrollments_of(world.a.cohort)


def test_the_head_may_enroll_and_withdraw(client, login, world, people):
    login(world.a.head)
    assert "Olga Kovalenko" in search(client, world, "kov")
    url = f"/cohorts/{world.a.cohort.id}/enroll"
    assert client.post(url, data={"student_ids": [people["olga"].id]}).status_code == 302
    assert people["olga"].id in enrollments_of(world.a.cohort)


def test_another_centers_cohort_and_enrollments_answer_404(client, login, world, people):
    login(world.b.head)
    enrollment = world.a.enrollment.id
    assert client.get(f"/cohorts/{world.a.cohort.id}/enroll").status_code == 404
    assert client.post(f"/cohorts/{world.a.cohort.id}/enroll",
                       data={"student_ids": [people["olga"].id]}).status_code == 404
    for kind in ("withdraw", "complete", "reopen"):
        response = client.post(f"/cohorts/enrollments/{enrollment}/{kind}",
                               data={f"{kind}-{enrollment}-reason": "because"})
        assert response.status_code == 404, kind
    assert enrollments_of(world.a.cohort)[world.a.student.id].status == EnrollmentStatus.ACTIVE


def test_students_are_refused(client, login, world):
    login(world.a.student)
    assert client.get(f"/cohorts/{world.a.cohort.id}/enroll").status_code == 403
    assert client.post(f"/cohorts/enrollments/{world.a.enrollment.id}/withdraw").status_code == 403


# --- withdraw, complete, reopen ---------------------------------------------------------------

def test_withdrawing_needs_a_reason(client, login, world):
    english(world.a.mentor)
    login(world.a.mentor)
    enrollment = world.a.enrollment.id
    url, field = f"/cohorts/enrollments/{enrollment}/withdraw", f"withdraw-{enrollment}-reason"
    for reason in ("", "   ", "x" * 501):
        response = client.post(url, data={field: reason})
        assert response.status_code == 422, reason
        assert world.a.student.full_name in response.get_data(as_text=True)  # the roster again
    assert enrollments_of(world.a.cohort)[world.a.student.id].status == EnrollmentStatus.ACTIVE
    assert client.post(url, data={field: " Moved away "}).status_code == 302
    row = enrollments_of(world.a.cohort)[world.a.student.id]
    assert (row.status, row.withdrawn_on, row.withdraw_reason) == (
        EnrollmentStatus.WITHDRAWN, TODAY, "Moved away")
    [entry] = audit("enrollment.withdraw")
    assert entry.object_id == enrollment and entry.actor_id == world.a.mentor.id
    assert entry.center_id == world.a.center.id
    assert entry.before["status"] == "active" and entry.before["withdrawn_on"] is None
    assert entry.after == {**entry.before, "status": "withdrawn", "withdrawn_on": TODAY.isoformat(),
                           "withdraw_reason": "Moved away"}
    again = client.post(url, data={field: "twice"})
    assert again.status_code == 422
    assert "Only an active enrollment can be withdrawn." in again.get_data(as_text=True)


def test_manual_completion_shows_who_set_it_and_can_be_undone(client, login, world):
    english(world.a.mentor)
    login(world.a.mentor)
    enrollment = world.a.enrollment.id
    complete = f"/cohorts/enrollments/{enrollment}/complete"
    assert client.post(complete, data={f"complete-{enrollment}-reason": ""}).status_code == 422
    response = client.post(complete, data={f"complete-{enrollment}-reason": "Finished the project"})
    assert response.status_code == 302
    row = enrollments_of(world.a.cohort)[world.a.student.id]
    assert row.status == EnrollmentStatus.COMPLETED and row.completed_on == TODAY
    assert row.completion_set_by_id == world.a.mentor.id
    assert row.completion_reason == "Finished the project"
    page = client.get(f"/cohorts/{world.a.cohort.id}").get_data(as_text=True)
    assert f"Completed, set by {world.a.mentor.full_name}" in page
    assert "Finished the project" in page and "Undo the completion" in page
    [done] = audit("enrollment.complete")
    assert done.before["status"] == "active" and done.after["status"] == "completed"
    assert done.after["completion_set_by_id"] == world.a.mentor.id

    assert client.post(f"/cohorts/enrollments/{enrollment}/reopen").status_code == 302
    row = enrollments_of(world.a.cohort)[world.a.student.id]
    assert row.status == EnrollmentStatus.ACTIVE
    assert (row.completed_on, row.completion_set_by_id, row.completion_reason) == (None, None, None)
    [undone] = audit("enrollment.reopen")
    assert undone.before == done.after
    assert undone.after["status"] == "active" and undone.after["completion_reason"] is None


def test_only_a_manual_completion_can_be_reopened(client, login, world):
    english(world.a.mentor)
    login(world.a.mentor)
    response = client.post(f"/cohorts/enrollments/{world.a.enrollment.id}/reopen")
    assert response.status_code == 422
    assert "Only a completion marked by hand can be undone." in response.get_data(as_text=True)
    world.a.enrollment.status, world.a.enrollment.completed_on = EnrollmentStatus.COMPLETED, TODAY
    db.session.commit()  # completed because every lesson is done: not a mentor's decision to undo
    assert client.post(f"/cohorts/enrollments/{world.a.enrollment.id}/reopen").status_code == 422
    assert audit("enrollment.reopen") == []
