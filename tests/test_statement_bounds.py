"""SPEC §7: the SQL statements a page sends are bounded and do not grow with the data.

Every HTML page of the URL map is opened by every role its gate lets in (anonymous visitors
for public pages), with objects of one center of the demo data: first on the small demo data,
then on a center of the medium data set (ten times the people of a small center, 125 students
a cohort). Each page must stay under its ceiling and send exactly as many statements on both.
The JSON reads (the API with a token of each role, "my data") are held to the same equality.
"""
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import url_for

from benchmarks import tour
from lms.access import PUBLIC, rule_for
from lms.auth.services import make_reset_token
from lms.certifications.models import Evidence, Pursuit, Voucher
from lms.certifications.services import TRANSITIONS
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.demo.builder import ADMIN_EMAIL, DEMO_PASSWORD, build_demo
from lms.demo.scale import build_scale, refresh_statistics
from lms.people import invitations
from lms.users.models import Role, User
from tests.api_support import bearer, make_token
from tests.factories import signed_in, user_of
from tests.test_access import import_batch, routes, url_args
from tests.test_api_access import QUERIES

# Slow: it builds the demo and the medium data set. Real commits: the medium set's VACUUM
# ANALYZE runs on a connection of its own, which must see the rows (PostgreSQL planned the
# at-risk list on empty statistics for minutes inside a rolled-back transaction).
pytestmark = [pytest.mark.slow, pytest.mark.real_commits]

CEILING = 12  # statements any page may send, unless it is listed below (by endpoint)
# A card per figure; the mentor's and head's homes add today's classes (lms/home/classes.py:
# two statements, slots with their students, and today's sessions with their marks).
ABOVE_CEILING = {"home.head": 16, "home.student": 13, "home.mentor": 15}
# GET routes that answer with something else than a page, by endpoint (downloads and the API
# are told apart by their paths, see is_page).
NOT_PAGES = {"home.index": "sends each role on to its own home page",
             "dashboard.index": "sends a head to the center's dashboard, an admin to the cluster's",
             "catalog.index": "sends the admin on to the courses",
             "evidence.download": "sends the stored file"}
DOWNLOAD = re.compile(r"\.(csv|xlsx|json)$|/csv(/|$)")  # a file name, or a /csv segment
TOKENS = {"auth.reset_password": make_reset_token, "auth.accept_invitation": invitations.make_token}


def is_page(rule) -> bool:
    """An HTML page: answers GET, is not the API, names no file and is not in NOT_PAGES."""
    return ("GET" in rule.methods and not rule.rule.startswith("/api/")
            and not DOWNLOAD.search(rule.rule) and rule.endpoint not in NOT_PAGES)


def is_json_read(rule) -> bool:
    return "GET" in rule.methods and (rule.rule.startswith("/api/") or rule.rule.endswith(".json"))


def visitors(endpoint: str) -> list[Role | None]:
    """Every role the endpoint's gate lets in; None (anonymous) for a public one."""
    rule = rule_for(endpoint)
    return [None] if rule == PUBLIC else [role for role in Role if role in rule]


def data_world(center_slug: str) -> SimpleNamespace:
    """One center of the demo-like data in the shape url_args (tests/test_access.py) fills
    URLs from: its busiest running cohort and the people of tour.cast_of, the student's
    enrollment, an open pursuit, evidence, a voucher, an import of its own."""
    cast = tour.cast_of(center_slug)
    pursuit = db.session.scalars(  # open (it has a move page), of a student of the cohort
        sa.select(Pursuit).join(Enrollment, Enrollment.student_id == Pursuit.student_id)
        .where(Enrollment.cohort_id == cast.cohort.id, Pursuit.center_id == cast.center.id,
               Pursuit.stage.in_([stage for stage, moves in TRANSITIONS.items() if moves]))
        .order_by(Pursuit.id).limit(1)).one()
    enrollment = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.student_id == pursuit.student_id, Enrollment.cohort_id == cast.cohort.id)).one()
    evidence = db.session.scalars(sa.select(Evidence).where(Evidence.pursuit_id == pursuit.id)
                                  .limit(1)).first() or SimpleNamespace(id=0)  # downloads only
    voucher = db.session.scalars(sa.select(Voucher).where(Voucher.center_id == cast.center.id)
                                 .order_by(Voucher.id).limit(1)).one()
    a = SimpleNamespace(center=cast.center, cohort=cast.cohort, student=pursuit.student,
                        mentor=cast.mentor, head=cast.head, pursuit=pursuit,
                        session=cast.session, enrollment=enrollment, evidence=evidence,
                        voucher=voucher, batch=import_batch(cast.center))
    admin = db.session.scalars(sa.select(User).where(User.email == ADMIN_EMAIL)).one()
    db.session.commit()
    return SimpleNamespace(a=a, admin=admin, course=cast.cohort.course,
                           certification=pursuit.certification)


def url_of(rule, world) -> str:
    args = url_args(rule, world, own=True)
    if "token" in args:
        args["token"] = TOKENS[rule.endpoint](world.a.student)
    if "stage" in args:  # a stage the pursuit may move to from where it is
        args["stage"] = TRANSITIONS[world.a.pursuit.stage][0].value
    return url_for(rule.endpoint, **args, **QUERIES.get(rule.endpoint, {}))


def statements(app, world, count_queries) -> dict[tuple[str, str], int]:
    """(route, visitor): the statements of its second GET (the first fills the caches)."""
    with app.test_request_context():
        visits = [(rule.rule, role, url_of(rule, world), rule.rule.startswith("/api/"))
                  for rule in routes(app) if is_page(rule) or is_json_read(rule)
                  for role in visitors(rule.endpoint)]
    clients, counts = {}, {}
    for route, role, url, api in visits:
        user = user_of(world, role)
        if api and user is not None:  # the API takes a token, not the session
            client, headers = app.test_client(), bearer(make_token(user))
        else:
            if role not in clients:
                clients[role] = (signed_in(app, user, DEMO_PASSWORD) if user
                                 else app.test_client())
            client, headers = clients[role], {}
        client.get(url, headers=headers)
        with count_queries() as sent:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, role, response.status_code)
        counts[route, role.value if role else "anonymous"] = len(sent)
    return counts


def test_every_page_sends_a_bounded_number_of_statements_that_does_not_grow(app, count_queries):
    build_demo()
    # The tables were emptied by earlier tests: without fresh statistics PostgreSQL plans the
    # drill-down lists for empty tables (nested loops over every user) and a page takes minutes.
    refresh_statistics()
    small = statements(app, data_world("kramatorsk"), count_queries)
    build_scale("medium")
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) > 6000  # it is there
    medium = statements(app, data_world("scale-01"), count_queries)
    assert medium == small
    pages = {rule.rule: rule.endpoint for rule in routes(app) if is_page(rule)}
    over = {visit: count for visit, count in small.items() if visit[0] in pages
            and count > ABOVE_CEILING.get(pages[visit[0]], CEILING)}
    assert not over, over
    assert len(pages) > 60  # the rule above let the pages through, not only the JSON
