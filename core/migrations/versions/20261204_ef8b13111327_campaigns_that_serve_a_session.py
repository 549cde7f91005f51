"""campaigns that serve a session

Revision ID: ef8b13111327
Revises: b888e1ce3c05
Create Date: 2026-12-04 16:30:55.727690
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ef8b13111327"
down_revision: str | None = "b888e1ce3c05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_campaign_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_campaign_meeting_id_meeting"),
            "meeting",
            ["meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_campaign_meeting_id_meeting"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_campaign_meeting_id"))
        batch_op.drop_column("meeting_id")
