"""A tour of the pages each role uses, resolved against whatever data is loaded.

Timed by `benchmarks/pages.py` and explained by `benchmarks/explain.py` on the large set.
tests/test_statement_bounds.py finds its people and objects with cast_of (the benchmarks do
not import the tests; the test imports this module).
"""
import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from lms.attendance.models import ClassSession
from lms.centers.models import Center
from lms.certifications.models import Pursuit
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, cohort_mentors
from lms.core.extensions import db
from lms.users.models import Role, User

ADMIN_EMAIL = "admin@demo.example"


@dataclass(frozen=True)
class Stop:
    role: Role
    email: str
    name: str
    url: str
    api: bool = False  # sent with the user's personal access token instead of a session


@contextmanager
def api_tokens(emails: set[str]):
    """{email: token secret} for the API stops; the tokens are revoked afterwards."""
    from lms.tokens.services import create_token, revoke_token

    today = date.today()
    made = {}
    for email in emails:
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        made[email] = (user, *create_token(user, "tour", today + timedelta(days=1), today))
    db.session.commit()
    try:
        yield {email: secret for email, (_user, _token, secret) in made.items()}
    finally:
        for user, token, _secret in made.values():
            revoke_token(db.session.merge(token), db.session.merge(user))
        db.session.commit()


@dataclass(frozen=True)
class Cast:
    """The representative people and objects of one center."""
    center: Center
    cohort: Cohort
    mentor: User
    student: User
    head: User
    pursuit: Pursuit
    session: ClassSession | None


def busiest_running_cohort(center_id: int) -> Cohort:
    active = (sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.cohort_id == Cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE)
        .scalar_subquery())
    return db.session.scalars(
        sa.select(Cohort).where(Cohort.center_id == center_id, Cohort.status == CohortStatus.RUNNING)
        .order_by(active.desc(), Cohort.id).limit(1)).one()


def cast_of(center_slug: str) -> Cast:
    center = db.session.scalars(sa.select(Center).where(Center.slug == center_slug)).one()
    cohort = busiest_running_cohort(center.id)
    mentor = db.session.scalars(
        sa.select(User).join(cohort_mentors, cohort_mentors.c.mentor_id == User.id)
        .where(cohort_mentors.c.cohort_id == cohort.id).order_by(User.id).limit(1)).one()
    has_pursuit = sa.exists().where(Pursuit.student_id == User.id)
    student = db.session.scalars(
        sa.select(User).join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE)
        .order_by(has_pursuit.desc(), User.id).limit(1)).one()
    pursuit = db.session.scalars(
        sa.select(Pursuit).where(Pursuit.center_id == center.id)
        .order_by((Pursuit.student_id == student.id).desc(), Pursuit.id).limit(1)).one()
    head = db.session.scalars(sa.select(User).where(
        User.center_id == center.id, User.role == Role.HEAD).order_by(User.id).limit(1)).one()
    session = db.session.scalars(sa.select(ClassSession).where(ClassSession.cohort_id == cohort.id)
                                 .order_by(ClassSession.held_on.desc()).limit(1)).first()
    return Cast(center, cohort, mentor, student, head, pursuit, session)


def stops(cast: Cast) -> list[Stop]:
    """Every page of SPEC §4 that has a screen today, as the user who would open it."""
    student, mentor, head = cast.student.email, cast.mentor.email, cast.head.email
    own_path = cast.pursuit.student_id == cast.student.id
    this_year = date.today().year
    year = f"start={this_year}-01-01&end={this_year}-12-31"
    tour = [
        Stop(Role.STUDENT, student, "student home", "/my"),
        Stop(Role.STUDENT, student, "student cohort page", f"/learn/cohorts/{cast.cohort.id}"),
        Stop(Role.STUDENT, student, "my data (JSON)", "/learn/my-data.json"),
        Stop(Role.MENTOR, mentor, "mentor home", "/mentor"),
        Stop(Role.MENTOR, mentor, "cohort page", f"/cohorts/{cast.cohort.id}"),
        Stop(Role.MENTOR, mentor, "gradebook", f"/gradebook/{cast.cohort.id}"),
        Stop(Role.MENTOR, mentor, "attendance sessions", f"/attendance/cohort/{cast.cohort.id}"),
        Stop(Role.MENTOR, mentor, "student page", f"/students/{cast.student.id}"),
        Stop(Role.MENTOR, mentor, "certification board", "/pursuits/"),
        Stop(Role.MENTOR, mentor, "verification queue", "/pursuits/verification"),
        Stop(Role.MENTOR, mentor, "pursuit page", f"/pursuits/{cast.pursuit.id}"),
        Stop(Role.MENTOR, mentor, "cohort list", "/cohorts/"),
        Stop(Role.HEAD, head, "head home", "/center"),
        Stop(Role.HEAD, head, "head dashboard", f"/dashboard/centers/{cast.center.id}"),
        Stop(Role.HEAD, head, "dashboard people", f"/dashboard/centers/{cast.center.id}/people/active"),
        Stop(Role.HEAD, head, "donor report", "/reports/donor"),
        Stop(Role.HEAD, head, "donor report people", "/reports/donor/people"),
        Stop(Role.HEAD, head, "certifications report", "/reports/certifications"),
        Stop(Role.HEAD, head, "certifications report people", "/reports/certifications/people"),
        Stop(Role.HEAD, head, "voucher stock", "/vouchers/"),
        Stop(Role.HEAD, head, "audit log", "/audit/"),
        Stop(Role.ADMIN, ADMIN_EMAIL, "cluster home", "/cluster"),
        Stop(Role.ADMIN, ADMIN_EMAIL, "cluster dashboard", "/dashboard/cluster"),
        Stop(Role.ADMIN, ADMIN_EMAIL, "cluster donor report", "/reports/donor"),
        Stop(Role.STUDENT, student, "API: me", "/api/v1/me", api=True),
        Stop(Role.STUDENT, student, "API: my cohorts", "/api/v1/my/cohorts", api=True),
        Stop(Role.MENTOR, mentor, "API: gradebook", f"/api/v1/cohorts/{cast.cohort.id}/gradebook", api=True),
        Stop(Role.MENTOR, mentor, "API: pursuits", "/api/v1/pursuits", api=True),
        Stop(Role.HEAD, head, "API: certification counts",
             f"/api/v1/centers/{cast.center.id}/certifications?{year}", api=True),
        Stop(Role.HEAD, head, "API: donor table", f"/api/v1/centers/{cast.center.id}/donor?{year}", api=True),
    ]
    if own_path:
        tour.insert(2, Stop(Role.STUDENT, student, "certification path", f"/paths/{cast.pursuit.id}"))
    if cast.session is not None:
        tour.insert(11, Stop(Role.MENTOR, mentor, "attendance marking", f"/attendance/session/{cast.session.id}"))
    return tour


class Visitor:
    """Requests tour stops as their person: signed in once per person (with the CSRF token when
    the app checks it), or with the person's API token for API stops."""

    def __init__(self, app, secrets: dict[str, str] | None = None, password: str = "demo-password"):
        self.app, self.secrets, self.password = app, secrets or {}, password
        self.clients = {}

    @staticmethod
    def _isolated(call, *args, **kwargs):
        """Run a request in a fresh context: an app context the caller holds open (for the
        tour's own queries) must not be shared with the request, or `g` would leak between users."""
        return contextvars.Context().run(call, *args, **kwargs)

    def client(self, email: str):
        if email not in self.clients:
            client = self.app.test_client()
            page = self._isolated(client.get, "/auth/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
            data = {"email": email, "password": self.password,
                    **({"csrf_token": token.group(1)} if token else {})}
            response = self._isolated(client.post, "/auth/login", data=data)
            assert response.status_code == 302, (email, response.status_code)
            self.clients[email] = client
        return self.clients[email]

    def get(self, stop: Stop):
        if stop.api:
            headers = {"Authorization": f"Bearer {self.secrets[stop.email]}"}
            return self._isolated(self.app.test_client().get, stop.url, headers=headers)
        return self._isolated(self.client(stop.email).get, stop.url)
