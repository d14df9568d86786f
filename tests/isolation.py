"""How tests are kept apart: an outer transaction rolled back after each test, or real commits
and emptied tables for the tests that need them.

In the default mode every session (the test's own and each request's, see IsolatedClient in
conftest) is bound to the connection of one outer transaction; the code's commits and rollbacks
become savepoint operations (join_transaction_mode="create_savepoint"), and a request sees
what the test built without anything reaching the disk. A module may also build its world
once (`shared_world`): its tests then run in savepoints nested in the module's transaction.
"""
import copy
import dataclasses
import weakref
from contextlib import contextmanager
from types import SimpleNamespace

import sqlalchemy as sa
from flask_sqlalchemy.session import Session

from lms.core.extensions import db

# Savepoint statements are the isolation's, not the code's: statement counts leave them out.
SAVEPOINT = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")

_module_connections: list[sa.Connection] = []  # the open shared_world transaction, if any


class JoinedSession(Session):
    """Flask-SQLAlchemy's session picks the app's engine and ignores its own `bind`: this one
    keeps to the connection of the outer transaction while a test runs in one."""

    live: "weakref.WeakSet[JoinedSession]" = weakref.WeakSet()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        JoinedSession.live.add(self)

    def get_bind(self, *args, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


@sa.event.listens_for(JoinedSession, "after_transaction_create")
def settle_the_others(session, transaction) -> None:
    """Savepoints on one connection nest: a request's work done inside a savepoint that the
    test's session still holds would be undone by the test's next rollback. So when a session
    starts, the others on its connection release theirs first (flushing what is pending and
    expiring nothing), as if each had its own connection and had committed."""
    if transaction.parent is not None or session.bind is None:
        return
    for other in list(JoinedSession.live):
        pending = other.get_transaction()
        if other is session or other.bind is not session.bind or pending is None:
            continue
        if pending.is_active:
            keep, other.expire_on_commit = other.expire_on_commit, False
            try:
                other.commit()
            finally:
                other.expire_on_commit = keep


def install() -> None:
    """Make db.session join outer transactions; the same scoped session object, since modules
    hold references to it."""
    factory = db.session.session_factory
    if not issubclass(factory.class_, JoinedSession):
        # A subclass of the factory's own class: the listeners the app registered on the
        # session (lms/core/transactions.py: after_commit, after_transaction_end) stay on.
        factory.class_ = type("JoinedSession", (JoinedSession, factory.class_), {})
    factory.configure(join_transaction_mode="create_savepoint")


def _separate_on(connection: sa.Connection):
    """`lms.core.transactions.separate_transaction` inside an outer transaction: another
    connection could not see (PostgreSQL) or could not write past (SQLite) the test's uncommitted
    rows, so the "separate" write is a savepoint of the same connection, released at once."""
    @contextmanager
    def separate_transaction():
        with connection.begin_nested():
            yield connection
    return separate_transaction


@contextmanager
def _separate_transactions_on(connection: sa.Connection):
    from lms.tokens import services as tokens  # the one caller (an API token's last use)

    kept = tokens.separate_transaction
    tokens.separate_transaction = _separate_on(connection)
    try:
        yield
    finally:
        tokens.separate_transaction = kept


@contextmanager
def outer_transaction():
    """Bind every session to one connection inside a transaction, rolled back on exit."""
    connection = db.engine.connect()
    driver = connection.connection.driver_connection
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # pysqlite's own BEGIN handling breaks SAVEPOINT (SQLAlchemy's pysqlite notes)
        driver.isolation_level = None
    transaction = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    db.session.remove()
    db.session.session_factory.configure(bind=connection)
    try:
        with _separate_transactions_on(connection):
            yield connection
    finally:
        db.session.remove()
        db.session.session_factory.configure(bind=None)
        transaction.rollback()
        if sqlite:
            driver.isolation_level = ""
        connection.close()


@contextmanager
def rolled_back_test():
    """A test's isolation: a savepoint in its module's shared transaction, or its own."""
    if not _module_connections:
        with outer_transaction():
            yield
        return
    savepoint = _module_connections[-1].begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


@contextmanager
def module_transaction():
    """The transaction a module's shared world lives in, for as long as the module runs."""
    with outer_transaction() as connection:
        _module_connections.append(connection)
        try:
            yield
        finally:
            _module_connections.pop()


def in_module_transaction() -> bool:
    return bool(_module_connections)


def in_session(value):
    """The world with each of its rows as an object of the current session: merged without a
    query (attributes load when first used), containers copied."""
    if isinstance(value, db.Model):
        return db.session.merge(value, load=False)
    if isinstance(value, dict):
        return {key: in_session(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(in_session(item) for item in value)
    if isinstance(value, SimpleNamespace) or (dataclasses.is_dataclass(value)
                                              and not isinstance(value, type)):
        copied = copy.copy(value)  # attributes added after construction are copied too
        vars(copied).update(in_session(vars(value)))
        return copied
    return value


def empty_database() -> None:
    """Delete every row (PostgreSQL: and restart the ids) through the session, so that inside
    an outer transaction this is rolled back with the rest of the test."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()
