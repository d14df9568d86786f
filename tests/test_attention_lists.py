"""Needs-attention lists: the verification page pages through everything waiting, and the home
cards count every row while listing the first ones (oldest or most urgent first)."""
import re
from datetime import date, datetime, time, timedelta

import pytest
from flask import render_template, session
from flask_babel import refresh
from flask_login import login_user

from lms.certifications import queries
from lms.certifications.models import Stage
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.pagination import Shortlist
from lms.evidence import services as evidence
from lms.progress.queries import inactive_enrollments
from lms.users.models import Role
from tests.factories import enroll, make_cohort, make_progress, make_pursuit, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

TODAY = date.today()


@pytest.fixture
def two_per_page(app):
    app.config["PER_PAGE"] = 2
    yield
    app.config["PER_PAGE"] = 50


def _awaiting(world, count: int) -> list:
    """`count` self-reported passes of center a, oldest report first."""
    pursuits = []
    for n in range(count):
        student = make_user(Role.STUDENT, world.a.center, full_name=f"Reporter {n}")
        pursuit = make_pursuit(student, world.certification, stage=Stage.PASSED,
                               result_date=TODAY, credential_id=f"CRED-{n}")
        pursuit.updated_at = datetime(2026, 1, 1 + n, 9)
        pursuits.append(pursuit)
    db.session.commit()
    return pursuits


def test_the_verification_page_pages_through_results_and_evidence(client, login, world,
                                                                  two_per_page):
    _awaiting(world, 3)
    for n in range(3):
        evidence.add_link(world.a.pursuit, f"https://example.org/proof-{n}", world.a.student)
    db.session.commit()
    login(world.a.mentor)

    first = client.get("/pursuits/verification").get_data(as_text=True)
    assert "Reporter 0" in first and "Reporter 1" in first and "Reporter 2" not in first
    assert "proof-0" in first and "proof-1" in first and "proof-2" not in first
    assert "/pursuits/verification?page=2" in first
    assert "/pursuits/verification?evidence_page=2" in first

    later = client.get("/pursuits/verification?page=2&evidence_page=2").get_data(as_text=True)
    assert "Reporter 2" in later and "Reporter 0" not in later
    assert "proof-2" in later and "proof-0" not in later
    # each list's links keep the other list's page
    assert "evidence_page=2&amp;page=1" in later or "page=1&amp;evidence_page=2" in later

    assert client.get("/pursuits/verification?evidence_page=x").status_code == 400


def test_another_centers_items_are_neither_listed_nor_counted(client, login, world):
    _awaiting(world, 2)
    evidence.add_link(world.a.pursuit, "https://example.org/proof-a", world.a.student)
    db.session.commit()
    login(world.b.mentor)
    page = client.get("/pursuits/verification").get_data(as_text=True)
    assert "Reporter" not in page and "proof-a" not in page
    assert queries.evidence_awaiting_page(world.b.mentor, 1, 50).total == 0


def test_a_shortlist_counts_every_row_and_keeps_the_first(app, world):
    pursuits = _awaiting(world, 3)
    with app.test_request_context():
        login_user(world.a.mentor)
        found = queries.awaiting_verification(limit=2)
    assert found.total == 3 and found.more == 1
    assert [p.id for p in found] == [pursuits[0].id, pursuits[1].id]  # oldest report first


def test_inactive_students_are_counted_in_full_and_listed_longest_inactive_first(world):
    cohort = make_cohort(world.a.center, world.course, start_date=TODAY - timedelta(days=200))
    lesson = world.course.modules[0].lessons[0]
    for n, days_ago in enumerate([None, 40, 90, 20]):  # None: never active
        student = make_user(Role.STUDENT, world.a.center, full_name=f"Quiet {n}")
        enrollment = enroll(student, cohort, enrolled_on=TODAY - timedelta(days=150))
        if days_ago is not None:
            make_progress(enrollment, lesson, updated_at=datetime.combine(
                TODAY - timedelta(days=days_ago), time()))

    found = inactive_enrollments([cohort.id], TODAY, limit=3)
    assert found.total == 4 and found.more == 1
    assert [(e.student.full_name, last) for e, last in found] == [
        ("Quiet 0", None), ("Quiet 2", TODAY - timedelta(days=90)),
        ("Quiet 1", TODAY - timedelta(days=40))]


@pytest.mark.parametrize("language,more,text", [
    ("uk", 1, "Ще 1 запис не показано"), ("uk", 3, "Ще 3 записи не показано"),
    ("uk", 5, "Ще 5 записів не показано"), ("en", 1, "1 more entry not listed"),
    ("en", 21, "21 more entries not listed"), ("en", 1233, "1,233 more entries not listed"),
])
def test_the_more_line_speaks_the_readers_plural(app, world, language, more, text):
    with app.test_request_context():
        session["locale"] = language
        refresh()
        html = render_template("home/_minors.html",
                               minors=Shortlist([world.a.minor], 1 + more))
    assert text in html and world.a.minor.full_name in html
    assert ">1,234<" in html if more == 1233 else f">{1 + more}<" in html  # the badge: them all


@pytest.mark.parametrize("path,filters", [("/people/", "status=active"), ("/audit/", "")])
def test_page_links_keep_the_filters_and_nothing_else_from_the_query_string(
        client, login, world, two_per_page, path, filters):
    for n in range(3):
        extra = make_user(Role.STUDENT, world.a.center, full_name=f"Extra {n}")
        record("user.update", extra, after={"n": n}, actor=world.a.head,
               center_id=world.a.center.id)
    db.session.commit()
    login(world.a.head)
    page = client.get(f"{path}?param=_scheme&label=Injected&{filters}").get_data(as_text=True)
    links = re.findall(r'class="page-link" href="([^"]+)"', page)
    assert links and all(link.startswith(path) for link in links)  # relative, on this page
    assert all("param=" not in link and "label=" not in link for link in links)
    assert any(link.endswith("page=2") for link in links)
    assert 'aria-label="Injected"' not in page


def test_the_verification_card_links_what_it_does_not_list(app, world):
    with app.test_request_context():
        login_user(world.a.mentor)  # Ukrainian, the default
        html = render_template("home/_attention.html", awaiting=Shortlist([], 4),
                               awaiting_evidence=Shortlist([], 3), exams=Shortlist([], 0),
                               expiring_vouchers=Shortlist([], 0))
    assert ">7<" in html  # the badge counts both lists
    assert '<a href="/pursuits/verification">Ще 7 записів не показано</a>' in html
