"""People: the list and its download, creating accounts, editing, deactivating, audit values."""
import csv
import io

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import Role, User
from tests.factories import audit, english, fresh, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def counts() -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count(User.id))),
            db.session.scalar(sa.select(sa.func.count(AuditEntry.id))))


NEW_STUDENT = {"full_name": "Олена Коваль", "email": "Olena.Koval@Example.org", "role": "student",
               "locale": "uk", "date_of_birth": "2010-03-14", "sex": "female",
               "disability": "no", "displaced": "yes", "settlement": "rural",
               "learner_type": "school", "institution": "Ліцей №5", "grade": "9",
               "guardian_name": "Ірина Коваль", "guardian_contact": "+380 50 123 45 67",
               "guardian_consent_on": "2025-09-01"}


# --- the list ---------------------------------------------------------------------------

def test_head_lists_only_their_center(client, login, world):
    login(world.a.head)
    page = client.get("/people/?status=all").get_data(as_text=True)
    assert world.a.student.email in page and world.a.mentor.email in page
    assert world.b.student.email not in page and world.admin.email not in page

    mentors = client.get("/people/?role=mentor").get_data(as_text=True)
    assert world.a.mentor.email in mentors and world.a.student.email not in mentors

    found = client.get(f"/people/?q={world.a.minor.full_name.upper()}").get_data(as_text=True)
    assert world.a.minor.email in found and world.a.student.email not in found
    # A head's filter has no center: another center cannot be asked for.
    other = client.get(f"/people/?center={world.b.center.id}").get_data(as_text=True)
    assert world.b.student.email not in other


def test_admin_lists_every_center_and_filters_by_center(client, login, world):
    login(world.admin)
    page = client.get("/people/?status=all").get_data(as_text=True)
    for email in (world.a.student.email, world.b.student.email, world.admin.email):
        assert email in page
    only_b = client.get(f"/people/?center={world.b.center.id}").get_data(as_text=True)
    assert world.b.head.email in only_b and world.a.head.email not in only_b


@pytest.mark.parametrize("query", ["role=owner", "status=gone", "center=999999", "page=x",
                                   "q=" + "x" * 101])
def test_bad_filters_are_a_400(client, login, world, query):
    login(world.admin)
    assert client.get(f"/people/?{query}").status_code == 400


def test_status_filter_separates_deactivated_and_archived(client, login, world):
    a = world.a
    a.mentor.is_active = False
    a.minor.profile.archived_at = a.minor.created_at
    db.session.commit()
    login(a.head)
    active = client.get("/people/").get_data(as_text=True)
    assert a.student.email in active
    assert a.mentor.email not in active and a.minor.email not in active
    assert a.mentor.email in client.get("/people/?status=deactivated").get_data(as_text=True)
    assert a.minor.email in client.get("/people/?status=archived").get_data(as_text=True)


def test_csv_download_has_the_filtered_rows_of_the_center(client, login, world):
    login(world.a.head)
    response = client.get("/people/export.csv?status=all", buffered=True)  # streamed
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    emails = {row[1] for row in rows[1:]}
    assert emails == {world.a.head.email, world.a.mentor.email, world.a.other_mentor.email,
                      world.a.student.email, world.a.minor.email}


@pytest.mark.parametrize("who", ["head", "admin"])
def test_list_statements_do_not_grow_with_data(login, world, page_statements, who):
    user = world.admin if who == "admin" else world.a.head
    login(user)
    before = page_statements("/people/?status=all")
    for n in range(30):
        make_user(Role.STUDENT if n % 3 else Role.MENTOR, world.a.center)
    assert page_statements("/people/?status=all") == before
    assert before <= 6


def test_account_page_statements_are_bounded(login, world, page_statements):
    login(world.a.head)
    assert page_statements(f"/people/{world.a.student.id}") <= 5


def test_mentors_list_the_students_of_their_center(client, login, world):
    a = world.a
    login(a.mentor)
    page = client.get("/people/students").get_data(as_text=True)
    assert a.student.email in page and a.minor.email in page
    assert a.head.email not in page and world.b.student.email not in page
    assert page.count("status status--soon") == 1  # the minor without consent is flagged
    response = client.get("/people/students.csv?q=" + a.minor.email, buffered=True)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    assert [row[1] for row in rows[1:]] == [a.minor.email]
    assert client.get("/people/").status_code == 403  # managing accounts stays with heads
    assert client.get("/people/students?role=head").status_code == 200  # no role filter here


def test_student_list_statements_do_not_grow_with_data(login, world, page_statements):
    login(world.a.mentor)
    before = page_statements("/people/students")
    for _n in range(20):
        make_user(Role.STUDENT, world.a.center)
    assert page_statements("/people/students") == before <= 5


# --- creating accounts ------------------------------------------------------------------

def test_head_creates_a_student_with_profile_in_their_center(client, login, world):
    login(world.a.head)
    response = client.post("/people/new", data={**NEW_STUDENT, "center_id": world.b.center.id})
    assert response.status_code == 302
    user = by_email("olena.koval@example.org")  # stored normalised
    assert user.center_id == world.a.center.id  # a head's accounts stay in their own center
    assert user.role == Role.STUDENT and user.password_hash is None
    assert user.profile.displaced.value == "yes" and user.profile.institution == "Ліцей №5"
    entry = audit("user.create")[-1]
    assert entry.actor_id == world.a.head.id and entry.object_id == user.id
    assert entry.before is None
    assert entry.after["email"] == "olena.koval@example.org"
    assert entry.after["center_id"] == world.a.center.id
    assert entry.after["profile"]["date_of_birth"] == "2010-03-14"
    assert entry.after["profile"]["sex"] == "female"


def test_head_creates_mentor_and_head_but_not_admin(client, login, world):
    login(world.a.head)
    for role in ("mentor", "head"):
        data = {"full_name": f"New {role}", "email": f"new-{role}@example.org", "role": role,
                "locale": "en"}
        assert client.post("/people/new", data=data).status_code == 302
        assert by_email(f"new-{role}@example.org").role == Role(role)
    before = counts()
    refused = client.post("/people/new", data={"full_name": "Boss", "email": "boss@example.org",
                                               "role": "admin", "locale": "uk"})
    assert refused.status_code == 422
    assert counts() == before


def test_admin_creates_accounts_in_any_center_and_admins_without_one(client, login, world):
    english(world.admin)
    login(world.admin)
    data = {"full_name": "Head B2", "email": "head-b2@example.org", "role": "head",
            "locale": "uk", "center_id": world.b.center.id}
    assert client.post("/people/new", data=data).status_code == 302
    assert by_email("head-b2@example.org").center_id == world.b.center.id

    admin = {"full_name": "Admin 2", "email": "admin2@example.org", "role": "admin",
             "locale": "en", "center_id": 0}
    assert client.post("/people/new", data=admin).status_code == 302
    assert by_email("admin2@example.org").center_id is None

    before = counts()
    centered_admin = client.post("/people/new", data={**admin, "email": "a3@example.org",
                                                      "center_id": world.a.center.id})
    assert centered_admin.status_code == 422
    assert "not to a center" in centered_admin.get_data(as_text=True)
    no_center = client.post("/people/new", data={**data, "email": "m@example.org", "center_id": 0})
    assert no_center.status_code == 422
    assert "Choose the center" in no_center.get_data(as_text=True)
    assert counts() == before


def test_an_email_in_use_in_any_case_is_refused_next_to_the_field(client, login, world):
    english(world.a.head)
    login(world.a.head)
    before = counts()
    # An account of another center: uniqueness is cluster-wide.
    data = {**NEW_STUDENT, "email": "  " + world.b.student.email.upper() + " "}
    response = client.post("/people/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and "already uses this e-mail" in page
    assert counts() == before


@pytest.mark.parametrize("field, value, message", [
    ("date_of_birth", "2999-01-01", "cannot be in the future"),
    ("date_of_birth", "1850-06-01", "more than 100 years ago"),
    ("date_of_birth", "2010-02-30", "Not a valid date"),
    ("guardian_consent_on", "2009-01-01", "before the date of birth"),
    ("guardian_consent_on", "2999-01-01", "cannot be in the future"),
    ("email", "not-an-email", "Invalid email"),
    ("full_name", "Я" * 201, "200"),
    ("institution", "x" * 201, "200"),
    ("grade", "x" * 41, "40"),
    ("sex", "unknown", "Not a valid choice"),
    ("full_name", "   ", "This field is required"),
])
def test_bad_input_is_a_422_next_to_its_field_and_writes_nothing(
        client, login, world, field, value, message):
    english(world.a.head)
    login(world.a.head)
    before = counts()
    response = client.post("/people/new", data={**NEW_STUDENT, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert counts() == before


# --- editing -----------------------------------------------------------------------------

def test_edit_records_the_changed_values_before_and_after(client, login, world):
    mentor, old_name = world.a.mentor, world.a.mentor.full_name
    login(world.a.head)
    data = {"full_name": "Renamed Mentor", "email": mentor.email, "role": "head", "locale": "en"}
    assert client.post(f"/people/{mentor.id}/edit", data=data).status_code == 302
    mentor = fresh(mentor)
    assert (mentor.full_name, mentor.role, mentor.locale) == ("Renamed Mentor", Role.HEAD, "en")
    entry = audit("user.update")[-1]
    assert entry.before == {"full_name": old_name, "role": "mentor", "locale": "uk"}
    assert entry.after == {"full_name": "Renamed Mentor", "role": "head", "locale": "en"}

    # Saving the same values again changes nothing and writes no entry.
    client.post(f"/people/{mentor.id}/edit", data=data)
    assert len(audit("user.update")) == 1


def test_edit_refuses_a_taken_email_and_own_role_change(client, login, world):
    head = world.a.head
    english(head)
    login(head)
    taken = {"full_name": "X", "email": world.a.student.email.upper(), "role": "mentor",
             "locale": "uk"}
    response = client.post(f"/people/{world.a.mentor.id}/edit", data=taken)
    assert response.status_code == 422 and "already uses" in response.get_data(as_text=True)
    demote = {"full_name": head.full_name, "email": head.email, "role": "student", "locale": "uk"}
    assert client.post(f"/people/{head.id}/edit", data=demote).status_code == 422
    assert fresh(head).role == Role.HEAD
    assert audit("user.update") == []


def test_head_cannot_see_or_change_other_centers_people_or_admins(client, login, world):
    login(world.a.head)
    for target in (world.b.student, world.b.head, world.admin):
        assert client.get(f"/people/{target.id}").status_code == 404
        assert client.get(f"/people/{target.id}/edit").status_code == 404
        for action in ("deactivate", "invite"):
            assert client.post(f"/people/{target.id}/{action}").status_code == 404
    assert client.post(f"/people/{world.b.student.id}/profile",
                       data={"sex": "male"}).status_code == 404
    assert fresh(world.b.student).is_active and fresh(world.admin).is_active
    assert audit("user.deactivate") == []


# --- deactivation -------------------------------------------------------------------------

def test_deactivation_ends_the_users_existing_session(app, client, login, world):
    student = world.a.student
    other = app.test_client()
    other.post("/auth/login", data={"email": student.email, "password": "correct-horse-battery"})
    assert other.get("/my").status_code == 200

    login(world.a.head)
    assert client.post(f"/people/{student.id}/deactivate").status_code == 302
    response = other.get("/my")
    assert response.status_code == 302 and response.location.startswith("/auth/login")
    entry = audit("user.deactivate")[-1]
    assert (entry.before, entry.after) == ({"is_active": True}, {"is_active": False})
    assert entry.actor_id == world.a.head.id

    assert client.post(f"/people/{student.id}/reactivate").status_code == 302
    assert fresh(student).is_active
    assert audit("user.reactivate")[-1].after == {"is_active": True}
    login_again = other.post("/auth/login", data={"email": student.email,
                                                  "password": "correct-horse-battery"})
    assert login_again.status_code == 302


def test_nobody_deactivates_themselves(client, login, world):
    english(world.a.head)
    login(world.a.head)
    response = client.post(f"/people/{world.a.head.id}/deactivate")
    assert response.status_code == 422
    assert "your own account" in response.get_data(as_text=True)
    assert fresh(world.a.head).is_active


def test_pages_render_in_both_languages(client, login, world):
    for language in ("uk", "en"):
        world.a.head.locale = language
        db.session.commit()
        login(world.a.head)
        for url in ("/people/", "/people/new", f"/people/{world.a.student.id}",
                    f"/people/{world.a.student.id}/edit", f"/people/{world.a.student.id}/profile",
                    f"/people/{world.a.mentor.id}"):
            response = client.get(url)
            assert response.status_code == 200, (language, url)
            assert f'<html lang="{language}">' in response.get_data(as_text=True)
        nav = client.get("/people/").get_data(as_text=True)
        assert ("Вийти" if language == "uk" else "Sign out") in nav
