"""Student profiles: demographics and guardian consent, archive and restore, who sees what."""
from datetime import date

import pytest

from lms.users.models import Role
from tests.factories import audit, english, fresh, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

PROFILE = {"date_of_birth": "2011-04-02", "sex": "male", "disability": "yes",
           "displaced": "no", "settlement": "urban", "learner_type": "school",
           "institution": "Гімназія №3", "grade": "8", "guardian_name": "Петро Бондар",
           "guardian_contact": "+380 67 000 11 22", "guardian_consent_on": "2025-10-01"}


def test_editing_the_profile_records_before_and_after(client, login, world):
    student = world.a.student  # born 2005-05-05, nothing else stated
    login(world.a.head)
    response = client.post(f"/people/{student.id}/profile", data=PROFILE)
    assert response.status_code == 302
    profile = fresh(student).profile
    assert profile.date_of_birth == date(2011, 4, 2)
    assert profile.settlement.value == "urban" and profile.guardian_name == "Петро Бондар"
    [entry] = audit("student.profile_update")
    assert entry.actor_id == world.a.head.id and entry.object_id == student.id
    assert entry.before["date_of_birth"] == "2005-05-05" and entry.before["settlement"] is None
    assert entry.after["date_of_birth"] == "2011-04-02" and entry.after["settlement"] == "urban"
    assert entry.after["guardian_consent_on"] == "2025-10-01"
    assert set(entry.before) == set(entry.after) == set(PROFILE)

    # "Not stated" again clears the settlement; only that change is recorded.
    client.post(f"/people/{student.id}/profile", data={**PROFILE, "settlement": ""})
    latest = audit("student.profile_update")[-1]
    assert (latest.before, latest.after) == ({"settlement": "urban"}, {"settlement": None})


@pytest.mark.parametrize("field, value", [
    ("date_of_birth", "2999-12-31"), ("date_of_birth", "1899-01-01"),
    ("date_of_birth", "2011-13-01"), ("guardian_consent_on", "2010-01-01"),
    ("guardian_name", "x" * 201), ("settlement", "space"),
])
def test_a_bad_profile_is_a_422_and_changes_nothing(client, login, world, field, value):
    student = world.a.student
    english(world.a.head)
    login(world.a.head)
    response = client.post(f"/people/{student.id}/profile", data={**PROFILE, field: value})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert fresh(student).profile.date_of_birth == date(2005, 5, 5)
    assert audit("student.profile_update") == []


def test_staff_accounts_have_no_profile_page(client, login, world):
    login(world.a.head)
    assert client.get(f"/people/{world.a.mentor.id}/profile").status_code == 404


def test_admin_edits_a_profile_in_any_center(client, login, world):
    login(world.admin)
    assert client.post(f"/people/{world.b.minor.id}/profile", data=PROFILE).status_code == 302
    assert fresh(world.b.minor).profile.guardian_consent_on == date(2025, 10, 1)


def test_archived_students_leave_pickers_and_active_lists_but_keep_history(client, login, world):
    a = world.a
    spare = make_user(Role.STUDENT, a.center, full_name="Spare Student")
    login(a.head)
    assert "Spare Student" in client.get(f"/cohorts/{a.cohort.id}/enroll?q=Spare").get_data(
        as_text=True)
    assert client.post(f"/people/{spare.id}/archive").status_code == 302
    assert client.post(f"/people/{a.student.id}/archive").status_code == 302

    assert "Spare Student" not in client.get(f"/cohorts/{a.cohort.id}/enroll?q=Spare").get_data(
        as_text=True)
    active = client.get("/people/").get_data(as_text=True)
    assert spare.email not in active and a.student.email not in active
    # History stays: the enrollment is still there and the student page still opens.
    page = client.get(f"/students/{a.student.id}")
    assert page.status_code == 200 and a.cohort.name in page.get_data(as_text=True)
    [first, _second] = audit("student.archive")
    assert first.before == {"archived_at": None} and first.after["archived_at"]

    assert client.post(f"/people/{spare.id}/restore").status_code == 302
    assert "Spare Student" in client.get(f"/cohorts/{a.cohort.id}/enroll?q=Spare").get_data(
        as_text=True)
    restored = audit("student.restore")[0]
    assert restored.before["archived_at"] == first.after["archived_at"]
    assert restored.after == {"archived_at": None}


def test_archiving_twice_or_a_mentor_is_refused(client, login, world):
    english(world.a.head)
    login(world.a.head)
    client.post(f"/people/{world.a.student.id}/archive")
    again = client.post(f"/people/{world.a.student.id}/archive")
    assert again.status_code == 422 and "archived already" in again.get_data(as_text=True)
    assert client.post(f"/people/{world.a.mentor.id}/archive").status_code == 422
    assert len(audit("student.archive")) == 1


# --- who sees demographics -----------------------------------------------------------------

def test_staff_of_the_center_see_demographics_others_do_not(client, login, world):
    minor = world.a.minor
    born = minor.profile.date_of_birth.strftime("%Y")

    def as_(user):
        client.post("/auth/logout")
        login(user)

    as_(world.a.mentor)
    page = client.get(f"/students/{minor.id}")
    assert page.status_code == 200 and born in page.get_data(as_text=True)
    as_(world.b.mentor)
    assert client.get(f"/students/{minor.id}").status_code == 404
    as_(world.b.head)
    assert client.get(f"/people/{minor.id}").status_code == 404
    as_(world.a.student)
    assert client.get(f"/students/{minor.id}").status_code == 403
    assert client.get(f"/people/{minor.id}").status_code == 403
    assert client.get("/people/").status_code == 403


def test_a_student_sees_their_own_profile_and_no_classmates(client, login, world):
    a = world.a
    login(a.student)
    data = client.get("/learn/my-data.json").get_json()
    assert data["profile"]["date_of_birth"] == "2005-05-05"
    text = str(data)
    assert a.minor.email not in text and a.minor.profile.date_of_birth.isoformat() not in text
    cohort = client.get(f"/learn/cohorts/{a.cohort.id}").get_data(as_text=True)
    assert a.minor.full_name not in cohort and a.minor.email not in cohort


def _all_choices(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_choices(sub)


def test_every_choice_member_has_its_own_label(app):
    """Members are strings: two enumerations in one set_labels literal would share a key."""
    from lms import models  # noqa: F401  (every enumeration imported)
    from lms.core.model_types import _LABELS, Choice
    missing = [f"{cls.__name__}.{member.name}" for cls in _all_choices(Choice) for member in cls
               if (cls, member.value) not in _LABELS]
    assert missing == []


def test_members_with_the_same_value_keep_their_own_labels(app):
    from flask_babel import force_locale

    from lms.users.models import LearnerType, Sex
    with app.test_request_context(), force_locale("en"):
        assert str(Sex.OTHER.label) == "Other"
        assert str(LearnerType.OTHER.label) == "Other learner"
