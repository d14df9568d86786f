"""Indexes for the large data set (issue 8), each justified by EXPLAIN ANALYZE on it:
an enrollment's latest progress change (students at risk), a center's pursuits newest first
(certification board, pursuits API), the failed attempts in the stage history (exam results of
a period).

Revision ID: a7c3e91b5d20
Revises: 9c41d7e2a6b3
Create Date: 2026-11-28 04:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e91b5d20'
down_revision = "9c41d7e2a6b3"
branch_labels = None
depends_on = None

INDEXES = (
    ("lesson_progress", "ix_lesson_progress_enrollment_updated", ["enrollment_id", "updated_at"]),
    ("pursuits", "ix_pursuits_center_updated", ["center_id", "updated_at", "id"]),
    ("pursuit_stage_changes", "ix_pursuit_stage_changes_to_stage", ["to_stage", "pursuit_id"]),
)


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
