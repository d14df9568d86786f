"""API token scopes (read-only or read-write) and a per-user reset-link counter (issue 18).

Every token that exists before this revision becomes read-write: it could write before, and
taking that away silently would break the programs using it. New tokens get the scope chosen on
the tokens page. `users.reset_version` is bumped each time a reset link is sent; a link carries
the value it was made with, so only the newest one works.

Revision ID: a7d3e91c4b58
Revises: 9d8387dc574a
Create Date: 2026-12-06 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3e91c4b58'
down_revision = '9d8387dc574a'
branch_labels = None
depends_on = None

SCOPE = sa.Enum("read", "read_write", name="token_scope", native_enum=False,
                create_constraint=True, length=10)


def upgrade():
    # The server default fills the existing rows: read-write, as they could write before. On
    # PostgreSQL it then goes (a new token always names its scope) and the CHECK is added with
    # the column; SQLite cannot alter a column or add a constraint in place, so its default
    # stays (the app always sets the scope) and the column has no CHECK there.
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("access_tokens", sa.Column("scope", sa.String(10) if sqlite else SCOPE,
                                             nullable=False, server_default="read_write"))
    if not sqlite:
        op.alter_column("access_tokens", "scope", server_default=None)
    op.add_column("users", sa.Column("reset_version", sa.Integer(), nullable=False,
                                     server_default="0"))


def downgrade():
    op.drop_column("users", "reset_version")
    op.drop_column("access_tokens", "scope")  # its CHECK goes with it
