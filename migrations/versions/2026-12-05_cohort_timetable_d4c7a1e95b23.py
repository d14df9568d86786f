"""A cohort's timetable: weekly slots (weekday, start and end time, place) (issue 17).

`cohorts.schedule` stays as the cohort's schedule notes; nothing is parsed out of it.

Revision ID: d4c7a1e95b23
Revises: b6e1f4a2c9d7
Create Date: 2026-12-05 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4c7a1e95b23'
down_revision = 'b6e1f4a2c9d7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "timetable_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6",
                           name=op.f("ck_timetable_slots_weekday_range")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_timetable_slots_times_ordered")),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"],
                                name=op.f("fk_timetable_slots_cohort_id_cohorts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timetable_slots")),
    )
    op.create_index("ix_timetable_slots_cohort_weekday", "timetable_slots",
                    ["cohort_id", "weekday"], unique=False)


def downgrade():
    op.drop_index("ix_timetable_slots_cohort_weekday", table_name="timetable_slots")
    op.drop_table("timetable_slots")
