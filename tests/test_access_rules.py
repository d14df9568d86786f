"""The named rules of lms/access.py, one table per rule and role, and a scan of the sources that
fails when a role or "is admin" decision is written out anywhere else.

The rules only read a user's role and center, so most tables use accounts built in memory:
admins belong to no center, everyone else to OWN (SPEC §2).
"""
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import render_template_string
from flask_login import AnonymousUserMixin, login_user
from werkzeug.exceptions import Forbidden, HTTPException, NotFound

from lms import access
from lms.cohorts.models import Cohort
from lms.users.models import Role, User

OWN, OTHER = 1, 2
STUDENT, MENTOR, HEAD, ADMIN = Role.STUDENT, Role.MENTOR, Role.HEAD, Role.ADMIN
CENTER_ROLES = (STUDENT, MENTOR, HEAD)
_ids = iter(range(1, 10_000))


def person(role: Role, center_id: int | None = OWN) -> User:
    """An account in memory: an admin has no center, anyone else `center_id`."""
    n = next(_ids)
    return User(id=n, email=f"{role.value}{n}@example.org", full_name=f"{role.value} {n}",
                role=role, center_id=None if role == ADMIN else center_id, is_active=True,
                session_version=1)


@pytest.fixture
def signed_in(app):
    """`with signed_in(user):` runs the block in a request with `user` as current_user."""
    @contextmanager
    def request_as(user: User):
        with app.test_request_context("/"):
            login_user(user)
            yield
    return request_as


# --- where a user belongs, which centers they see ---------------------------------------------

@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, False), (MENTOR, False), (HEAD, False), (ADMIN, True)])
def test_only_admins_are_cluster_wide(role, expected):
    assert access.is_cluster_role(role) is expected
    assert access.is_cluster_wide(person(role)) is expected


@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, OWN), (MENTOR, OWN), (HEAD, OWN), (ADMIN, None)])
def test_own_center_id_is_the_users_center_and_none_for_admins(role, expected):
    assert access.own_center_id(person(role)) == expected


def test_the_rules_go_by_the_role_not_by_a_missing_center():
    """The database would accept an admin with a center (users.center_unless_admin only asks a
    center of the other roles); such an admin is still cluster-wide, as in `visible`."""
    admin = person(ADMIN)
    admin.center_id = OWN
    assert access.is_cluster_wide(admin) and access.own_center_id(admin) is None
    assert access.sees_center(admin, OTHER)
    assert access.assignable_roles(person(ADMIN), admin) == (ADMIN,)


@pytest.mark.parametrize(("role", "own", "other", "no_center"), [
    (STUDENT, True, False, False),
    (MENTOR, True, False, False),
    (HEAD, True, False, False),
    (ADMIN, True, True, True),
])
def test_sees_center_own_center_for_everyone_every_center_for_admins(role, own, other, no_center):
    user = person(role)
    assert access.sees_center(user, OWN) is own
    assert access.sees_center(user, OTHER) is other
    assert access.sees_center(user, None) is no_center  # cluster-wide rows (no center)


REQUESTS = [(), (OWN,), (OTHER,), (OWN, OTHER)]  # what the query string or the URL names


@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, [[OWN], [OWN], 404, 404]),
    (MENTOR, [[OWN], [OWN], 404, 404]),
    (HEAD, [[OWN], [OWN], 404, 404]),
    (ADMIN, [None, [OWN], [OTHER], [OWN, OTHER]]),
])
def test_visible_center_ids_per_role(signed_in, role, expected):
    """An admin's choice (none: None, the whole cluster); everyone else their own center, and
    404 as soon as another center is named."""
    found = []
    with signed_in(person(role)):
        for requested in REQUESTS:
            try:
                found.append(access.visible_center_ids(requested))
            except NotFound:
                found.append(404)
    assert found == expected


def test_visible_center_ids_defaults_to_nothing_named(signed_in):
    with signed_in(person(HEAD)):
        assert access.visible_center_ids() == [OWN]
    with signed_in(person(ADMIN)):
        assert access.visible_center_ids() is None


# --- staff, roles to give, cohorts to manage, voucher codes -----------------------------------

@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, False), (MENTOR, True), (HEAD, True), (ADMIN, True)])
def test_is_staff(role, expected):
    assert access.is_staff(person(role)) is expected


def test_an_anonymous_visitor_is_not_staff():
    assert access.is_staff(AnonymousUserMixin()) is False


@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, ()), (MENTOR, ()), (HEAD, CENTER_ROLES), (ADMIN, (STUDENT, MENTOR, HEAD, ADMIN))])
def test_roles_a_user_may_give_a_new_account(role, expected):
    assert access.assignable_roles(person(role)) == expected


@pytest.mark.parametrize("actor", [HEAD, ADMIN])
@pytest.mark.parametrize(("account", "expected"), [
    (STUDENT, CENTER_ROLES), (MENTOR, CENTER_ROLES), (HEAD, CENTER_ROLES), (ADMIN, (ADMIN,))])
def test_an_existing_account_keeps_its_side(actor, account, expected):
    """A center's account takes a center's roles; a cluster account stays an admin."""
    assert access.assignable_roles(person(actor), person(account)) == expected


def _cohort_taught_by(mentor: User) -> Cohort:
    return Cohort(id=7, name="Evening Python", center_id=OWN, mentors=[mentor])


@pytest.mark.parametrize(("who", "expected"), [
    ("student", False), ("mentor of the center", False), ("teaching mentor", True),
    ("head", True), ("head of another center", False), ("admin", True)])
def test_manages_cohort(who, expected):
    teacher = person(MENTOR)
    users = {"student": person(STUDENT), "mentor of the center": person(MENTOR),
             "teaching mentor": teacher, "head": person(HEAD),
             "head of another center": person(HEAD, OTHER), "admin": person(ADMIN)}
    assert access.manages_cohort(users[who], _cohort_taught_by(teacher)) is expected


def test_require_teaching_refuses_with_the_page_that_says_why(signed_in):
    teacher = person(MENTOR)
    cohort = _cohort_taught_by(teacher)
    with signed_in(teacher):
        assert access.require_teaching(cohort, "cohorts/not_teaching.html") is None
    with signed_in(person(MENTOR)):
        with pytest.raises(Forbidden):
            access.require_teaching(cohort)
        with pytest.raises(HTTPException) as refused:
            access.require_teaching(cohort, "cohorts/not_teaching.html")
    assert refused.value.response.status_code == 403
    assert "Evening Python" in refused.value.response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, False), (MENTOR, False), (HEAD, True), (ADMIN, True)])
def test_may_see_voucher_code(role, expected):
    assert access.may_see_voucher_code(person(role)) is expected


@pytest.mark.parametrize(("role", "expected"), [
    (STUDENT, "False False True False"), (MENTOR, "True False True False"),
    (HEAD, "True False True False"), (ADMIN, "True True True True")])
def test_templates_ask_the_same_rules(signed_in, role, expected):
    source = ("{{ is_staff(current_user) }} {{ is_cluster_wide(current_user) }} "
              "{{ sees_center(current_user, 1) }} {{ sees_center(current_user, 2) }}")
    with signed_in(person(role)):
        assert render_template_string(source) == expected


# --- no role decision outside lms/access.py ---------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
USER = r"\b(?:current_user|user|actor|account|student|mentor|head|admin)"  # names that hold a user
# What a role or "is admin" decision looks like when it is written out instead of asked of
# lms/access.py. Column expressions (`User.role == Role.STUDENT` in a query) select data and
# start with a capital, so they do not match.
ROLE_DECISIONS = {
    "a role compared": re.compile(r"\b[a-z_]\w*\.role(?:\.value)?\s*(?:==|!=|\bnot\s+in\b|\bin\b)"),
    "Role.ADMIN compared": re.compile(r"[=!]=\s*Role\.ADMIN\b|\bRole\.ADMIN\s*[=!]="),
    "no center taken for 'admin'": re.compile(USER + r"\.center_id\s+is\s+(?:not\s+)?none\b",
                                              re.IGNORECASE),
    "a center taken as yes/no": re.compile(USER + r"\.center_id\s+(?:or|and|if)\b|"
                                           r"\b(?:if|not)\s+" + USER + r"\.center_id\s*(?::|%\})"),
}
# Decisions that stay where they are, each with its reason: (file, text on the line).
ALLOWED = {
    # The student page exists for student accounts only: this is what the object is (a staff
    # account has no student page, 404), not who may see it; the scope comes from the loader.
    ("lms/people/student_routes.py", "student.role != Role.STUDENT"),
}


def _sources() -> list[Path]:
    files = [*(ROOT / "lms").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    return sorted(path for path in files if path != ROOT / "lms" / "access.py")


def _decisions(text: str) -> list[str]:
    return [name for name, pattern in ROLE_DECISIONS.items() if pattern.search(text)]


def _allowed(relative: str, line: str) -> bool:
    return any(relative == path and fragment in line for path, fragment in ALLOWED)


def test_role_decisions_are_taken_in_access_py_only():
    found = []
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _decisions(line) and not _allowed(relative, line):
                found.append(f"{relative}:{number}: {line.strip()} ({', '.join(_decisions(line))})")
    assert not found, "Ask a rule of lms/access.py instead:\n" + "\n".join(found)


def test_every_allowed_decision_is_still_there():
    """An entry whose line is gone is removed from ALLOWED, so the list stays short and true."""
    for relative, fragment in ALLOWED:
        text = (ROOT / relative).read_text(encoding="utf-8")
        assert any(fragment in line and _decisions(line) for line in text.splitlines()), relative


@pytest.mark.parametrize("line", [
    "if current_user.role == Role.ADMIN:",
    "if current_user.role != Role.ADMIN:",
    "return evidence.awaiting_verification(None if user.role == Role.ADMIN else user.center_id)",
    "return self.role in (Role.MENTOR, Role.HEAD, Role.ADMIN)",
    "if role == Role.ADMIN:",
    "if actor.center_id is not None:",
    "center_id = current_user.center_id or form.center_id.data",
    "center_id = current_user.center_id if current_user.center_id else arg_int('center')",
    "{% if current_user.role.value == 'admin' or person.center_id == current_user.center_id %}",
    "{% if current_user.center_id is none %}",
])
def test_the_scan_recognises_a_decision(line):
    assert _decisions(line), line


@pytest.mark.parametrize("line", [
    ".where(User.role == Role.STUDENT, User.is_active)",
    "user = User(email=email, role=Role.ADMIN, center_id=None)",
    "if criteria.role is not None:",
    "{% if form.role.data == 'student' or form.errors %}",
    "{% if filters.center_id %}",
    "if access.is_cluster_wide(current_user):",
])
def test_the_scan_leaves_data_alone(line):
    assert not _decisions(line), line
