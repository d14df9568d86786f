"""Ukrainian first, English complete: pages, plurals, form errors and the catalogs."""
import os

import pytest
from babel.messages.pofile import read_po

from lms.core.extensions import db
from lms.users.models import Role
from tests.factories import make_center, make_user

CATALOGS = os.path.join(os.path.dirname(__file__), "..", "lms", "translations")


def test_sign_in_page_is_ukrainian_by_default(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert "Увійти" in page and "Sign in" not in page


def test_visitor_can_switch_to_english_before_signing_in(client):
    response = client.post("/language", data={"language": "en", "next": "/auth/login"})
    assert response.location == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page


def test_unknown_language_is_a_400_in_the_current_language(client):
    response = client.post("/language", data={"language": "xx"})
    assert response.status_code == 400
    assert "Некоректний запит" in response.get_data(as_text=True)


def test_signed_in_choice_is_remembered_on_the_account(app, client, login):
    user = make_user(Role.MENTOR, make_center())
    login(user)
    client.post("/language", data={"language": "en"})
    db.session.expire_all()
    assert user.locale == "en"
    other_device = app.test_client()
    login_page = other_device.post("/auth/login", data={"email": user.email, "password": "correct-horse-battery"})
    assert login_page.status_code == 302
    assert "My cohorts" in other_device.get("/mentor").get_data(as_text=True)


@pytest.mark.parametrize("count,sentence", [
    (1, "У центрі 1 активний студент."),
    (2, "У центрі 2 активні студенти."),
    (5, "У центрі 5 активних студентів."),
    (11, "У центрі 11 активних студентів."),
    (21, "У центрі 21 активний студент."),
    (22, "У центрі 22 активні студенти."),
])
def test_ukrainian_plural_forms(client, login, count, sentence):
    center = make_center()
    head = make_user(Role.HEAD, center)
    for _ in range(count):
        make_user(Role.STUDENT, center)
    login(head)
    assert sentence in client.get("/center").get_data(as_text=True)


@pytest.mark.parametrize("count,sentence", [(1, "The center has 1 active student."),
                                            (5, "The center has 5 active students.")])
def test_english_plural_forms(client, login, count, sentence):
    center = make_center()
    head = make_user(Role.HEAD, center, locale="en")
    for _ in range(count):
        make_user(Role.STUDENT, center)
    login(head)
    assert sentence in client.get("/center").get_data(as_text=True)


def test_form_errors_are_translated(client):
    page = client.post("/auth/forgot", data={"email": "not-an-email"}).get_data(as_text=True)
    assert "Invalid email address." not in page
    assert "Невірна електронна адреса." in page  # WTForms' own Ukrainian catalog
    required = client.post("/auth/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert required.count("Це поле є обов&#39;язковим.") == 2


@pytest.mark.parametrize("language,title", [("uk", "Сторінку не знайдено"), ("en", "Page not found")])
def test_error_pages_speak_the_users_language(client, language, title):
    client.post("/language", data={"language": language})
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert title in response.get_data(as_text=True)


def test_dates_follow_the_locale(client, login, world):
    world.a.head.locale = "uk"
    db.session.commit()
    login(world.a.head)
    page = client.get(f"/students/{world.a.student.id}").get_data(as_text=True)
    assert "5 трав. 2005" in page  # the factory's birth date, Ukrainian medium format


def test_ukrainian_catalog_is_complete():
    with open(os.path.join(CATALOGS, "messages.pot"), "rb") as template_file:
        template = read_po(template_file)
    with open(os.path.join(CATALOGS, "uk", "LC_MESSAGES", "messages.po"), "rb") as po_file:
        catalog = read_po(po_file)
    assert catalog.num_plurals == 3
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = translated.string if translated else None
        if not strings or (isinstance(strings, tuple) and not all(strings)) or translated.fuzzy:
            missing.append(message.id)
    assert missing == []


def test_lazy_messages_carrying_user_values_are_escaped(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    message = lazy_gettext("Unknown cohort: %(name)s", name="<script>alert(1)</script>")
    with app.test_request_context():
        page = render_template_string("<p>{{ message }}</p>", message=message)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
