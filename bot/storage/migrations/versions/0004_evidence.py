"""evidence for evaluators: ended trajectories, paper measurements, pseudonym secrets

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("pseudonym_secret", sa.String(length=64), nullable=True))
    with op.batch_alter_table("participants") as batch_op:
        batch_op.add_column(sa.Column("external_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("ended_at", UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(
            op.f("uq_participants_organisation_id"), ["organisation_id", "external_ref"]
        )
    with op.batch_alter_table("brug_measurements") as batch_op:
        batch_op.add_column(sa.Column("import_key", sa.String(length=160), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_brug_measurements_import_key"), ["import_key"])


def downgrade() -> None:
    with op.batch_alter_table("brug_measurements") as batch_op:
        batch_op.drop_constraint(op.f("uq_brug_measurements_import_key"), type_="unique")
        batch_op.drop_column("import_key")
    with op.batch_alter_table("participants") as batch_op:
        batch_op.drop_constraint(op.f("uq_participants_organisation_id"), type_="unique")
        batch_op.drop_column("ended_at")
        batch_op.drop_column("external_ref")
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_column("pseudonym_secret")
