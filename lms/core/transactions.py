"""One transaction per request: it commits when the answer is a success or a redirect, and rolls
back when it is a refusal or an error. Views and services never commit; CLI commands, each its
own unit of work, still do.

Work that must wait for the outcome (a mail that carries a link to a new row, a stored file
whose row may not be written) is registered with `after_commit` / `after_rollback`. The few
writes that must outlive a refused request use `separate_transaction`.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app
from flask import session as cookie_session
from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.exceptions import Conflict

from lms.core.extensions import db

# SQLSTATEs of a transaction that lost to a concurrent one (serialization failure, deadlock):
# nothing of it was written and the same request may well succeed again.
LOST_TO_CONCURRENT_WRITE = frozenset({"40001", "40P01"})
_ON_COMMIT, _ON_ROLLBACK = "lms.on_commit", "lms.on_rollback"


def register_transactions(app: Flask) -> None:
    """End every request's transaction; run the callbacks waiting for its outcome."""
    # Registered last, so it runs first of the app's after-request functions: a failed commit's
    # error page then still gets the security headers and cookies the others add.
    app.after_request(end_request_transaction)
    for name, listener in (("after_commit", _committed), ("after_transaction_end", _ended)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def end_request_transaction(response: Response) -> Response:
    """Commit a success or redirect (status < 400), roll back anything else. A commit that
    fails answers an error page instead of the success it would have claimed."""
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        _commit_keeping_loaded_values()
    except DBAPIError as error:
        db.session.rollback()
        # The request's messages ("Saved.") announced a change that is not there.
        cookie_session.pop("_flashes", None)
        if not _lost_to_concurrent_write(error):
            raise  # unexpected: Flask logs it and lms.core.errors answers 500
        current_app.logger.warning("Commit refused (%s); answered 409", error.orig)
        # The handler registered for the request's blueprint renders it: a page in the user's
        # language, or the API's JSON error.
        return current_app.make_response(current_app.handle_http_exception(Conflict()))
    return response


def _commit_keeping_loaded_values() -> None:
    # The session is removed right after this request; only a streamed body (a CSV download)
    # still reads, and expiring would make it reload every object it touches, one by one.
    request_session = db.session()
    request_session.expire_on_commit = False
    try:
        request_session.commit()
    finally:
        request_session.expire_on_commit = True


def _lost_to_concurrent_write(error: DBAPIError) -> bool:
    """A unique key taken meanwhile, a serialization failure or a deadlock: a 409, not a bug."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return isinstance(error, IntegrityError) or code in LOST_TO_CONCURRENT_WRITE


def discard_changes() -> None:
    """Roll back what the request has written so far, e.g. before showing a refused form again
    from the database as it was; the request goes on in a fresh transaction."""
    db.session.rollback()


@contextmanager
def separate_transaction() -> Iterator[Connection]:
    """A short transaction on a connection of its own, committed at once: for the rare write
    that must outlive a request refused later (an API token's last use)."""
    with db.engine.begin() as connection:
        yield connection


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction has committed, never if it rolls back. The
    transaction is over by then: the callback may not use the database."""
    _waiting(_ON_COMMIT).append(callback)


def after_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the current transaction ends without committing (refused or failed)."""
    _waiting(_ON_ROLLBACK).append(callback)


def _waiting(key: str) -> list[Callable[[], None]]:
    current = db.session()
    if not current.in_transaction():
        # A rollback of a session that has not begun does nothing, not even its events: begin
        # now, so the callback belongs to a transaction that is sure to end.
        current.begin()
    return current.info.setdefault(key, [])


def _committed(committed_session: Session) -> None:
    committed_session.info.pop(_ON_ROLLBACK, None)
    _run(committed_session.info.pop(_ON_COMMIT, []))


def _ended(ended_session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:  # a flush's or a savepoint's, not the whole transaction
        return
    ended_session.info.pop(_ON_COMMIT, None)  # after a commit, `_committed` has emptied both
    _run(ended_session.info.pop(_ON_ROLLBACK, []))


def _run(callbacks: list[Callable[[], None]]) -> None:
    # The transaction is over either way: a failing callback is logged, and neither turns a
    # committed write into an error page nor keeps the others from running.
    for callback in callbacks:
        try:
            callback()
        except Exception:  # noqa: BLE001
            current_app.logger.exception("A callback after the end of a transaction failed")
