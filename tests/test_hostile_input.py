"""The seven causes of a 500 the black-box probe found (issue 18, finding 6), each reproduced as
it was sent: every answer is a 4xx (or a harmless redirect), never a 500, and nothing is written.
The walker in tests/test_fuzz.py sends the same kinds of value to every field it finds."""
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.core.model_types import MAX_ID
from lms.core.views import FREE_TEXT_MAX, parse_int
from tests.api_support import bearer, make_token
from tests.factories import PASSWORD, count
from tests.test_attendance import make_session

UNICODE_DIGITS = ["²", "①", "١٢", "৩", "１２", "𝟗"]  # isdigit() or isdecimal() says yes to each


@pytest.mark.parametrize("raw", ["1", "42", str(MAX_ID)])
def test_parse_int_reads_ascii_digits_within_the_id_range(raw):
    assert parse_int(raw) == int(raw)


@pytest.mark.parametrize("raw", [*UNICODE_DIGITS, "", " 1", "1 ", "+1", "-1", "0x1", "1_0", "1.0",
                                 str(MAX_ID + 1), "9" * 400, "\x00", "1\n"])
def test_parse_int_refuses_everything_else(raw):
    assert parse_int(raw) is None


def test_parse_int_takes_its_own_bounds():
    assert parse_int("0", low=0) == 0
    assert parse_int("0") is None
    assert parse_int("101", high=100) is None


def test_a_deeply_nested_json_body_is_a_400_not_a_500(client):
    body = "[" * 1000 + "]" * 1000
    for url in ("/auth/login", "/", "/api/v1/me"):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code < 500, url
        assert client.get(url, data=body, content_type="application/json").status_code < 500


def test_a_nul_deep_inside_json_is_still_refused(client):
    body = '{"a": [[[[["x\\u0000"]]]]]}'
    assert client.post("/auth/login", data=body,
                       content_type="application/json").status_code == 400


@pytest.mark.parametrize("target", ["/\r\nx", "/\nSet-Cookie: a=b", "/\rx", "/x\ty", 
                                    "/\x7f", "/a\u2028b", "/\u200bx"])
def test_a_next_link_with_a_line_break_is_not_followed(client, world, login, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")
    response = client.post("/auth/login?" + urlencode({"next": target}),
                           data={"email": world.a.head.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
def test_unicode_digits_in_an_integer_query_parameter_are_a_400(client, world, login, digit):
    login(world.admin)
    for url in ("/people/?page=", "/cohorts/?course=", "/vouchers/?provider=",
                "/admin/catalog/courses?track=", "/imports/?page="):
        assert client.get(url + digit).status_code == 400, url


@pytest.mark.parametrize("value", ["²", "①", "0", "-1", str(MAX_ID + 1), "99999999999999999999"])
def test_api_per_page_and_page_refuse_what_is_not_a_number_in_range(client, world, value):
    secret = make_token(world.a.head)
    for name in ("page", "per_page"):
        response = client.get(f"/api/v1/pursuits?{name}={value}", headers=bearer(secret))
        assert response.status_code == 400, (name, value, response.status_code)


@pytest.mark.parametrize("lesson_id, session_id", [("²", "1"), ("1", "99999999999999999999"),
                                                   ("①", "²"), (str(MAX_ID + 1), "")])
def test_gradebook_bulk_refuses_a_bad_lesson_or_session(client, world, login, lesson_id,
                                                        session_id):
    login(world.a.mentor)
    before = _rows()
    response = client.post(f"/gradebook/{world.a.cohort.id}/bulk",
                           data={"lesson_id": lesson_id, "session_id": session_id})
    assert 400 <= response.status_code < 500
    assert _rows() == before


@pytest.mark.parametrize("value", ["99999999999999999999", str(MAX_ID + 1), "²", "-5"])
def test_enrolling_an_impossible_student_id_is_refused(client, world, login, value):
    login(world.a.head)
    before = count(Enrollment)
    response = client.post(f"/cohorts/{world.a.cohort.id}/enroll",
                           data={"student_ids": value, "enroll": "1"})
    assert 400 <= response.status_code < 500
    assert count(Enrollment) == before


@pytest.mark.parametrize("url", ["/people/?q=", "/people/students?q=", "/audit/?person=",
                                 "/cohorts/{cohort}/enroll?q="])
def test_a_very_long_search_text_is_a_400(client, world, login, url):
    login(world.admin)
    text = "%_" * 50_000
    response = client.get(url.format(cohort=world.a.cohort.id) + text)
    assert response.status_code in (400, 422), response.status_code


def test_a_very_long_search_carried_by_the_enrol_form_is_refused(client, world, login):
    login(world.a.head)
    before = count(Enrollment)
    response = client.post(f"/cohorts/{world.a.cohort.id}/enroll", data={
        "search_text": "%_" * 50_000, "student_ids": str(world.b.student.id), "enroll": "1"})
    assert response.status_code == 422
    assert count(Enrollment) == before


def test_the_free_text_cap_is_shared():
    assert 100 <= FREE_TEXT_MAX <= 500


def test_a_huge_readiness_threshold_is_refused_on_the_form(client, world, login):
    login(world.admin)
    before = _rows()
    response = client.post(f"/admin/catalog/certifications/{world.certification.id}", data={
        "provider_id": str(world.certification.provider_id), "name": "X", "level": "foundational",
        "readiness_threshold": "9" * 400})
    assert response.status_code == 422
    assert "readiness_threshold" in response.get_data(as_text=True)
    assert _rows() == before


def _rows() -> tuple:
    tables = db.metadata.sorted_tables
    return tuple(db.session.execute(sa.select(*(sa.select(sa.func.count()).select_from(t)
                                                .scalar_subquery() for t in tables))).one())


@pytest.mark.parametrize("status", ["\r", "\t", " ", "\n "])
def test_an_attendance_status_of_only_whitespace_leaves_the_row_unmarked(client, world, login,
                                                                        status):
    """Found by the walker: Optional() took "\\r" for blank, to_mark() did not (a 500)."""
    session = make_session(world.a.cohort)
    login(world.a.mentor)
    before = _rows()
    response = client.post(f"/attendance/session/{session.id}", data={
        "marks-0-enrollment_id": str(world.a.enrollment.id), "marks-0-status": status})
    assert response.status_code < 500
    assert _rows() == before


@pytest.mark.parametrize("url", ["/cohorts/{n}", "/people/{n}", "/gradebook/{n}",
                                 "/cohorts/{n}/roster.csv", "/api/v1/cohorts/{n}/gradebook"])
def test_an_id_beyond_32_bits_in_a_path_is_not_found(client, world, login, url):
    login(world.admin)
    for number in (str(MAX_ID + 1), "99999999999999999999"):
        assert client.get(url.format(n=number)).status_code in (401, 404), (url, number)
