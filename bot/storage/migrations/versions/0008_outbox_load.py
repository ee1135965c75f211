"""outbox under load: partial indexes matching the claim queries, one shared send pace

Revision ID: 0008
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")
CLAIMED = sa.text("status = 'claimed'")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_status_due")
    op.create_index("ix_outbox_pending_due", "outbox", ["due_at", "id"],
                    postgresql_where=PENDING, sqlite_where=PENDING)
    op.create_index("ix_outbox_claimed_at", "outbox", ["claimed_at"],
                    postgresql_where=CLAIMED, sqlite_where=CLAIMED)
    op.create_table(
        "send_pace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("next_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_pace")),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
    op.drop_index("ix_outbox_claimed_at", table_name="outbox")
    op.drop_index("ix_outbox_pending_due", table_name="outbox")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.create_index("ix_outbox_status_due", ["status", "due_at"], unique=False)
