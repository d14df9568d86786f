"""One open certification path per student and certification (a partial unique index;
passed and withdrawn paths are history and may repeat).

Revision ID: 5f918402766b
Revises: b3b12e07e335
Create Date: 2026-11-28 00:47:27.662841

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5f918402766b'
down_revision = 'b3b12e07e335'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pursuits', schema=None) as batch_op:
        batch_op.create_index('uq_pursuits_open_path', ['student_id', 'certification_id'], unique=True, sqlite_where=sa.text("stage NOT IN ('passed', 'withdrawn')"), postgresql_where=sa.text("stage NOT IN ('passed', 'withdrawn')"))



def downgrade():
    with op.batch_alter_table('pursuits', schema=None) as batch_op:
        batch_op.drop_index('uq_pursuits_open_path', sqlite_where=sa.text("stage NOT IN ('passed', 'withdrawn')"), postgresql_where=sa.text("stage NOT IN ('passed', 'withdrawn')"))

