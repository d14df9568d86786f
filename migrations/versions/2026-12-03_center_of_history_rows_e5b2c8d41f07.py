"""The center of each progress event and stage change, copied onto the row (issue 8).

A center's dashboard counts its progress events and stage changes of a period. Through joins
that meant hashing a whole table (EXPLAIN ANALYZE on the large data set: 245 ms for one
center's progress events, see benchmarks/output/indexes.md); with the center on the row it is one index
range. A cohort's and a pursuit's center never change, so the copy cannot go stale. The
stage-change index carries the columns the funnel and the staff counts read, and the audit log
gets one for a center's entries of one kind in a period (attendance sessions marked per mentor);
benchmarks/output/indexes.md has the plans with and without each.

Revision ID: e5b2c8d41f07
Revises: a7c3e91b5d20
Create Date: 2026-12-03 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5b2c8d41f07'
down_revision = 'a7c3e91b5d20'
branch_labels = None
depends_on = None

CENTER_OF = {
    "progress_events": (
        "SELECT cohorts.center_id FROM lesson_progress "
        "JOIN enrollments ON enrollments.id = lesson_progress.enrollment_id "
        "JOIN cohorts ON cohorts.id = enrollments.cohort_id "
        "WHERE lesson_progress.id = progress_events.progress_id"),
    "pursuit_stage_changes": (
        "SELECT pursuits.center_id FROM pursuits "
        "WHERE pursuits.id = pursuit_stage_changes.pursuit_id"),
}
INDEXES = {
    "progress_events": ("ix_progress_events_center_created", ["center_id", "created_at", "actor_id"]),
    "pursuit_stage_changes": ("ix_pursuit_stage_changes_center_created",
                              ["center_id", "created_at", "to_stage", "pursuit_id", "actor_id"]),
}
# Sessions marked per mentor: a center's attendance entries of a period, read from the index.
AUDIT_INDEX = ("ix_audit_log_action_center_created",
               ["action", "center_id", "created_at", "actor_id", "object_id"])


def upgrade():
    for table, center_of in CENTER_OF.items():
        op.add_column(table, sa.Column("center_id", sa.Integer(), nullable=True))
        # One set-based UPDATE per table (a correlated subquery runs on both databases).
        op.execute(f"UPDATE {table} SET center_id = ({center_of})")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("center_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(op.f(f"fk_{table}_center_id_centers"), "centers",
                                        ["center_id"], ["id"])
            name, columns = INDEXES[table]
            batch_op.create_index(name, columns, unique=False)
    op.create_index(AUDIT_INDEX[0], "audit_log", AUDIT_INDEX[1], unique=False)


def downgrade():
    op.drop_index(AUDIT_INDEX[0], table_name="audit_log")
    for table in reversed(CENTER_OF):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(INDEXES[table][0])
            batch_op.drop_constraint(op.f(f"fk_{table}_center_id_centers"), type_="foreignkey")
            batch_op.drop_column("center_id")
