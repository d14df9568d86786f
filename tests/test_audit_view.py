"""The audit log view: scope, each filter, refusals of bad filters, before/after, CSV."""
import csv
import io
from datetime import datetime, timedelta

import pytest

from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import Role
from tests.factories import make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

NOW = datetime(2026, 11, 20, 12, 0)


def entry(world_center, actor, action, obj_type="Voucher", obj_id=1, days_ago=0, before=None,
          after=None) -> AuditEntry:
    row = AuditEntry(actor_id=actor.id if actor else None, center_id=world_center.id if
                     world_center else None, action=action, object_type=obj_type,
                     object_id=obj_id, before=before, after=after, client_address="10.0.0.7",
                     created_at=NOW - timedelta(days=days_ago))
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def log(world):
    """Entries of both centers and one cluster-wide entry, by several people on several days."""
    for user in (world.a.head, world.b.head, world.admin):
        user.locale = "en"
    a, b = world.a, world.b
    entry(a.center, a.head, "voucher.revoke", obj_id=a.voucher.id, days_ago=1,
          before={"status": "available"}, after={"status": "revoked", "revoke_reason": "lost"})
    entry(a.center, a.mentor, "cohort.update", "Cohort", a.cohort.id, days_ago=5,
          before={"name": "Old name", "capacity": 10}, after={"name": "New name", "capacity": 10})
    entry(a.center, a.mentor, "enrollment.withdraw", "Enrollment", a.enrollment.id, days_ago=10)
    entry(b.center, b.head, "voucher.revoke", obj_id=b.voucher.id, days_ago=1,
          after={"status": "revoked", "revoke_reason": "B-SECRET-REASON"})
    entry(None, world.admin, "course.update", "Course", world.course.id, days_ago=2,
          after={"title": "CLUSTER-WIDE"})
    return world


def page(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"/audit/?{query}")
    assert response.status_code == status, (query, response.status_code)
    return response.get_data(as_text=True)


def rows(text: str) -> int:
    return text.count('<tr><td class="text-nowrap">')  # one per entry


def test_head_reads_own_center_only_newest_first(client, login, log):
    login(log.a.head)
    text = page(client)
    assert rows(text) == 3
    assert "B-SECRET-REASON" not in text and "CLUSTER-WIDE" not in text
    body = text[text.index("<tbody>"):]
    assert body.index("Revoked") < body.index("Cohort changed") < body.index("Student withdrawn")
    # asking for the other center shows nothing of it: the center filter is not even offered
    assert "B-SECRET-REASON" not in page(client, f"center={log.b.center.id}")


def test_admin_reads_every_center_and_filters_by_center(client, login, log):
    login(log.admin)
    assert rows(page(client)) == 5
    text = page(client, f"center={log.b.center.id}")
    assert rows(text) == 1 and "B-SECRET-REASON" in text


def test_filters_by_person_object_action_and_dates(client, login, log):
    login(log.a.head)
    mentor = log.a.mentor
    assert rows(page(client, f"person={mentor.email.upper()}")) == 2
    assert rows(page(client, f"person={mentor.full_name.split()[0].lower()}")) == 2
    assert rows(page(client, "object_type=Cohort")) == 1
    assert rows(page(client, f"object_type=Voucher&object_id={log.a.voucher.id}")) == 1
    assert rows(page(client, "action=voucher")) == 1
    assert rows(page(client, "action=enrollment.withdraw")) == 1
    assert rows(page(client, "action=enrollment.create")) == 0
    day = (NOW - timedelta(days=5)).date()
    assert rows(page(client, f"date_from={day}&date_to={day}")) == 1
    assert rows(page(client, f"date_from={day}")) == 2
    assert rows(page(client, f"date_to={day}")) == 2


def test_before_and_after_shown_with_changed_keys_marked(client, login, log):
    login(log.a.head)
    text = page(client, "object_type=Cohort")
    assert "Old name" in text and "New name" in text
    changed = text.split('class="table-warning"')
    assert len(changed) == 2  # name changed, capacity did not
    assert "<strong>Name</strong>" in changed[1] and "Capacity" in text
    assert "<strong>Capacity</strong>" not in text


BAD = {
    "date_from=2026-02-31": "Not a valid date value.",
    "date_from=2026-11-10&date_to=2026-11-01": "The end date cannot be before the start date.",
    "action=DROP TABLE": "Not a valid choice.",
    "action=voucher.explode": "Not a valid choice.",
    "object_type=Nonsense": "Not a valid choice.",
    "object_id=abc": "Not a valid integer value.",
}


@pytest.mark.parametrize("query", list(BAD))
def test_bad_filters_answer_422_with_a_message(client, login, log, query):
    login(log.a.head)
    text = page(client, query, status=422)
    assert BAD[query] in text
    response = client.get(f"/audit/export.csv?{query}")
    assert response.status_code == 422


def test_admin_center_choice_must_be_a_center(client, login, log):
    login(log.admin)
    assert "Not a valid choice" in page(client, "center=999999", status=422)
    page(client, "center=abc", status=422)


def test_bad_page_is_a_bad_request(client, login, log):
    login(log.a.head)
    assert client.get("/audit/?page=x").status_code == 400


def test_mentors_and_students_cannot_read_the_log(client, login, log):
    for user in (log.a.mentor, log.a.student):
        login(user)
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/export.csv").status_code == 403


def test_csv_download_follows_the_filters(client, login, log):
    login(log.a.head)
    response = client.get("/audit/export.csv?object_type=Cohort")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:5] == ["Time (UTC)", "Person", "E-mail", "Center", "Action"]
    [row] = table[1:]
    assert row[1] == log.a.mentor.full_name and row[4] == "cohort.update" and row[7] == "name"
    assert '"Old name"' in row[8] and '"New name"' in row[9] and row[10] == "10.0.0.7"


def test_real_writes_appear_in_the_log(client, login, world):
    """A write made through the product shows in the view with its before and after."""
    world.a.head.locale = "en"
    db.session.commit()
    login(world.a.head)
    client.post(f"/vouchers/{world.a.voucher.id}/revoke", data={"reason": "Damaged card"})
    text = page(client, "action=voucher.revoke")
    assert rows(text) == 1 and "Damaged card" in text and world.a.head.full_name in text


# --- statements and languages ------------------------------------------------------------

def grow(world, count: int) -> None:
    for n in range(count):
        actor = make_user(Role.MENTOR, world.a.center)
        entry(world.a.center, actor, "cohort.update", "Cohort", world.a.cohort.id, days_ago=n,
              before={"name": f"n{n}"}, after={"name": f"n{n + 1}"})
        entry(world.b.center, world.b.head, "voucher.revoke", obj_id=world.b.voucher.id)


@pytest.mark.parametrize("who, query", [("head", ""), ("admin", ""), ("head", "person=mentor"),
                                         ("admin", "action=cohort&date_from=2026-01-01")])
def test_statement_count_does_not_grow_with_data(login, log, page_statements, who, query):
    login(log.admin if who == "admin" else log.a.head)
    small = page_statements(f"/audit/?{query}")
    grow(log, 8)
    large = page_statements(f"/audit/?{query}")
    assert small == large, (small, large)
    assert large <= 8, large


@pytest.mark.parametrize("language", ["uk", "en"])
def test_renders_in_both_languages(client, login, log, language):
    log.a.head.locale = language
    db.session.commit()
    login(log.a.head)
    text = page(client)
    assert f'<html lang="{language}">' in text and "Old name" in text
    assert client.get("/audit/export.csv").status_code == 200
    bad = page(client, "date_from=2026-11-10&date_to=2026-11-01", status=422)
    assert 'class="invalid-feedback d-block"' in bad


def test_an_object_id_no_row_can_have_is_refused_not_a_500(client, login, log):
    login(log.a.head)
    for value in ("2147483648", "99999999999999999999999"):  # past the 32-bit ids
        response = client.get(f"/audit/?object_id={value}")
        assert response.status_code == 422, value  # the filter form, with its error
        assert "2147483647" in response.get_data(as_text=True)


# --- in the reader's words (docs/glossary.md) ---------------------------------------------

def readable_log(world, language: str):
    """A person created with a profile and a cohort created in a center, read by the head."""
    world.a.head.locale = language
    a = world.a
    entry(a.center, a.head, "user.create", "User", a.student.id, after={
        "full_name": "Olena Koval", "role": "student", "sex": "female", "settlement": "rural",
        "center_id": a.center.id, "date_of_birth": "2010-05-31", "session_version": 3})
    entry(a.center, a.head, "cohort.create", "Cohort", a.cohort.id, days_ago=1, after={
        "status": "running", "center_id": a.center.id, "mentor_ids": [a.mentor.id],
        "start_date": "2026-09-01"})
    entry(a.center, a.mentor, "class_session.create", "ClassSession", 77, days_ago=2)
    return world


WORDS = {
    "en": ["Account created", "Person “", "Full name", "Role", "Student", "Sex", "Female",
           "Settlement", "Rural", "Date of birth", "May 31, 2010", "Cohort created", "Status",
           "Running", "Mentors", "Sep 1, 2026", "Class meeting no. 77", "Class meeting created"],
    "uk": ["Обліковий запис створено", "Користувач «", "Повне ім", "Роль", "Студент", "Стать",
           "Жіноча", "Тип населеного пункту", "Село", "Дата народження", "31 трав. 2010",
           "Групу створено", "Статус", "Триває", "Ментори", "1 вер. 2026", "Заняття № 77",
           "Заняття створено"],
}
CODES = ["user.create", "cohort.create", "class_session.create", "ClassSession", "full_name",
         "center_id", "date_of_birth", ">student<", ">female<", ">rural<", ">running<",
         "2010-05-31", "session_version"]


@pytest.mark.parametrize("language", ["uk", "en"])
def test_entries_read_in_the_readers_language(client, login, world, language):
    log = readable_log(world, language)
    login(log.a.head)
    text = page(client)
    body = text[text.index("<tbody>"):]
    missing = [word for word in WORDS[language] if word not in body]
    assert not missing, missing
    codes = [code for code in CODES if code in body]
    assert not codes, codes
    # ids of related objects are shown as their names: the center, the mentor, the person
    assert body.count(log.a.center.name) >= 2 and log.a.mentor.full_name in body
    assert log.a.student.full_name in body  # the entry's own object by its name


def options(text: str, name: str) -> list[tuple[str, str]]:
    import re
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', text, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_filters_offer_objects_and_actions_by_name_each_once(client, login, world, language):
    world.a.head.locale = language
    db.session.commit()
    login(world.a.head)
    text = page(client)
    objects = dict(options(text, "object_type"))
    assert objects["ClassSession"] == ("Заняття" if language == "uk" else "Class meeting")
    assert objects["AccessToken"] == ("Токен API" if language == "uk" else "API token")
    assert "WorkDay" not in objects and "PursuitStageChange" not in objects
    if language == "uk":  # no class name left untranslated
        assert all(label != value for value, label in objects.items() if value)
    actions = options(text, "action")
    values = [value for value, _label in actions]
    assert len(values) == len(set(values))  # one entry per action
    labels = dict(actions)
    assert labels["user.create"] == ("Обліковий запис створено" if language == "uk"
                                     else "Account created")
    assert "optgroup" in text and '<optgroup label="">' not in text
    # a whole group is still one choice
    assert labels["voucher"].endswith("усі дії" if language == "uk" else "every action")


def test_every_recorded_action_has_a_name(app):
    """Each action a service writes (a literal "kind.verb" in lms/) is in the filter's list."""
    import pathlib
    import re

    from lms.audit.vocabulary import ACTION_GROUPS, ACTIONS
    root = pathlib.Path(__file__).parents[1] / "lms"
    pattern = re.compile(r'"((%s)\.[a-z_]+)"' % "|".join(ACTION_GROUPS))
    found = {match.group(1) for path in root.rglob("*.py") if "audit" not in path.parts
             for match in pattern.finditer(path.read_text())}
    catalog = {f"{kind}.{verb}" for kind in ("track", "course", "provider", "center")
               for verb in ("create", "update")}  # lms/catalog/services.save builds these
    found |= catalog | {"attendance.mark"}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}  # url_for("kind.view")
    assert found - endpoints - set(ACTIONS) == set()
