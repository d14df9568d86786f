"""The access matrix, derived from the app's URL map: no route escapes a rule.

EXPECTED is the specification (SPEC §2) written down once. A route in the app and not here,
or here and not in the app, fails `test_every_route_has_an_expected_rule`; a route whose
behaviour differs from its row fails `test_role_matrix`.
"""
import io
from datetime import date

import pytest
from flask import Blueprint
from werkzeug.datastructures import FileStorage

from lms import create_app
from lms.access import rule_for
from lms.attendance.models import ClassSession
from lms.core.extensions import db
from lms.evidence import services as evidence_services
from lms.imports.models import ImportBatch, ImportKind
from lms.users.models import Role
from tests import factories

PUBLIC = "public"
ALL = frozenset(Role)
STAFF = frozenset({Role.MENTOR, Role.HEAD, Role.ADMIN})
MANAGERS = frozenset({Role.HEAD, Role.ADMIN})


class Token(frozenset):
    """The roles of a token-only API endpoint: a cookie session (or none) gets a JSON 401.
    tests/test_api_access.py walks these with a token of each role."""


def assert_token_only(response, endpoint):
    assert response.status_code == 401, (endpoint, response.status_code)
    assert response.get_json()["error"]["code"] == "unauthorized", endpoint
ADMIN = {Role.ADMIN}

EXPECTED = {
    "auth.login": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,
    "i18n.set_language": PUBLIC,
    "auth.logout": ALL,
    "auth.logout_everywhere": ALL,
    "auth.change_password": ALL,
    "home.index": ALL,
    "home.student": {Role.STUDENT},
    "home.mentor": {Role.MENTOR},
    "home.head": {Role.HEAD},
    "home.admin": {Role.ADMIN},
    "cohorts.show": STAFF,
    "cohorts.roster_export": STAFF,
    "students.show": STAFF,
    "auth.accept_invitation": PUBLIC,
    "people.index": {Role.HEAD, Role.ADMIN},
    "people.students": STAFF,
    "people.students_export": STAFF,
    "people.export": {Role.HEAD, Role.ADMIN},
    "people.create": {Role.HEAD, Role.ADMIN},
    "people.show": {Role.HEAD, Role.ADMIN},
    "people.edit": {Role.HEAD, Role.ADMIN},
    "people.profile": {Role.HEAD, Role.ADMIN},
    "people.deactivate": {Role.HEAD, Role.ADMIN},
    "people.reactivate": {Role.HEAD, Role.ADMIN},
    "people.archive": {Role.HEAD, Role.ADMIN},
    "people.restore": {Role.HEAD, Role.ADMIN},
    "people.invite": {Role.HEAD, Role.ADMIN},
    "paths.start": {Role.STUDENT},
    "paths.show": {Role.STUDENT},
    "paths.report": {Role.STUDENT},
    "pursuits.board": STAFF,
    "pursuits.verification": STAFF,
    "pursuits.export": STAFF,
    "pursuits.show": STAFF,
    "pursuits.move": STAFF,
    "pursuits.practice": STAFF,
    "pursuits.verify": STAFF,
    "pursuits.reject": STAFF,
    "pursuits.renew": STAFF,
    "pursuits.invalidate": STAFF,
    "evidence.add_to_pursuit": ALL,
    "evidence.download": ALL,
    "evidence.verify": STAFF,
    "gradebook.show": STAFF,
    "gradebook.save": STAFF,
    "gradebook.bulk": STAFF,
    "gradebook.export": STAFF,
    "gradebook.cell": STAFF,
    "learning.cohort": {Role.STUDENT},
    "learning.my_data": {Role.STUDENT},
    "attendance.sessions": STAFF,
    "attendance.export": STAFF,
    "attendance.create_session": STAFF,
    "attendance.open_today": STAFF,
    "attendance.mark": STAFF,
    "attendance.save_marks": STAFF,
    "students.add_note": STAFF,
    "cohorts.enroll": STAFF,
    "cohorts.withdraw": STAFF,
    "cohorts.complete": STAFF,
    "cohorts.reopen": STAFF,
    "cohorts.index": STAFF,
    "cohorts.export": STAFF,
    "cohorts.create": MANAGERS,
    "cohorts.edit": MANAGERS,
    "vouchers.index": MANAGERS,
    "vouchers.export": MANAGERS,
    "vouchers.create": MANAGERS,
    "vouchers.show": MANAGERS,
    "vouchers.revoke": MANAGERS,
    "audit.index": MANAGERS,
    "audit.export": MANAGERS,
    # Reports: a head's cover their own center (another center in the query string is a 404,
    # tested in tests/test_report_pages.py); admins any centers.
    "reports.donor_report": MANAGERS,
    "reports.donor_csv": MANAGERS,
    "reports.donor_xlsx": MANAGERS,
    "reports.donor_people": MANAGERS,
    "reports.donor_people_csv": MANAGERS,
    "reports.certifications": MANAGERS,
    "reports.certifications_csv": MANAGERS,
    "reports.certifications_xlsx": MANAGERS,
    "reports.certifications_people": MANAGERS,
    "reports.certifications_people_csv": MANAGERS,
    "tokens.index": ALL,
    "tokens.create": ALL,
    "tokens.revoke": ALL,
    "api.openapi": PUBLIC,
    "api.me": Token(ALL),
    "api.my_cohorts": Token({Role.STUDENT}),
    "api.gradebook": Token(STAFF),
    "api.record_progress": Token(STAFF),
    "api.list_pursuits": Token(ALL),
    "api.move_stage": Token(STAFF),
    "api.certification_counts": Token(MANAGERS),
    "api.certification_funnel": Token(MANAGERS),
    "api.donor_table": Token(MANAGERS),
    "imports.index": MANAGERS,
    "imports.uploads_csv": MANAGERS,
    "imports.template": MANAGERS,
    "imports.upload": MANAGERS,
    "imports.preview": MANAGERS,
    "imports.commit": MANAGERS,
    "imports.report_csv": MANAGERS,
    **{f"catalog.{name}": ADMIN for name in (
        "index", "tracks", "edit_track", "courses", "edit_course", "outline", "add_module",
        "edit_module", "add_lesson", "edit_lesson", "move_module", "move_lesson", "retire_lesson",
        "reinstate_lesson", "providers", "edit_provider", "certifications", "edit_certification")},
    **{f"centers.{name}": ADMIN for name in ("list_centers", "edit", "deactivate", "reactivate")},
    "dashboard.index": {Role.HEAD, Role.ADMIN},
    "dashboard.center": {Role.HEAD, Role.ADMIN},
    "dashboard.center_people": {Role.HEAD, Role.ADMIN},
    "dashboard.center_people_csv": {Role.HEAD, Role.ADMIN},
    "dashboard.center_csv": {Role.HEAD, Role.ADMIN},
    "dashboard.cluster": {Role.ADMIN},
    "dashboard.cluster_people": {Role.ADMIN},
    "dashboard.cluster_people_csv": {Role.ADMIN},
    "dashboard.cluster_csv": {Role.ADMIN},
}

# Form data for POST-only routes, so an allowed request is a valid one.
FORM_DATA = {"i18n.set_language": {"language": "en"},
             "attendance.create_session": {"held_on": date.today().isoformat(), "topic": "Motors"},
             "evidence.add_to_pursuit": {"url": "https://example.org/proof", "next": "/"},
             "vouchers.revoke": {"reason": "Access matrix"}}


def import_batch(center) -> ImportBatch:
    """A staged student import of one row, as the upload page leaves it."""
    batch = ImportBatch(
        center_id=center.id, kind=ImportKind.STUDENTS, filename="people.csv",
        checksum="0" * 64, row_count=1, rows=[{"line": 2, "values": {
            "email": f"imported-{center.slug}@example.org", "full_name": "Imported"}}])
    db.session.add(batch)
    return batch


@factories.batch()
def build_access_world():
    """The shared world plus, per center, a file of evidence, a class session and an import."""
    world = factories.build_world()
    for center in (world.a, world.b):
        upload = FileStorage(io.BytesIO(b"%PDF-1.7 proof"), "proof.pdf", content_type="application/pdf")
        center.evidence = evidence_services.add_file(center.pursuit, upload, center.student)
        center.session = ClassSession(cohort_id=center.cohort.id, held_on=date.today(), topic="x")
        db.session.add(center.session)
        center.batch = import_batch(center.center)
    return world


# One access world for the module (the other walks of the URL map share it as well): what a
# test writes is rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")
SHARED_WORLD = build_access_world


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def url_args(rule, world, own: bool) -> dict:
    """Values for the rule's arguments: objects of center `a` (own) or of center `b`."""
    center = world.a if own else world.b
    values = {"cohort_id": center.cohort.id, "center_id": center.center.id, "student_id": center.student.id,
              "pursuit_id": center.pursuit.id, "stage": "preparing",
              "user_id": center.student.id,
              "evidence_id": center.evidence.id, "session_id": center.session.id,
              "enrollment_id": center.enrollment.id, "voucher_id": center.voucher.id,
              "kind": "students", "batch_id": center.batch.id,
              "token": "not-a-valid-token",
              # The catalog is cluster-wide: both "centers" name the same objects (admins only).
              "course_id": world.course.id,
              "track_id": world.course.track_id, "module_id": world.course.modules[0].id,
              "lesson_id": world.course.modules[0].lessons[0].id, "direction": "down",
              "provider_id": world.certification.provider_id,
              "certification_id": world.certification.id,
              "figure": "active", "table": "figures"}
    missing = set(rule.arguments) - set(values)
    assert not missing, f"test_access does not know how to fill {missing} of {rule.rule}"
    return {name: values[name] for name in rule.arguments}


def request(client, app, rule, args):
    with app.test_request_context():
        from flask import url_for
        url = url_for(rule.endpoint, **args)
    if "GET" in rule.methods:
        return client.get(url, buffered=True)  # streamed downloads finish inside their context
    return client.post(url, data=FORM_DATA.get(rule.endpoint, {}))


def test_every_route_has_an_expected_rule(app):
    endpoints = {rule.endpoint for rule in routes(app)}
    assert endpoints == set(EXPECTED), (
        f"routes without an expected rule: {sorted(endpoints - set(EXPECTED))}; "
        f"stale rows: {sorted(set(EXPECTED) - endpoints)}")


def test_declared_rules_match_expected(app):
    with app.test_request_context():
        for endpoint, expected in EXPECTED.items():
            declared = rule_for(endpoint)
            assert declared is not None, endpoint
            assert (declared == PUBLIC) == (expected == PUBLIC), endpoint
            if expected != PUBLIC:
                assert set(declared) == set(expected), endpoint


def test_anonymous_visitors(app, client, world):
    for rule in routes(app):
        response = request(client, app, rule, url_args(rule, world, own=True))
        if isinstance(EXPECTED[rule.endpoint], Token):
            assert_token_only(response, rule.endpoint)
        elif EXPECTED[rule.endpoint] == PUBLIC:
            assert response.status_code < 400, rule.endpoint
            assert "/auth/login?next" not in (response.location or ""), rule.endpoint
        else:
            assert response.status_code == 302, rule.endpoint
            assert response.location.startswith("/auth/login"), rule.endpoint


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(app, client, login, world, role):
    user = factories.user_of(world, role)
    for rule in routes(app):
        expected = EXPECTED[rule.endpoint]
        if expected == PUBLIC or rule.endpoint == "auth.logout":
            continue  # public pages are covered above; logout would end this session
        login(user)
        own = request(client, app, rule, url_args(rule, world, own=True))
        if isinstance(expected, Token):  # the session cookie alone does not open the API
            assert_token_only(own, rule.endpoint)
            continue
        if role not in expected:
            assert own.status_code == 403, (rule.endpoint, role, own.status_code)
            continue
        # 422: allowed, but an empty POST is (rightly) refused as invalid input.
        assert own.status_code in (200, 302, 422), (rule.endpoint, role, own.status_code)
        if rule.arguments - {"token", "stage", "kind"}:  # not objects of a center
            other = request(client, app, rule, url_args(rule, world, own=False))
            if role == Role.ADMIN:  # the cluster administrator sees every center
                assert other.status_code in (200, 302, 422), (rule.endpoint, other.status_code)
            else:
                assert other.status_code == 404, (rule.endpoint, role, other.status_code)


def test_a_new_route_without_a_rule_is_refused_and_detected(database_url, world, login):
    """Adding a route without a rule fails closed at run time and fails the matrix test."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url)
    extra = Blueprint("extra", __name__)
    extra.add_url_rule("/extra", "page", lambda: "secret")
    app.register_blueprint(extra)

    endpoints = {rule.endpoint for rule in routes(app)}
    assert endpoints - set(EXPECTED) == {"extra.page"}

    client = app.test_client()
    client.post("/auth/login", data={"email": world.admin.email, "password": "correct-horse-battery"})
    assert client.get("/extra").status_code == 403
