"""sessions name their feedback survey, and the one they sent

Revision ID: 374abb1f031b
Revises: bfe3fb957dd6
Create Date: 2026-12-04 16:34:43.696738
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base


revision: str = "374abb1f031b"
down_revision: str | None = "bfe3fb957dd6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_feedback",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("launched_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_meeting_feedback_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_feedback_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_feedback")),
        sa.UniqueConstraint("campaign_id", name=op.f("uq_meeting_feedback_campaign_id")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("feedback_definition_id", sa.String(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("feedback_definition_id")

    op.drop_table("meeting_feedback")
