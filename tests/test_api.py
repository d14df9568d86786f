"""The API's read endpoints, pagination, error shape, language, throttling and CSRF."""

import pytest

from lms import create_app
from lms.certifications.models import Stage
from lms.core.extensions import db, limiter
from lms.progress.models import ProgressStatus
from tests import factories
from tests.api_support import bearer, make_token

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def get(client):
    def fetch(user_or_secret, url, **kwargs):
        secret = user_or_secret if isinstance(user_or_secret, str) else make_token(user_or_secret)
        return client.get(url, headers={**bearer(secret), **kwargs.pop("headers", {})}, **kwargs)
    return fetch


def test_me(get, world):
    body = get(world.a.mentor, "/api/v1/me").get_json()
    assert body == {"id": world.a.mentor.id, "email": world.a.mentor.email,
                    "full_name": world.a.mentor.full_name, "role": "mentor", "locale": "uk",
                    "center": {"id": world.a.center.id, "name": world.a.center.name,
                               "city": world.a.center.city}}
    assert get(world.admin, "/api/v1/me").get_json()["center"] is None


def test_my_cohorts_with_progress(get, world):
    lessons = [lesson for module in world.course.modules for lesson in module.lessons]
    factories.make_progress(world.a.enrollment, lessons[0])
    factories.make_progress(world.a.enrollment, lessons[1], status=ProgressStatus.IN_PROGRESS)
    body = get(world.a.student, "/api/v1/my/cohorts").get_json()
    assert body["total"] == 1 and body["next"] is None
    item = body["items"][0]
    assert item["cohort"]["id"] == world.a.cohort.id
    assert item["progress"] == {"completed": 1, "total": len(lessons), "percent": round(100 / len(lessons))}
    assert item["next_lesson"]["id"] == lessons[1].id
    assert item["status"] == "active"


def test_my_cohorts_statement_count_does_not_grow(world, page_statements):
    secret = make_token(world.a.student)

    def statements():
        return page_statements("/api/v1/my/cohorts", headers=bearer(secret))
    statements()  # the first use of the token records its last use; later ones within a minute do not
    few = statements()
    for _ in range(3):
        factories.enroll(world.a.student, factories.make_cohort(world.a.center, factories.make_course()))
    assert statements() == few <= 11


def test_gradebook_lists_students_by_lessons_with_versions(get, world):
    lesson = world.course.modules[0].lessons[0]
    factories.make_progress(world.a.enrollment, lesson, score=7, version=3)
    body = get(world.a.mentor, f"/api/v1/cohorts/{world.a.cohort.id}/gradebook").get_json()
    assert body["cohort"]["id"] == world.a.cohort.id
    assert len(body["lessons"]) == 6 and body["total"] == 2
    row = next(r for r in body["items"] if r["enrollment_id"] == world.a.enrollment.id)
    cell = next(c for c in row["cells"] if c["lesson_id"] == lesson.id)
    assert cell == {"lesson_id": lesson.id, "status": "completed", "score": 7, "feedback": "",
                    "version": 3}
    assert {c["version"] for c in row["cells"] if c["lesson_id"] != lesson.id} == {0}


def test_gradebook_statement_count_does_not_grow(world, page_statements):
    secret = make_token(world.a.head)
    url = f"/api/v1/cohorts/{world.a.cohort.id}/gradebook"

    def statements():
        return page_statements(url, headers=bearer(secret))
    statements()  # the first use of the token records its last use; later ones within a minute do not
    few = statements()
    for _ in range(5):
        factories.enroll(factories.make_user(center=world.a.center), world.a.cohort)
    assert statements() == few <= 9


def test_pursuits_statement_count_does_not_grow(world, page_statements):
    secret = make_token(world.a.head)

    def statements():
        return page_statements("/api/v1/pursuits", headers=bearer(secret))
    statements()
    few = statements()
    for _ in range(5):
        factories.make_pursuit(factories.make_user(center=world.a.center), world.certification)
    assert statements() == few <= 4


def test_pagination_links_and_limits(get, world):
    secret = make_token(world.a.head)
    for _ in range(4):
        factories.make_pursuit(factories.make_user(center=world.a.center), world.certification)
    first = get(secret, "/api/v1/pursuits?per_page=2")
    body = first.get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (5, 1, 2, 2)
    assert body["next"].endswith("/api/v1/pursuits?per_page=2&page=2") and body["prev"] is None
    assert 'rel="next"' in first.headers["Link"]
    last = get(secret, "/api/v1/pursuits?per_page=2&page=3").get_json()
    assert len(last["items"]) == 1 and last["next"] is None and last["prev"].endswith("page=2")
    seen = {item["id"] for page in (1, 2, 3)
            for item in get(secret, f"/api/v1/pursuits?per_page=2&page={page}").get_json()["items"]}
    assert len(seen) == 5
    assert get(secret, "/api/v1/pursuits?page=99").get_json()["items"] == []
    for bad in ("per_page=101", "per_page=0", "page=0", "page=-1", "page=x", "per_page=1.5"):
        response = get(secret, f"/api/v1/pursuits?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["code"] == "invalid_query"
        assert bad.split("=")[0] in response.get_json()["error"]["fields"]


def test_pursuit_filters_are_validated_and_scoped(get, world):
    secret = make_token(world.a.head)
    other = factories.make_pursuit(world.a.minor, world.certification, stage=Stage.PREPARING)
    ids = lambda query: {i["id"] for i in get(secret, f"/api/v1/pursuits?{query}").get_json()["items"]}  # noqa: E731
    assert ids("") == {world.a.pursuit.id, other.id}  # never center b's
    assert ids("stage=preparing") == {other.id}
    assert ids(f"student={world.a.student.id}") == {world.a.pursuit.id}
    assert ids(f"certification={world.certification.id}&cohort={world.a.cohort.id}") == {
        world.a.pursuit.id, other.id}
    assert ids(f"student={world.b.student.id}") == set()
    assert ids("") | ids(f"cohort={world.b.cohort.id}") == {world.a.pursuit.id, other.id}
    assert get(world.a.student, "/api/v1/pursuits").get_json()["total"] == 1
    assert get(world.admin, "/api/v1/pursuits").get_json()["total"] == 3
    for bad in ("stage=done", "student=abc", "cohort=-3", "certification=1e3"):
        assert get(secret, f"/api/v1/pursuits?{bad}").status_code == 400, bad


def test_every_failure_has_the_error_shape(client, get, world):
    secret = make_token(world.a.head)
    cases = [(client.get("/api/v1/nowhere", headers=bearer(secret)), 404, "not_found"),
             (client.get("/api/v1/nowhere"), 404, "not_found"),
             (client.delete("/api/v1/me", headers=bearer(secret)), 405, "method_not_allowed"),
             (get(secret, "/api/v1/cohorts/99999999999/gradebook"), 404, "not_found"),
             (get(secret, "/api/v1/my/cohorts"), 403, "forbidden"),
             (client.get("/api/v1/me"), 401, "unauthorized")]
    for response, status, code in cases:
        assert response.status_code == status, (status, response.status_code)
        assert response.mimetype == "application/json"
        error = response.get_json()["error"]
        assert error["code"] == code and error["message"]
    assert "GET" in cases[2][0].headers["Allow"]


def test_messages_speak_the_owners_language_else_accept_language(client, world):
    world.a.head.locale = "en"
    db.session.commit()
    english = make_token(world.a.head)
    response = client.post(f"/api/v1/pursuits/{world.a.pursuit.id}/stage",
                           headers=bearer(english), json={"stage": "passed"})
    assert "cannot go from" in response.get_json()["error"]["message"]
    world.a.head.locale = "uk"
    db.session.commit()
    response = client.post(f"/api/v1/pursuits/{world.a.pursuit.id}/stage",
                           headers=bearer(english), json={"stage": "passed"})
    assert "не може перейти" in response.get_json()["error"]["message"]
    anonymous = client.get("/api/v1/me", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert anonymous.get_json()["error"]["message"].startswith("Send a valid")


def test_an_unexpected_error_is_a_json_500_and_rolls_back(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("lms.api.people.student_enrollments", lambda user: 1 / 0)
    response = client.get("/api/v1/my/cohorts", headers=bearer(make_token(world.a.student)))
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"


@pytest.fixture
def strict_app(database_url):
    """An app with CSRF and rate limiting on, as in production (the limiter is shared)."""
    enabled = limiter.enabled
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True,
                     RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    yield app
    limiter.reset()
    limiter.enabled = enabled


def test_throttled_per_token_with_429_in_the_error_shape(strict_app, world):
    client = strict_app.test_client()
    first, second = make_token(world.a.head), make_token(world.b.head)
    statuses = [client.get("/api/v1/me", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/me", headers=bearer(first))
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert "Retry-After" in refused.headers
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200  # its own budget


def test_no_csrf_token_is_needed_with_a_bearer_token(strict_app, world):
    client = strict_app.test_client()
    response = client.post(f"/api/v1/pursuits/{world.a.pursuit.id}/stage",
                           headers=bearer(make_token(world.a.head)),
                           json={"stage": "withdrawn", "reason": "moved away"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stage"] == "withdrawn"
