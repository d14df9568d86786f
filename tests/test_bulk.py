"""Bulk writes: COPY / unnest() on PostgreSQL, executemany on SQLite, the same rows either way."""
import sqlalchemy as sa

from lms.core.audit import AuditEntry
from lms.core.bulk import insert_many, update_many
from lms.core.extensions import db
from lms.core.model_types import utcnow


def test_insert_many_then_update_many_round_trip_json_nulls_and_text(world):
    now = utcnow()
    rows = [{"actor_id": world.a.head.id if n % 2 else None, "center_id": world.a.center.id,
             "action": "x.set", "object_type": "Thing", "object_id": n,
             "before": None if n % 3 else {"status": "готово", "n": n}, "after": {"tab\t": "a\\b\n"},
             "client_address": None, "created_at": now} for n in range(1, 8)]
    insert_many(AuditEntry, rows)
    stored = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "x.set")
                                .order_by(AuditEntry.object_id)).all()
    assert [(e.object_id, e.before, e.after, e.actor_id) for e in stored] == [
        (r["object_id"], r["before"], r["after"], r["actor_id"]) for r in rows]

    update_many(AuditEntry, [{"id": e.id, "action": "x.changed", "after": {"v": e.object_id}}
                             for e in stored[:3]])
    db.session.expire_all()
    changed = db.session.execute(sa.select(AuditEntry.object_id, AuditEntry.after)
                                 .where(AuditEntry.action == "x.changed")
                                 .order_by(AuditEntry.object_id)).all()
    assert [tuple(r) for r in changed] == [(1, {"v": 1}), (2, {"v": 2}), (3, {"v": 3})]


def test_empty_lists_write_nothing(world):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    insert_many(AuditEntry, [])
    update_many(AuditEntry, [])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_update_many_sets_shared_values_once_for_every_row(world):
    now = utcnow()
    insert_many(AuditEntry, [{"actor_id": None, "center_id": world.a.center.id, "action": "y.set",
                              "object_type": "Thing", "object_id": n, "before": None,
                              "after": None, "client_address": None, "created_at": now}
                             for n in range(1, 5)])
    stored = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "y.set")
                                .order_by(AuditEntry.object_id)).all()
    update_many(AuditEntry, [{"id": e.id, "object_id": e.object_id * 10} for e in stored[:3]],
                same={"actor_id": world.a.head.id, "client_address": "10.0.0.1"})
    db.session.expire_all()
    rows = db.session.execute(sa.select(AuditEntry.object_id, AuditEntry.actor_id,
                                        AuditEntry.client_address)
                              .where(AuditEntry.action == "y.set")
                              .order_by(AuditEntry.object_id)).all()
    head = world.a.head.id
    assert [tuple(r) for r in rows] == [(4, None, None), (10, head, "10.0.0.1"),
                                        (20, head, "10.0.0.1"), (30, head, "10.0.0.1")]
