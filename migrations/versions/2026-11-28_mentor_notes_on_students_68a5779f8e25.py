"""Mentor notes on students: dated, authored, shown on the student page timeline.

Revision ID: 68a5779f8e25
Revises: 5f918402766b
Create Date: 2026-11-28 01:05:07.815879

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '68a5779f8e25'
down_revision = '5f918402766b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('student_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_student_notes_author_id_users')),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_student_notes_student_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_notes'))
    )
    with op.batch_alter_table('student_notes', schema=None) as batch_op:
        batch_op.create_index('ix_student_notes_student_created', ['student_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('student_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_student_notes_student_created')

    op.drop_table('student_notes')
