"""meetings with the coach; a coach's phone for the crisis route

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coaches") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=32), nullable=True))
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("created_by_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("place IN ('office', 'home', 'phone', 'video')",
                           name=op.f("ck_meetings_place_valid")),
        sa.CheckConstraint("status IN ('planned', 'cancelled', 'held', 'not_held')",
                           name=op.f("ck_meetings_status_valid")),
        sa.CheckConstraint("answer IS NULL OR answer IN ('coming', 'cannot')",
                           name=op.f("ck_meetings_answer_valid")),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_meetings_participant_id_participants")),
        sa.ForeignKeyConstraint(["coach_id"], ["coaches.id"],
                                name=op.f("fk_meetings_coach_id_coaches")),
        sa.ForeignKeyConstraint(["created_by_account_id"], ["accounts.id"],
                                name=op.f("fk_meetings_created_by_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index("ix_meetings_participant_starts", "meetings",
                    ["participant_id", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_meetings_participant_starts", table_name="meetings")
    op.drop_table("meetings")
    with op.batch_alter_table("coaches") as batch_op:
        batch_op.drop_column("phone")
