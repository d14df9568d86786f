"""Shared fixtures: one app and schema per run, a clean database for every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.

Isolation: a test runs inside an outer transaction that is rolled back at its end. Every
session (the test's own and each request's, see IsolatedClient) works on that transaction's
connection, so the code's commits and rollbacks become savepoint operations and a request sees
what the test built (tests/isolation.py). Tests that need real commits (other connections or
threads, a server, migrations, backups, code that works on a connection of its own) are marked
`real_commits`: their tables are emptied afterwards instead. A module may build one world for
all its tests (module_world).
"""
import contextvars
import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from lms import create_app
from lms.core.extensions import db
from tests import factories, isolation
from tests.isolation import empty_database  # noqa: F401  (tests import it from here)
from tests.report_world import build_report_world

PASSWORD = factories.PASSWORD


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, so it gets its own app context and DB session,
    exactly as in production, instead of sharing the test's session."""

    def open(self, *args, **kwargs):
        # Buffered: a streamed response (CSV downloads) is read inside that same context.
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url,
                     UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))
    app.test_client_class = IsolatedClient
    isolation.install()
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@pytest.fixture(autouse=True)
def app_ctx(app, request):
    """Every test runs inside an app context and, unless marked `real_commits`, inside an
    outer transaction rolled back at its end; a `real_commits` test's tables are emptied."""
    with app.app_context():
        if request.node.get_closest_marker("real_commits"):
            assert not isolation.in_module_transaction(), "real commits next to a shared world"
            try:
                yield
            finally:
                db.session.remove()
                isolation.empty_database()
                db.session.remove()
        else:
            with isolation.rolled_back_test():
                yield


@pytest.fixture
def postgresql_only(database_url):
    """Skips a test of concurrent commits (row locks, several connections) on SQLite."""
    backend = sa.engine.make_url(database_url).get_backend_name()
    if backend != "postgresql":
        pytest.skip(f"concurrent commits need PostgreSQL (row locks, several connections); "
                    f"this run uses {backend}: set TEST_DATABASE_URL=postgresql+psycopg://…")


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(client):
    """login(user_or_email, password=PASSWORD) signs the test client in and checks it worked."""
    def sign_in(user, password: str = PASSWORD, remember: bool = False):
        email = user if isinstance(user, str) else user.email
        response = client.post("/auth/login", data={"email": email, "password": password,
                                                     "remember": "y" if remember else ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response
    return sign_in


@pytest.fixture
def count_queries():
    """`with count_queries() as statements:` collects every SQL statement sent meanwhile."""
    @contextmanager
    def counter():
        statements: list[str] = []

        def collect(_conn, _cursor, statement, *_args):
            # The isolation's savepoints are not the code's work.
            if not statement.lstrip().upper().startswith(isolation.SAVEPOINT):
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", collect)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", collect)
    return counter


@pytest.fixture
def world(request):
    """Two centers with a head, two mentors, students, a course and cohorts each: built for
    the test, or once for a module that shares its world (see module_world)."""
    return built_for(request, factories.build_world)


@pytest.fixture
def rw(request):
    """The report world of tests/report_world.py, every figure of it worked out by hand."""
    return built_for(request, build_report_world)


def built_for(request, build):
    """The module's shared world when it has one, else a world built for this test."""
    if "module_world" in request.fixturenames:
        return request.getfixturevalue("shared_world")
    return build()


@pytest.fixture
def head(world, login):
    """The head of center a, signed in, reading English."""
    factories.english(world.a.head)
    login(world.a.head)
    return world.a.head


@pytest.fixture(scope="module")
def module_world(request, app):
    """One world for a whole module, which asks for it with
    `pytestmark = pytest.mark.usefixtures("module_world")` (so that it is built before any
    test's transaction) and may name its builder in SHARED_WORLD (default: build_world). The
    module's tests run in savepoints of the module's transaction (tests/isolation.py): what one
    test writes, the next does not see."""
    build = getattr(request.module, "SHARED_WORLD", factories.build_world)
    with app.app_context(), isolation.module_transaction():
        world = build()
        db.session.close()  # the objects leave this session; each test merges them into its own
        yield world


@pytest.fixture
def shared_world(module_world):
    """The module's world (SHARED_WORLD), its objects in this test's session."""
    return isolation.in_session(module_world)


@pytest.fixture
def page_statements(client, count_queries):
    """page_statements(url, **get_options): how many SQL statements one GET of `url` sends (it
    must be 200); e.g. headers=bearer(secret) for the API."""
    def measure(url: str, **options) -> int:
        with count_queries() as sent:
            response = client.get(url, **options)
        assert response.status_code == 200, (url, response.status_code)
        return len(sent)
    return measure
