"""One transaction per request (lms/core/transactions.py): committed on a success or redirect,
rolled back on a refusal or error; a failed commit is a 409 page, never a success that lied;
mail leaves after the commit only; the sign-in throttle and a token's last use outlive a refusal."""
import ast
import io
import logging
import pathlib
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, stream_with_context
from sqlalchemy.exc import OperationalError

import lms
from lms import create_app
from lms.access import EVERYONE, gate, public
from lms.catalog import services as catalog_services
from lms.catalog.models import Track
from lms.centers.models import Center
from lms.certifications.models import Evidence
from lms.core import mail
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.evidence import services as evidence_services
from lms.people import invitations
from lms.people.models import StudentNote
from lms.people.services import PeopleError
from lms.tokens.models import AccessToken
from lms.users.models import User
from tests.api_support import bearer, make_token
from tests.conftest import PASSWORD

# What is under test is the commit itself: these tests commit for real (tables emptied after).
pytestmark = pytest.mark.real_commits

NOT_SAVED_UK = "Не збережено"
NOT_SAVED_EN = "Someone else changed the same data at the same moment"


# --- helpers ---------------------------------------------------------------------------------

def _center(slug: str) -> Center:
    return Center(slug=slug, name=slug, city="X", region="X", cluster="X")


def count(model, *where) -> int:
    """Rows as committed, read on a connection of its own (not the test's session)."""
    with db.engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


class DriverError(Exception):
    """Stands in for a database driver's exception carrying a SQLSTATE."""

    def __init__(self, sqlstate: str):
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


@contextmanager
def commits_failing_with(error: Exception):
    """Every commit of a request's session raises `error`, as the database would at COMMIT."""
    def fail(_session):
        raise error

    sa.event.listen(db.session, "before_commit", fail)
    try:
        yield
    finally:
        sa.event.remove(db.session, "before_commit", fail)


def serialization_failure() -> OperationalError:
    return OperationalError("COMMIT", {}, DriverError("40001"))


def mails_logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Mail to ")]


@pytest.fixture
def probe_app(database_url):
    """A separate app whose routes write a center, then answer what the test asks for."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)
    probe = Blueprint("probe", __name__)
    gate(probe, EVERYONE)

    @probe.route("/write/<int:status>", methods=["POST"])
    @public
    def write(status: int):
        db.session.add(_center("written"))
        db.session.flush()
        flash("Saved.", "success")
        return redirect("/") if status == 302 else ("answered", status)

    @probe.route("/duplicate", methods=["POST"])
    @public
    def duplicate():
        # Not flushed here: the unique slug is found taken only when the commit flushes.
        db.session.add(_center("taken"))
        flash("Saved.", "success")
        return redirect("/")

    @probe.route("/export.csv")
    @public
    def export():
        db.session.add(_center("exported"))
        db.session.flush()

        def rows():  # runs only once the response is being sent
            yield f"committed before streaming: {count(Center, Center.slug == 'exported')}\n"
            yield f"read after the commit: {db.session.scalar(sa.select(Center.slug))}\n"
        return Response(stream_with_context(rows()), mimetype="text/csv")

    app.register_blueprint(probe)
    return app


# --- the rule: one place commits -------------------------------------------------------------

ALLOWED = {"lms/core/transactions.py", "lms/cli.py", "lms/imports/cli.py"}


def _commits_and_rollbacks(path: pathlib.Path, root: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and ast.unparse(node.func.value).endswith("session")):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node.func)}()")
    return found


def test_only_the_request_end_and_cli_commands_commit_or_roll_back():
    root = pathlib.Path(lms.__file__).parent.parent
    offenders = []
    for path in sorted((root / "lms").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in ALLOWED or relative.startswith("lms/demo/"):
            continue
        offenders += _commits_and_rollbacks(path, root)
    assert offenders == [], "views and services leave commit and rollback to lms.core.transactions"


def test_the_transaction_module_is_infrastructure():
    """It may import lms.core only: no domain package, not lms.access."""
    source = pathlib.Path(lms.__file__).parent / "core" / "transactions.py"
    imported = {node.module for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom)}
    assert {name for name in imported if name.startswith("lms")} <= {"lms.core.extensions"}


# --- the request's end ---------------------------------------------------------------------

@pytest.mark.parametrize("status", [200, 201, 302])
def test_a_success_or_redirect_is_committed(probe_app, status):
    assert probe_app.test_client().post(f"/write/{status}").status_code == status
    assert count(Center) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422, 500])
def test_a_refusal_or_error_is_rolled_back(probe_app, status):
    assert probe_app.test_client().post(f"/write/{status}").status_code == status
    assert count(Center) == 0


def test_a_key_taken_at_commit_is_a_409_page_in_the_users_language(probe_app):
    db.session.add(_center("taken"))
    db.session.commit()
    client = probe_app.test_client()
    response = client.post("/duplicate")
    assert response.status_code == 409  # not the redirect the view returned
    assert NOT_SAVED_UK in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # still a full answer
    assert count(Center) == 1
    with client.session_transaction() as session:
        assert "_flashes" not in session  # no "Saved." waits for the next page

    client.post("/language", data={"language": "en"})
    assert NOT_SAVED_EN in client.post("/duplicate").get_data(as_text=True)


def test_a_serialization_failure_at_commit_is_a_409_with_nothing_written(probe_app):
    with commits_failing_with(serialization_failure()):
        response = probe_app.test_client().post("/write/200")
    assert response.status_code == 409 and NOT_SAVED_UK in response.get_data(as_text=True)
    assert count(Center) == 0


def test_any_other_failure_at_commit_is_a_500_with_nothing_written(probe_app):
    with commits_failing_with(OperationalError("COMMIT", {}, DriverError("08006"))):
        response = probe_app.test_client().post("/write/302")
    assert response.status_code == 500
    assert count(Center) == 0


def test_a_streamed_download_is_committed_before_its_first_line(probe_app):
    response = probe_app.test_client().get("/export.csv", buffered=False)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == ("committed before streaming: 1\n"
                                               "read after the commit: exported\n")


def test_the_api_answers_a_failed_commit_in_its_json_shape(client, world):
    secret = make_token(world.a.mentor)
    with commits_failing_with(serialization_failure()):
        response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


# --- refusals: catch_refusal undoes the request's writes ------------------------------------

def _write_then_refuse(real, message="Refused after writing."):
    def service(*args, **kwargs):
        real(*args, **kwargs)
        raise Refused(message)
    return service


def test_a_refused_form_keeps_nothing_and_answers_422(client, login, world, monkeypatch):
    monkeypatch.setattr(catalog_services, "save_track",
                        _write_then_refuse(catalog_services.save_track))
    login(world.admin)
    response = client.post("/admin/catalog/tracks/new", data={"code": "ROBO", "name": "Robotics"})
    assert response.status_code == 422
    assert "Refused after writing." in response.get_data(as_text=True)
    assert count(Track, Track.code == "ROBO") == 0
    assert count(AuditEntry, AuditEntry.action == "track.create") == 0


def test_a_refusal_answered_with_a_redirect_keeps_nothing(app, world, monkeypatch):
    evidence = evidence_services.add_link(world.a.pursuit, "https://example.org/c", world.a.student)
    db.session.commit()
    monkeypatch.setattr(evidence_services, "verify", _write_then_refuse(evidence_services.verify))
    mentor = app.test_client()
    mentor.post("/auth/login", data={"email": world.a.mentor.email, "password": PASSWORD})
    response = mentor.post(f"/evidence/{evidence.id}/verify", data={"next": "/"})
    assert response.status_code == 302  # a redirect commits, unless the refusal rolled back
    assert count(Evidence, Evidence.verified_at.is_not(None)) == 0
    assert count(AuditEntry, AuditEntry.action == "evidence.verify") == 0


def test_a_successful_write_is_committed_by_the_request_not_the_view(client, login, world):
    login(world.a.mentor)
    response = client.post(f"/students/{world.a.student.id}/notes", data={"body": "Doing well."})
    assert response.status_code == 302
    assert count(StudentNote) == 1
    assert count(AuditEntry, AuditEntry.action == "note.create") == 1


# --- mail leaves after the commit --------------------------------------------------------------

NEW_ACCOUNT = {"full_name": "Нова Людина", "email": "new.mentor@example.org", "role": "mentor",
               "locale": "en"}


def test_an_invitation_is_mailed_once_after_its_account_is_committed(client, login, world,
                                                                     caplog, monkeypatch):
    seen_at_sending = []

    def send_mail(to, subject, body):
        seen_at_sending.append(count(User, User.email == to))
        return real_send_mail(to, subject, body)

    real_send_mail = mail.send_mail
    monkeypatch.setattr(mail, "send_mail", send_mail)
    login(world.a.head)
    with caplog.at_level(logging.WARNING):
        assert client.post("/people/new", data=NEW_ACCOUNT).status_code == 302
    assert seen_at_sending == [1]  # the account was there, committed, when the mail left
    assert len(mails_logged(caplog)) == 1


def test_an_invitation_refused_after_it_was_written_sends_nothing(client, login, world, caplog,
                                                                  monkeypatch):
    real_send = invitations.send

    def send_then_refuse(*args, **kwargs):
        real_send(*args, **kwargs)
        raise PeopleError("Refused after the invitation.")

    monkeypatch.setattr(invitations, "send", send_then_refuse)
    login(world.a.head)
    with caplog.at_level(logging.WARNING):
        response = client.post("/people/new", data=NEW_ACCOUNT)
    assert response.status_code == 422
    assert mails_logged(caplog) == []
    assert count(User, User.email == NEW_ACCOUNT["email"]) == 0
    assert count(AuditEntry, AuditEntry.action == "user.invite") == 0


def test_an_invitation_whose_commit_fails_sends_nothing(client, login, world, caplog):
    login(world.a.head)
    with caplog.at_level(logging.WARNING), commits_failing_with(serialization_failure()):
        response = client.post("/people/new", data=NEW_ACCOUNT)
    assert response.status_code == 409
    assert mails_logged(caplog) == []
    assert count(User, User.email == NEW_ACCOUNT["email"]) == 0


def test_outside_a_request_mail_waits_for_the_commands_own_commit(app, caplog):
    with caplog.at_level(logging.WARNING):
        mail.send_after_commit("dropped@example.org", "Dropped", "body")
        db.session.rollback()
        mail.send_after_commit("sent@example.org", "Sent", "body")
        assert mails_logged(caplog) == []
        db.session.commit()
    assert mails_logged(caplog) == ["Mail to sent@example.org (no MAIL_SERVER set): Sent\nbody"]


def test_a_stored_file_is_removed_when_the_commit_fails(app, world, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    student = app.test_client()
    student.post("/auth/login", data={"email": world.a.student.email, "password": PASSWORD})
    pdf = b"%PDF-1.7\n%%EOF\n"
    with commits_failing_with(serialization_failure()):
        response = student.post(f"/evidence/pursuit/{world.a.pursuit.id}",
                                data={"file": (io.BytesIO(pdf), "cert.pdf"), "next": "/my"},
                                content_type="multipart/form-data")
    assert response.status_code == 409
    assert list(tmp_path.iterdir()) == []
    assert count(Evidence) == 0


# --- writes that outlive a refusal -------------------------------------------------------------

def test_a_refused_sign_in_is_still_counted(database_url, world):
    """The throttle's counters live in Flask-Limiter's storage, not in the request's
    transaction: the rollback of a refused (401) sign-in does not undo the attempt."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, AUTH_THROTTLE_ENABLED=True,
                     AUTH_LIMIT_PER_ACCOUNT="2 per minute", AUTH_LIMIT_PER_ADDRESS="9 per minute",
                     RATELIMIT_KEY_PREFIX=f"lms-test-{uuid.uuid4().hex}")
    client = app.test_client()
    email = world.a.student.email
    answers = [client.post("/auth/login", data={"email": email, "password": "wrong"}).status_code
               for _ in range(2)]
    assert answers == [401, 401]
    # Both refused attempts were recorded: even the right password is now turned away.
    assert client.post("/auth/login",
                       data={"email": email, "password": PASSWORD}).status_code == 429


def test_a_tokens_last_use_is_recorded_even_when_the_request_is_refused(client, world):
    secret = make_token(world.a.student)
    response = client.get(f"/api/v1/cohorts/{world.a.cohort.id}/gradebook",
                          headers=bearer(secret))
    assert response.status_code == 403
    assert count(AccessToken, AccessToken.last_used_at.is_not(None)) == 1
