"""Issue 18, finding 9: only the newest password-reset link works. Requesting another one kills
every link mailed before it, so an old mail found later (a shared inbox, a forwarded message)
cannot set the password."""
import re

import sqlalchemy as sa

from lms.core.extensions import db
from lms.users.models import Role, User
from tests.factories import make_center, make_user


def _links(caplog) -> list[str]:
    return re.findall(r"https?://[^/\s]+(/auth/reset/\S+)", caplog.text)


def test_an_older_reset_link_dies_when_a_newer_one_is_requested(client, caplog):
    student = make_user(Role.STUDENT, make_center(), email="reset.me@example.org", locale="en")
    db.session.commit()
    caplog.set_level("WARNING")
    assert client.post("/auth/forgot", data={"email": student.email}).status_code == 302
    assert client.post("/auth/forgot", data={"email": student.email}).status_code == 302
    older, newer = _links(caplog)
    assert older != newer
    refused = client.get(older)
    assert refused.status_code == 302 and refused.location == "/auth/forgot"
    used = client.post(older, data={"password": "from-the-old-mail", "confirm": "from-the-old-mail"})
    assert used.location == "/auth/forgot"
    assert client.get(newer).status_code == 200
    done = client.post(newer, data={"password": "from-the-new-mail", "confirm": "from-the-new-mail"})
    assert done.location == "/auth/login"
    assert client.post("/auth/login", data={"email": student.email,
                                            "password": "from-the-new-mail"}).status_code == 302


def test_each_request_counts_once(client, caplog):
    student = make_user(Role.STUDENT, make_center(), email="count.me@example.org")
    db.session.commit()
    start = student.reset_version
    for _ in range(3):
        client.post("/auth/forgot", data={"email": student.email})
    assert db.session.scalar(sa.select(User.reset_version).where(User.id == student.id)) == start + 3
