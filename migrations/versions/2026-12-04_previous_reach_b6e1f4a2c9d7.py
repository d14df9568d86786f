"""Each stage change's link to the same pursuit's previous reach of the same stage (issue 8).

The funnel counts the pursuits that reached each stage in a period: a DISTINCT over the
period's history (a hash of 28 000 changes for one center's year of the large data set, of
280 000 for the cluster). With `previous_reach_at` on the row, a change is its pursuit's first
reach of the stage in the period when that is NULL or before the period, so the funnel is a
plain count over the center's index range. The index serving that range carries the new
column instead of actor_id (the staff counts now read lms/worklog's summaries).

Revision ID: b6e1f4a2c9d7
Revises: f3a9d6c1b8e2
Create Date: 2026-12-04 02:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b6e1f4a2c9d7'
down_revision = 'f3a9d6c1b8e2'
branch_labels = None
depends_on = None

INDEX = "ix_pursuit_stage_changes_center_created"
LINK = """
UPDATE pursuit_stage_changes SET previous_reach_at = (
    SELECT max(earlier.created_at) FROM pursuit_stage_changes AS earlier
    WHERE earlier.pursuit_id = pursuit_stage_changes.pursuit_id
      AND earlier.to_stage = pursuit_stage_changes.to_stage
      AND (earlier.created_at < pursuit_stage_changes.created_at
           OR (earlier.created_at = pursuit_stage_changes.created_at
               AND earlier.id < pursuit_stage_changes.id)))
"""


def upgrade():
    op.add_column("pursuit_stage_changes", sa.Column("previous_reach_at", sa.DateTime(),
                                                     nullable=True))
    op.execute(LINK)
    op.drop_index(INDEX, table_name="pursuit_stage_changes")
    op.create_index(INDEX, "pursuit_stage_changes",
                    ["center_id", "created_at", "to_stage", "pursuit_id", "previous_reach_at"])


def downgrade():
    op.drop_index(INDEX, table_name="pursuit_stage_changes")
    op.create_index(INDEX, "pursuit_stage_changes",
                    ["center_id", "created_at", "to_stage", "pursuit_id", "actor_id"])
    op.execute("ALTER TABLE pursuit_stage_changes DROP COLUMN previous_reach_at")
