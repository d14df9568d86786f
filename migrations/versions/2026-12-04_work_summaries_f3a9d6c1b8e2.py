"""Per-day summaries of the staff's work and per-session attendance tallies (issue 8).

The dashboards counted a center's year of progress events, stage changes and attendance marks
per request (a hundred thousand rows for one center of the large data set, a million for the
cluster). The services that write that history now also keep small summaries in the same
transaction: progress cells and stage changes per (center, day, person), sessions marked per
(center, day, person) and, on each session, its marks attended and counted. This migration
creates them and fills them from the existing history, with the same statements as
lms/worklog/rebuild.rebuild().

The audit-log index that served the count of sessions marked per mentor goes: only a
drill-down list reads that range now, 60.9 ms with the index and 63.7 ms without it on the
large data set (benchmarks/output/indexes.md before this change), not worth a write on every audit entry.

Revision ID: f3a9d6c1b8e2
Revises: e5b2c8d41f07
Create Date: 2026-12-04 01:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3a9d6c1b8e2'
down_revision = 'e5b2c8d41f07'
branch_labels = None
depends_on = None

AUDIT_INDEX = "ix_audit_log_action_center_created"
FILL_WORK = """
INSERT INTO staff_work_days (center_id, day, actor_id, progress_cells, stage_changes)
SELECT center_id, day, actor_id, sum(p), sum(s) FROM (
    SELECT center_id, date(created_at) AS day, actor_id, 1 AS p, 0 AS s
    FROM progress_events WHERE actor_id IS NOT NULL
    UNION ALL
    SELECT center_id, date(created_at), actor_id, 0, 1
    FROM pursuit_stage_changes WHERE actor_id IS NOT NULL
) AS work GROUP BY center_id, day, actor_id
"""
FILL_MARKINGS = """
INSERT INTO marked_sessions (center_id, day, actor_id, session_id)
SELECT DISTINCT audit_log.center_id, date(audit_log.created_at), audit_log.actor_id,
       attendance.session_id
FROM audit_log JOIN attendance ON attendance.id = audit_log.object_id
WHERE audit_log.action = 'attendance.mark' AND audit_log.actor_id IS NOT NULL
  AND audit_log.center_id IS NOT NULL
"""
FILL_TALLIES = """
UPDATE class_sessions SET
    attended_count = (SELECT count(*) FROM attendance WHERE attendance.session_id = class_sessions.id
                      AND attendance.status IN ('present', 'late')),
    counted_count = (SELECT count(*) FROM attendance WHERE attendance.session_id = class_sessions.id
                     AND attendance.status <> 'excused')
"""


def _person_day_table(name: str, *extra: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f(f"fk_{name}_actor_id_users")),
        sa.ForeignKeyConstraint(["center_id"], ["centers.id"],
                                name=op.f(f"fk_{name}_center_id_centers")),
    )


def upgrade():
    _person_day_table(
        "staff_work_days",
        sa.Column("progress_cells", sa.Integer(), server_default="0", nullable=False),
        sa.Column("stage_changes", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("center_id", "day", "actor_id", name=op.f("pk_staff_work_days")))
    _person_day_table(
        "marked_sessions",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["class_sessions.id"],
                                name=op.f("fk_marked_sessions_session_id_class_sessions")),
        sa.PrimaryKeyConstraint("center_id", "day", "actor_id", "session_id",
                                name=op.f("pk_marked_sessions")))
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attended_count", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("counted_count", sa.Integer(), server_default="0",
                                      nullable=False))
    op.execute(FILL_WORK)
    op.execute(FILL_MARKINGS)
    op.execute(FILL_TALLIES)
    op.drop_index(AUDIT_INDEX, table_name="audit_log")


def downgrade():
    op.create_index(AUDIT_INDEX, "audit_log",
                    ["action", "center_id", "created_at", "actor_id", "object_id"])
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ has it): a batch copy of class_sessions
    # would drop the table that attendance rows refer to, which SQLite's foreign keys refuse.
    for column in ("counted_count", "attended_count"):
        op.execute(f"ALTER TABLE class_sessions DROP COLUMN {column}")
    op.drop_table("marked_sessions")
    op.drop_table("staff_work_days")
