"""CSV import of students: preview of every row, all-or-nothing commit, idempotence, scope."""
import pytest
import sqlalchemy as sa

from lms.cohorts.models import Enrollment
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.imports.models import ImportBatch
from lms.users.models import Role, Sex, StudentProfile, User, YesNo
from tests.conftest import PASSWORD
from tests.factories import make_cohort
from tests.imports_helpers import row_html, staged, table_rows

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

HEADER = "email,full_name,date_of_birth,sex,displaced,cohort\n"


def people(session=db.session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User))


def test_a_file_of_bad_rows_writes_nothing_and_reports_every_problem(client, world, head):
    other_cohort = world.b.cohort
    content = HEADER + "\n".join([
        ",Nobody,,,,",                                              # 2 e-mail missing
        "not-an-email,Bad Mail,,,,",                                # 3
        "noname@example.org,,,,,",                                  # 4 name missing
        "date@example.org,Bad Date,2010-02-30,,,",                  # 5
        "sex@example.org,Bad Sex,,unknown,,",                       # 6
        "idp@example.org,Bad IDP,,,maybe,",                         # 7
        f"cohort@example.org,Unknown Cohort,,,,{other_cohort.name}",  # 8 another center's
        f"cohortid@example.org,Unknown Id,,,,{other_cohort.id}",    # 9
        "twice@example.org,First,,,,",                              # 10
        "TWICE@example.org,Second,,,,",                             # 11 duplicate
        f"{world.b.student.email},Taken,,,,",                       # 12 another center's person
        f"{world.a.mentor.email},Staff,,,,",                        # 13 not a student
        "future@example.org,Future,2099-01-01,,,",                  # 14
        "extra@example.org,Extra,,,,,surplus",                      # 15
    ]) + "\n"
    before = people()
    batch_id = staged(client, "students", content)

    page = client.get(f"/imports/{batch_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    expected = {
        2: "Email is required.",
        3: "“not-an-email” is not a valid e-mail address.",
        4: "Full name is required.",
        5: "“2010-02-30” is not a date",
        6: "“unknown” is not one of: female, male, other, not_stated.",
        7: "“maybe” is not one of: yes, no, not_stated.",
        8: f"Unknown cohort “{other_cohort.name}” at this center.",
        9: f"Unknown cohort “{other_cohort.id}” at this center.",
        11: "Duplicate of line 10 in this file.",
        12: f"{world.b.student.email} is the e-mail of another account",
        13: f"{world.a.mentor.email} is the e-mail of another account",
        14: "2099-01-01 is in the future.",
        15: "The row has 1 values in columns without a header.",
    }
    for line, message in expected.items():
        row = row_html(html, line)
        assert message in row, (line, row)
        assert "Has problems" in row
    assert "Will be created" in row_html(html, 10)
    assert 'id="import-blocked"' in html and "Import these rows" not in html

    response = client.post(f"/imports/{batch_id}/commit")
    assert response.status_code == 422
    assert "Nothing was imported" in response.get_data(as_text=True)
    db.session.expire_all()
    assert people() == before
    assert db.session.get(ImportBatch, batch_id).committed_at is None
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions == ["import.upload"]


def test_the_same_file_twice_gives_the_same_database(client, world, head):
    cohort = world.a.cohort
    content = HEADER + (f"anna@example.org,Anna Shevchenko,2009-04-01,female,yes,{cohort.name}\n"
                        f"Bohdan@Example.org,Bohdan Melnyk,,,,{cohort.id}\n"
                        "clara@example.org,Clara Ivanenko,,,,\n"
                        f"{world.a.student.email},Already Here,,,,\n")
    first = staged(client, "students", content)
    assert client.post(f"/imports/{first}/commit").status_code == 302
    tables = (User.__table__, StudentProfile.__table__, Enrollment.__table__)
    state = table_rows(*tables)
    created = db.session.scalars(sa.select(User).where(User.email.in_(
        ["anna@example.org", "bohdan@example.org", "clara@example.org"]))).all()
    assert len(created) == 3

    second = staged(client, "students", content)
    html = client.get(f"/imports/{second}").get_data(as_text=True)
    assert "The same file was already imported" in html
    for line in (2, 3, 4, 5):
        assert "Already exists; nothing to do" in row_html(html, line)
    assert client.post(f"/imports/{second}/commit").status_code == 302
    db.session.expire_all()
    assert table_rows(*tables) == state
    creations = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.action.in_(["user.create", "enrollment.create"]))).all()
    assert sorted(creations) == ["enrollment.create"] * 2 + ["user.create"] * 3
    # committing the first batch again is refused politely and changes nothing
    again = client.post(f"/imports/{first}/commit", follow_redirects=True)
    assert again.status_code == 200 and "importing it again changes nothing" in again.get_data(as_text=True)
    assert table_rows(*tables) == state


def test_semicolons_bom_and_ukrainian_headers_and_names(client, world, head):
    cohort = world.a.cohort
    content = ("\ufeffЕлектронна пошта;ПІБ;Дата народження;Стать;ВПО;Тип населеного пункту;Група\r\n"
               f"olena.koval@example.org;Олена Коваль;31.05.2010;Жіноча;так;сільський;{cohort.name}\r\n"
               f"petro@example.org;Петро Ґудзь-Їжакевич;2008-01-15;чоловіча;ні;міський;{cohort.id}\r\n")
    # Ukrainian enumeration labels are the catalog's; accept the English values too.
    content = content.replace(";так;", ";yes;").replace(";ні;", ";no;")
    content = content.replace(";сільський;", ";rural;").replace(";міський;", ";urban;")
    batch_id = staged(client, "students", content.encode("utf-8"))
    html = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Олена Коваль" in row_html(html, 2) and "Will be created" in row_html(html, 2)
    assert client.post(f"/imports/{batch_id}/commit").status_code == 302

    olena = db.session.scalars(sa.select(User).where(User.email == "olena.koval@example.org")).one()
    assert olena.full_name == "Олена Коваль" and olena.role == Role.STUDENT
    assert olena.center_id == world.a.center.id and olena.password_hash is None
    assert olena.profile.sex == Sex.FEMALE and olena.profile.displaced == YesNo.YES
    assert olena.profile.date_of_birth.isoformat() == "2010-05-31"
    petro = db.session.scalars(sa.select(User).where(User.email == "petro@example.org")).one()
    assert petro.full_name == "Петро Ґудзь-Їжакевич" and petro.profile.sex == Sex.MALE
    enrolled = db.session.scalars(sa.select(Enrollment.student_id).where(
        Enrollment.cohort_id == cohort.id)).all()
    assert {olena.id, petro.id} <= set(enrolled)


def test_an_existing_student_is_enrolled_and_audited(client, world, head):
    second_cohort = make_cohort(world.a.center, world.course, name="Robotics B")
    content = HEADER + f"{world.a.student.email.upper()},Ignored Name,,,,Robotics B\n"
    batch_id = staged(client, "students", content)
    assert "Exists; will be enrolled" in row_html(client.get(f"/imports/{batch_id}").get_data(as_text=True), 2)
    assert client.post(f"/imports/{batch_id}/commit").status_code == 302
    enrollment = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.cohort_id == second_cohort.id)).one()
    assert enrollment.student_id == world.a.student.id
    assert db.session.get(User, world.a.student.id).full_name != "Ignored Name"
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "enrollment.create")).one()
    assert entry.object_id == enrollment.id and entry.actor_id == world.a.head.id
    assert entry.after["cohort_id"] == second_cohort.id and entry.after["status"] == "active"
    commit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import.commit")).one()
    assert commit.after["students"] == 0 and commit.after["enrollments"] == 1


def test_created_students_are_audited_with_their_values(client, world, head):
    batch_id = staged(client, "students", HEADER + "new@example.org,New Person,2011-02-03,other,,\n")
    client.post(f"/imports/{batch_id}/commit")
    user = db.session.scalars(sa.select(User).where(User.email == "new@example.org")).one()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "user.create")).one()
    assert entry.object_type == "User" and entry.object_id == user.id
    assert entry.center_id == world.a.center.id and entry.actor_id == world.a.head.id
    assert entry.after["email"] == "new@example.org" and entry.after["sex"] == "other"
    assert entry.after["date_of_birth"] == "2011-02-03" and entry.after["role"] == "student"


def test_a_cohort_without_room_refuses_the_whole_file(client, world, head):
    make_cohort(world.a.center, world.course, name="Tiny", capacity=1)
    content = HEADER + "one@example.org,One,,,,Tiny\ntwo@example.org,Two,,,,Tiny\n"
    batch_id = staged(client, "students", content)
    html = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Cohort “Tiny” has room for 1 more students and this file enrolls 2." in html
    assert client.post(f"/imports/{batch_id}/commit").status_code == 422
    assert people() == 11  # the world's people only


def test_two_cohorts_with_one_name_must_be_given_by_number(client, world, head):
    twin = make_cohort(world.a.center, world.course, name="Twins")
    make_cohort(world.a.center, world.course, name="twins")
    content = HEADER + "a1@example.org,A,,,,Twins\n" + f"a2@example.org,B,,,,{twin.id}\n"
    html = client.get(f"/imports/{staged(client, 'students', content)}").get_data(as_text=True)
    assert "Several cohorts are called “Twins”" in row_html(html, 2)
    assert "Will be created" in row_html(html, 3)


def test_a_head_cannot_see_or_commit_another_centers_batch(app, client, world, head, login):
    other_head = app.test_client()
    other_head.post("/auth/login", data={"email": world.b.head.email, "password": PASSWORD})
    other = staged(other_head, "students", HEADER + "b@example.org,B Person,,,,\n")
    assert other_head.get(f"/imports/{other}").status_code == 200
    for response in (client.get(f"/imports/{other}"), client.post(f"/imports/{other}/commit"),
                     client.get(f"/imports/{other}/report.csv", buffered=True)):
        assert response.status_code == 404
    assert db.session.get(ImportBatch, other).committed_at is None


def test_an_admin_picks_the_center(client, world, login):
    login(world.admin)
    form = client.get("/imports/students/upload").get_data(as_text=True)
    assert 'name="center_id"' in form
    batch_id = staged(client, "students", HEADER + f"adm@example.org,Adm,,,,{world.b.cohort.name}\n",
                      center_id=str(world.b.center.id))
    assert db.session.get(ImportBatch, batch_id).center_id == world.b.center.id
    assert client.post(f"/imports/{batch_id}/commit").status_code == 302
    user = db.session.scalars(sa.select(User).where(User.email == "adm@example.org")).one()
    assert user.center_id == world.b.center.id


def test_the_upload_form_of_a_head_has_no_center_choice(client, world, head):
    form = client.get("/imports/students/upload").get_data(as_text=True)
    assert 'name="center_id"' not in form and 'name="file"' in form


def test_the_preview_downloads_as_csv(client, world, head):
    batch_id = staged(client, "students", HEADER + "x@example.org,,,,,\n")
    response = client.get(f"/imports/{batch_id}/report.csv", buffered=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Full name is required." in text and "x@example.org" in text


def test_commit_and_preview_statement_counts_do_not_grow_with_rows(client, world, head, count_queries,
                                                                    page_statements):
    cohort = world.a.cohort

    def measure(count: int, offset: int) -> tuple[int, int]:
        lines = [f"s{offset + n}@example.org,Student {n},2010-01-0{n % 9 + 1},female,no,{cohort.name}"
                 for n in range(count)]
        batch_id = staged(client, "students", HEADER + "\n".join(lines) + "\n")
        preview = page_statements(f"/imports/{batch_id}")
        with count_queries() as sent:
            assert client.post(f"/imports/{batch_id}/commit").status_code == 302
        return preview, len(sent)

    small, large = measure(3, 0), measure(60, 100)
    assert small == large, (small, large)
    assert large[1] <= 25


def test_enumerations_sharing_a_value_keep_their_own_labels():
    """RowStatus.INVALID and CredentialState.INVALID are both "invalid" (StrEnum members compare
    as their value); each must keep its own label."""
    from flask_babel import force_locale

    from lms.certifications.rules import CredentialState
    from lms.imports.report import RowStatus

    with force_locale("en"):
        assert str(RowStatus.INVALID.label) == "Has problems"
        assert str(CredentialState.INVALID.label) == "Marked invalid"


def test_the_uploads_list_shows_own_center_only_in_bounded_statements(app, client, world, head,
                                                                      page_statements):
    other_head = app.test_client()
    other_head.post("/auth/login", data={"email": world.b.head.email, "password": PASSWORD})
    hidden = staged(other_head, "students", HEADER + "hidden@example.org,Hidden,,,,\n")
    first = staged(client, "students", HEADER + "one@example.org,One,,,,\n")
    few = page_statements("/imports/")
    for n in range(5):
        staged(client, "students", HEADER + f"more{n}@example.org,More,,,,\n")
    assert page_statements("/imports/") == few
    html = client.get("/imports/").get_data(as_text=True)
    assert f'href="/imports/{first}"' in html and f'href="/imports/{hidden}"' not in html
    listed = client.get("/imports/uploads.csv", buffered=True).get_data(as_text=True)
    assert listed.count("people.csv") == 6 and world.b.center.name not in listed
