"""CSV import batches: an uploaded students or vouchers file, parsed and kept for its preview
and commit (any app server can serve either step).

Revision ID: 9278a5d6cf9b
Revises: c41d7e9a2b60
Create Date: 2026-11-28 03:00:21.306109

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9278a5d6cf9b'
down_revision = "c41d7e9a2b60"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('students', 'vouchers', name='import_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('committed_at', sa.DateTime(), nullable=True),
    sa.Column('committed_by_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.CheckConstraint('row_count >= 0', name=op.f('ck_import_batches_row_count_non_negative')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_import_batches_center_id_centers')),
    sa.ForeignKeyConstraint(['committed_by_id'], ['users.id'], name=op.f('fk_import_batches_committed_by_id_users')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_import_batches_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index('ix_import_batches_center_created', ['center_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index('ix_import_batches_center_created')

    op.drop_table('import_batches')
