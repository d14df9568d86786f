"""docs/glossary.md kept: the banned words of the glossary never come back into the compiled
Ukrainian catalog, and staff are never told about "your mentor"."""
import pathlib
import re
from datetime import date

import pytest
from babel.messages.mofile import read_mo

from lms.certifications.display import path_card
from lms.certifications.models import Stage
from lms.core.extensions import db
from tests.factories import make_certification, make_pursuit

ROOT = pathlib.Path(__file__).parents[1]
MO = ROOT / "lms/translations/uk/LC_MESSAGES/messages.mo"


def catalog() -> list[tuple[str, str]]:
    """(English, Ukrainian) of every compiled message, plural forms joined; a message with a
    context (pgettext) is keyed "context\x04message", so it cannot hide the plain one."""
    with MO.open("rb") as handle:
        messages = read_mo(handle)
    pairs = []
    for message in messages:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = (message.string if isinstance(message.string, tuple | list)
                   else (message.string,))
        english = " ".join(ids)
        if message.context:  # gettext's convention: the context, EOT, then the message
            english = f"{message.context}\x04{english}"
        pairs.append((english, " ".join(strings)))
    return pairs


def about(english: str, *words: str) -> bool:
    return any(re.search(rf"\b{word}", english, re.I) for word in words)


# (why, does this English message concern it, the Ukrainian word that must not translate it)
BANNED = [
    ("excused is «з поважної причини»; «звільнено» means fired", lambda en: True, "вільнен"),
    ("interested is «цікавиться»", lambda en: True, "ацікав"),
    ("a student is «студент», a learner «здобувач освіти»", lambda en: True, "слухач"),
    ("a class meeting is «заняття», never «сесія»", lambda en: True, "сесі"),
    ("upload is «надіслати файл»; «завантажити» is download",
     lambda en: about(en, "upload"), "авантаж"),
    ("download is «завантажити»", lambda en: about(en, "download"), "ивантаж"),
    ("«номінал» is a voucher's face value only", lambda en: not about(en, "value"), "омінал"),
    ("a lesson is «урок»; «заняття» is a class meeting",
     lambda en: about(en, "lesson") and not about(en, "session", "class meeting"), "занят"),
    ("a class meeting is «заняття»; «урок» is a lesson of the outline",
     lambda en: about(en, "session", "class meeting") and not about(en, "lesson"), "урок"),
]


@pytest.mark.parametrize("why, concerns, word", BANNED, ids=[b[2] for b in BANNED])
def test_banned_words_stay_out_of_the_ukrainian_catalog(why, concerns, word):
    found = [(en, uk) for en, uk in catalog() if concerns(en) and word in uk.lower()]
    assert not found, (why, found)


def test_the_glossary_terms_are_used():
    words = dict(catalog())
    assert words["Lesson"] == "Урок" and words["Session"] == "Заняття"
    assert words["Upload a file"] == "Надіслати файл"
    assert words["Download CSV"].startswith("Завантажити")
    assert words["Excused"] == "З поважної причини"
    assert words["Interested"] == "Цікавиться"
    assert words["Category"] == "Категорія"
    glossary = (ROOT / "docs/glossary.md").read_text()
    for term in ("урок", "заняття", "надіслати файл", "завантажити", "категорія",
                 "з поважної причини", "цікавиться", "відрахувати", "деактивувати",
                 "перенести в архів"):
        assert term in glossary, term


# --- "your mentor" only to students ---------------------------------------------------------

# Pages only students open (the `paths` blueprint, the student's home and learning pages).
STUDENT_TEMPLATES = ("paths/", "home/student", "learning/")


def test_templates_for_staff_do_not_say_your_mentor():
    found = [str(path.relative_to(ROOT / "templates")) for path in (ROOT / "templates").rglob(
        "*.html") if re.search(r"your mentor|ваш ментор", path.read_text(), re.I)]
    assert [path for path in found if not path.startswith(STUDENT_TEMPLATES)] == []


STAGES = [Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER,
          Stage.PASSED]


@pytest.mark.parametrize("stage", STAGES)
def test_the_next_action_talks_to_its_reader(app, world, stage):
    certification = make_certification(readiness_threshold=None)
    pursuit = make_pursuit(world.a.student, certification, stage=stage,
                           **({"result_date": date(2026, 1, 10), "credential_id": "C-1"}
                              if stage == Stage.PASSED else {}))
    with app.test_request_context():
        staff = path_card(pursuit, date(2026, 2, 1), for_staff=True).next_action
        student = path_card(pursuit, date(2026, 2, 1)).next_action
    assert "your" not in staff.lower() and "you " not in staff.lower()
    assert staff != student


@pytest.mark.parametrize("who, language", [("mentor", "uk"), ("head", "en"), ("student", "en")])
def test_only_the_student_reads_about_your_mentor(client, login, world, who, language):
    pursuit = make_pursuit(world.a.student, make_certification(), stage=Stage.PASSED,
                           result_date=date.today(), credential_id="C-2")
    user = getattr(world.a, who)
    user.locale = language
    db.session.commit()
    login(user)
    if who == "student":
        text = client.get(f"/paths/{pursuit.id}").get_data(as_text=True)
        assert "Your mentor will verify the credential." in text
        return
    text = client.get(f"/pursuits/{pursuit.id}").get_data(as_text=True)
    assert f'<html lang="{language}">' in text
    assert not re.search(r"your mentor|ваш ментор", text, re.I)
    assert ("Перевірте сертифікат" if language == "uk" else "Verify the credential") in text
