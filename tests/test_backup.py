"""`flask lms backup` / `flask lms restore`: a round trip on the test database (SQLite's online
backup, or pg_dump/pg_restore on PostgreSQL), and clear refusals of wrong files."""
import shutil

import pytest
import sqlalchemy as sa

from lms.centers.models import Center
from lms.core.extensions import db
from tests.factories import make_center

# The backup reads the database file and the restore replaces it: only committed rows count.
pytestmark = pytest.mark.real_commits


def slugs() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(Center.slug)))


@pytest.fixture
def runner(app):
    if db.engine.dialect.name == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump/pg_restore are not installed")
    return app.test_cli_runner()


def test_round_trip_brings_the_data_back(runner, tmp_path):
    make_center("kept")
    gone = make_center("deleted-later")
    path = tmp_path / "copy.bak"
    result = runner.invoke(args=["lms", "backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0 and str(path) in result.output

    db.session.delete(gone)
    make_center("added-later")
    db.session.commit()
    assert slugs() == {"kept", "added-later"}
    db.session.remove()

    result = runner.invoke(args=["lms", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert slugs() == {"kept", "deleted-later"}


def test_restore_asks_first(runner, tmp_path):
    make_center("untouched")
    path = tmp_path / "copy.bak"
    assert runner.invoke(args=["lms", "backup", str(path)]).exit_code == 0
    make_center("still-here")
    db.session.remove()
    result = runner.invoke(args=["lms", "restore", str(path)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert slugs() == {"untouched", "still-here"}


def test_wrong_or_missing_files_are_refused(runner, tmp_path):
    make_center("safe")
    missing = runner.invoke(args=["lms", "restore", str(tmp_path / "nope.bak"), "--yes"])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    junk = tmp_path / "junk.bak"
    junk.write_text("this is not a backup\n" * 10)
    refused = runner.invoke(args=["lms", "restore", str(junk), "--yes"])
    assert refused.exit_code == 1 and "is not a" in refused.output
    existing = runner.invoke(args=["lms", "backup", str(junk)])
    assert existing.exit_code == 1 and "already exists" in existing.output
    assert slugs() == {"safe"}


def test_a_default_path_in_the_instance_folder(app, runner, tmp_path):
    app.instance_path, original = str(tmp_path), app.instance_path
    try:
        result = runner.invoke(args=["lms", "backup"])
    finally:
        app.instance_path = original
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("lms-backup-*"))) == 1
