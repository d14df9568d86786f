"""Consistent copies of the database and their restoration.

SQLite: the online backup API (a consistent snapshot even while the app writes), both ways.
PostgreSQL: `pg_dump -Fc` of the configured URL (one transaction-consistent snapshot), restored
with `pg_restore --clean --if-exists` into the configured database.
"""
import os
import sqlite3
import subprocess
from datetime import datetime, timezone

from sqlalchemy.engine import make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def default_path(url: str, folder: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite" if make_url(url).get_backend_name() == "sqlite" else "dump"
    return os.path.join(folder, f"lms-backup-{stamp}.{suffix}")


def backup(url: str, path: str) -> str:
    """Write a consistent copy of the database at `url` to `path`; returns the path."""
    if os.path.exists(path):
        raise BackupError(f"{path} already exists; choose another file.")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        _copy_sqlite(_sqlite_file(url), path)
    elif backend == "postgresql":
        _run(["pg_dump", "-Fc", "--no-owner", "--file", path, _libpq_url(url)])
    else:
        raise BackupError(f"Backups of {backend} databases are not supported.")
    return path


def restore(url: str, path: str) -> None:
    """Replace the database at `url` with the copy in `path`, refusing a wrong file."""
    backend = make_url(url).get_backend_name()
    header = _header(path)
    if backend == "sqlite":
        if not header.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite backup.")
        _copy_sqlite(path, _sqlite_file(url))
    elif backend == "postgresql":
        if not header.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format (-Fc) backup.")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _libpq_url(url), path])
    else:
        raise BackupError(f"Restoring {backend} databases is not supported.")


def _header(path: str) -> bytes:
    if not os.path.isfile(path):
        raise BackupError(f"{path} does not exist.")
    with open(path, "rb") as file:
        return file.read(len(SQLITE_MAGIC))


def _sqlite_file(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return database


def _copy_sqlite(source_path: str, target_path: str) -> None:
    """sqlite3's online backup: page by page, consistent even while others write."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        source.execute("PRAGMA schema_version")  # fails early on a file that is not a database
        source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source_path}: {error}") from error
    finally:
        target.close()
        source.close()


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as libpq understands it (no +driver)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed.") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")
