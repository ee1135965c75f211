"""coach digest settings: digest day/time/on-off and working hours on the coach

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN with a plain constant default works on SQLite without rebuilding the table
    # (sa.true() made Alembic rebuild it, and dropping `coaches` fails on the participants'
    # foreign key once a database holds participants); '1' reads as true on PostgreSQL too.
    with op.batch_alter_table("coaches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_enabled", sa.Boolean(), nullable=False,
                                      server_default="1"))
        batch_op.add_column(sa.Column("digest_weekday", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("digest_time", sa.Time(), nullable=False,
                                      server_default="08:30:00"))
        batch_op.add_column(sa.Column("work_days", sa.String(length=7), nullable=False,
                                      server_default="01234"))
        batch_op.add_column(sa.Column("work_start", sa.Time(), nullable=False,
                                      server_default="08:00:00"))
        batch_op.add_column(sa.Column("work_end", sa.Time(), nullable=False,
                                      server_default="18:00:00"))


def downgrade() -> None:
    with op.batch_alter_table("coaches", schema=None) as batch_op:
        for name in ("work_end", "work_start", "work_days", "digest_time", "digest_weekday",
                     "digest_enabled"):
            batch_op.drop_column(name)
