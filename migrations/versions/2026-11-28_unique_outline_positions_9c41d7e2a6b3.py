"""Unique positions in a course outline: one module per position in a course, one lesson per
position in a module (the admin catalog reorders them; the indexes they replace were plain).

Revision ID: 9c41d7e2a6b3
Revises: 9278a5d6cf9b
Create Date: 2026-11-28 03:10:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '9c41d7e2a6b3'
down_revision = "9278a5d6cf9b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.drop_index('ix_course_modules_course_position')
        batch_op.create_unique_constraint(
            op.f('uq_course_modules_course_id_position'), ['course_id', 'position'])
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_index('ix_lessons_module_position')
        batch_op.create_unique_constraint(
            op.f('uq_lessons_module_id_position'), ['module_id', 'position'])


def downgrade():
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_lessons_module_id_position'), type_='unique')
        batch_op.create_index('ix_lessons_module_position', ['module_id', 'position'], unique=False)
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_course_modules_course_id_position'), type_='unique')
        batch_op.create_index('ix_course_modules_course_position', ['course_id', 'position'],
                              unique=False)
