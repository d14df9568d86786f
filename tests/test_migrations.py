"""Migrations are the only way the schema changes: prove they produce exactly the models."""
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from lms import create_app
from lms.core.extensions import db

# Migrations run on a database of their own, outside the suite's transaction.
pytestmark = pytest.mark.real_commits

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database on the same server as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"{url.database}_migrations"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        yield app
        db.engine.dispose()


def test_single_head(app):
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(MIGRATIONS))
        assert len(script.get_heads()) == 1


def test_upgrade_from_empty_matches_the_models_and_downgrades(fresh_app):
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(connection).get_table_names())
    assert differences == []
    assert tables == set(db.metadata.tables) | {"alembic_version"}
    assert_email_unique_case_insensitively()

    downgrade(directory=MIGRATIONS, revision="base")
    with db.engine.connect() as connection:
        assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}


def assert_email_unique_case_insensitively() -> None:
    """The expression index autogenerate cannot compare: check what it does instead."""
    insert = sa.text("INSERT INTO users (email, full_name, role, locale, is_active, session_version,"
                     " created_at) VALUES (:email, 'X', 'admin', 'uk', true, 1, CURRENT_TIMESTAMP)")
    with db.engine.connect() as connection:
        connection.execute(insert, {"email": "Head@Example.org"})
        with pytest.raises(sa.exc.IntegrityError):
            connection.execute(insert, {"email": "head@example.ORG"})
        connection.rollback()


def test_history_rows_get_their_center_when_the_column_is_added(fresh_app):
    """e5b2c8d41f07 copies each progress event's cohort center and each stage change's pursuit
    center onto the row: build rows in two centers, take the column away, add it back."""
    from lms.certifications.models import PursuitStageChange, Stage
    from lms.progress.models import ProgressEvent, ProgressStatus
    from tests import factories as f

    upgrade(directory=MIGRATIONS)
    world = f.build_world()
    expected = {}
    for side in (world.a, world.b):
        progress = f.make_progress(side.enrollment, world.course.modules[0].lessons[0])
        event = ProgressEvent(progress_id=progress.id, center_id=side.center.id,
                              to_status=ProgressStatus.COMPLETED)
        change = PursuitStageChange(pursuit_id=side.pursuit.id, center_id=side.center.id,
                                    to_stage=Stage.PREPARING, attempt=1)
        db.session.add_all([event, change])
        db.session.commit()
        expected[("progress_events", event.id)] = side.center.id
        expected[("pursuit_stage_changes", change.id)] = side.center.id
    db.session.remove()

    downgrade(directory=MIGRATIONS, revision="a7c3e91b5d20")
    with db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("progress_events")}
    assert "center_id" not in columns
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        found = {(table, row_id): center_id for table in ("progress_events", "pursuit_stage_changes")
                 for row_id, center_id in connection.execute(
                     sa.text(f"SELECT id, center_id FROM {table}"))}
    assert found == expected
    assert len(set(expected.values())) == 2


def test_the_work_summaries_are_filled_from_existing_history(fresh_app):
    """f3a9d6c1b8e2 derives the summaries from the history already on file: work done through
    the services, the summaries dropped with a downgrade, then filled again by the upgrade."""
    from tests import factories as f
    from tests.test_worklog import do_the_work, summaries

    upgrade(directory=MIGRATIONS)
    do_the_work(f.build_world())
    kept = summaries()
    assert kept["work"] and kept["markings"]
    db.session.remove()

    downgrade(directory=MIGRATIONS, revision="e5b2c8d41f07")
    assert "staff_work_days" not in sa.inspect(db.engine).get_table_names()
    upgrade(directory=MIGRATIONS)
    assert summaries() == kept


def test_tokens_made_before_scopes_become_read_write(fresh_app):
    """a7d3e91c4b58 adds the token scope: every token that exists then is read-write (it could
    write before). A token is made, the scope and the reset counter taken away by the
    downgrade, then the upgrade adds them back."""
    from lms.tokens.models import TokenScope
    from tests import factories as f
    from tests.api_support import make_token

    upgrade(directory=MIGRATIONS)
    world = f.build_world()
    make_token(world.a.head, scope=TokenScope.READ)
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="9d8387dc574a")
    with db.engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert "scope" not in {c["name"] for c in inspector.get_columns("access_tokens")}
        assert "reset_version" not in {c["name"] for c in inspector.get_columns("users")}
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT scope FROM access_tokens")).scalars().all() == [
            "read_write"]
        assert set(connection.execute(sa.text("SELECT reset_version FROM users")).scalars()) == {0}
