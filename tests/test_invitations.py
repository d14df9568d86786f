"""Invitations: a single-use, expiring link to set the first password, shown or mailed."""
import email
import email.policy
import logging
import re
import socket
import socketserver
import threading

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.users.models import User

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

NEW_PASSWORD = "a-brand-new-password"
LINK = re.compile(r'<code class="invitation-link[^"]*">(http://localhost/auth/invite/[^<]+)</code>')


def invite(client, login, head, email="new.mentor@example.org", role="mentor") -> str:
    """Create an account as `head`; returns the invitation path shown once on its page."""
    login(head)
    response = client.post("/people/new", data={"full_name": "Нова Людина", "email": email,
                                                "role": role, "locale": "en"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    return LINK.search(page).group(1).removeprefix("http://localhost")


def accept(app, path: str, password: str = NEW_PASSWORD):
    """Follow an invitation in a browser of its own (the invited person's)."""
    visitor = app.test_client()
    return visitor, visitor.post(path, data={"password": password, "confirm": password})


def test_the_link_is_shown_once_and_logged_when_no_mail_server(client, login, world, caplog):
    with caplog.at_level(logging.WARNING):
        path = invite(client, login, world.a.head)
    assert path in caplog.text  # the server log has it too
    user = db.session.scalar(sa.select(User).where(User.email == "new.mentor@example.org"))
    assert LINK.search(client.get(f"/people/{user.id}").get_data(as_text=True)) is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.invite"))
    assert entry.object_id == user.id and entry.actor_id == world.a.head.id


def test_accepting_sets_the_password_signs_in_and_lands_on_the_role_home(app, client, login,
                                                                         world):
    path = invite(client, login, world.a.head, email="new.student@example.org", role="student")
    visitor = app.test_client()
    form = visitor.get(path)
    assert form.status_code == 200 and "new.student@example.org" in form.get_data(as_text=True)
    response = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert visitor.get("/").location == "/my"
    assert visitor.get("/my").status_code == 200
    fresh = app.test_client()
    assert fresh.post("/auth/login", data={"email": "new.student@example.org",
                                           "password": NEW_PASSWORD}).status_code == 302


def test_the_link_works_once(app, client, login, world):
    path = invite(client, login, world.a.head)
    _visitor, first = accept(app, path)
    assert first.location == "/"
    _again, second = accept(app, path, "someone-elses-password")
    assert second.status_code == 302 and second.location == "/auth/login"
    assert app.test_client().post("/auth/login", data={
        "email": "new.mentor@example.org", "password": "someone-elses-password"}).status_code == 401


def test_the_link_expires(app, client, login, world):
    path = invite(client, login, world.a.head)
    max_age = app.config["INVITATION_MAX_AGE"]
    app.config["INVITATION_MAX_AGE"] = -1  # every token is older than that
    try:
        _visitor, response = accept(app, path)
    finally:
        app.config["INVITATION_MAX_AGE"] = max_age
    assert response.location == "/auth/login"
    user = db.session.scalar(sa.select(User).where(User.email == "new.mentor@example.org"))
    assert user.password_hash is None


def test_a_password_mismatch_is_a_422_and_keeps_the_link_usable(app, client, login, world):
    path = invite(client, login, world.a.head)
    visitor = app.test_client()
    response = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": "different-one"})
    assert response.status_code == 422
    short = visitor.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert accept(app, path)[1].location == "/"


def test_sending_again_makes_earlier_links_useless(app, client, login, world):
    first = invite(client, login, world.a.head)
    user = db.session.scalar(sa.select(User).where(User.email == "new.mentor@example.org"))
    assert client.post(f"/people/{user.id}/invite").status_code == 302
    second = LINK.search(client.get(f"/people/{user.id}").get_data(as_text=True)).group(1)
    assert accept(app, first)[1].location == "/auth/login"
    assert accept(app, second.removeprefix("http://localhost"))[1].location == "/"
    # Once the password is set there is nothing to invite to.
    db.session.expire_all()
    assert client.post(f"/people/{user.id}/invite").status_code == 422


def test_deactivation_cancels_an_open_invitation(app, client, login, world):
    path = invite(client, login, world.a.head)
    user = db.session.scalar(sa.select(User).where(User.email == "new.mentor@example.org"))
    client.post(f"/people/{user.id}/deactivate")
    client.post(f"/people/{user.id}/reactivate")
    assert accept(app, path)[1].location == "/auth/login"


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "eyJpZCI6MX0.AAAA.BBBB"])
def test_a_bad_link_answers_like_a_used_one_and_reveals_nothing(app, client, login, world, token):
    used = invite(client, login, world.a.head)
    accept(app, used)
    answers = []
    for path in (used, f"/auth/invite/{token}"):
        visitor = app.test_client()
        response = visitor.get(path)
        page = visitor.get(response.location).get_data(as_text=True)
        answers.append((response.status_code, response.location,
                        "new.mentor@example.org" in page))
    assert answers[0] == answers[1] == (302, "/auth/login", False)


def test_an_invitation_token_is_not_a_reset_token(app, client, login, world):
    path = invite(client, login, world.a.head)
    token = path.rsplit("/", 1)[1]
    response = app.test_client().get(f"/auth/reset/{token}")
    assert response.status_code == 302 and response.location == "/auth/forgot"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_when_mailing_fails_the_link_is_shown_instead(app, client, login, world, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port(), MAIL_USE_TLS=False)
    try:
        with caplog.at_level(logging.ERROR):
            path = invite(client, login, world.a.head)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=587, MAIL_USE_TLS=True)
    assert "could not be mailed" in caplog.text
    assert accept(app, path)[1].location == "/"


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one plain message (the standard library no longer has a server)."""

    def handle(self):
        self.wfile.write(b"220 test ready\r\n")
        reading_data, lines = False, []
        for raw in self.rfile:
            line = raw.decode().rstrip("\r\n")
            if reading_data:
                if line == ".":
                    self.server.messages.append("\n".join(lines))
                    reading_data = False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line)
            elif line.upper() == "DATA":
                reading_data = True
                self.wfile.write(b"354 go on\r\n")
            elif line.upper() == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_with_a_mail_server_the_link_is_mailed_not_shown(app, client, login, world):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.messages = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1],
                      MAIL_USE_TLS=False)
    try:
        login(world.a.head)
        response = client.post("/people/new", data={"full_name": "Mailed", "role": "mentor",
                                                    "email": "mailed@example.org", "locale": "en"})
        page = client.get(response.location).get_data(as_text=True)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=587, MAIL_USE_TLS=True)
        server.shutdown()
        server.server_close()
    assert LINK.search(page) is None
    [raw] = server.messages
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message["To"] == "mailed@example.org"
    path = re.search(r"http://localhost(/auth/invite/\S+)", message.get_content()).group(1)
    assert accept(app, path)[1].location == "/"
