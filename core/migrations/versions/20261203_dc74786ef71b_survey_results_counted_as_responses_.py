"""survey results counted as responses complete

Responses completed before are not tallied (``tallied`` false): results count them from their
answers when they are read, so nothing needs counting here.

Revision ID: dc74786ef71b
Revises: 5b7e0c1d9a42
Create Date: 2026-12-03 21:41:26.828192
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "dc74786ef71b"
down_revision: str | None = "5b7e0c1d9a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "response_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("secretariat_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_response_tally_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["secretariat_id"],
            ["secretariat.id"],
            name=op.f("fk_response_tally_secretariat_id_secretariat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_tally")),
        sa.UniqueConstraint(
            "campaign_id",
            "definition_version",
            "secretariat_id",
            "sector",
            "roles",
            "question_id",
            "kind",
            "digest",
            name="uq_response_tally_key",
        ),
    )
    op.create_table(
        "response_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("secretariat_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_response_text_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response_session.id"],
            name=op.f("fk_response_text_response_id_response_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["secretariat_id"],
            ["secretariat.id"],
            name=op.f("fk_response_text_secretariat_id_secretariat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_text")),
    )
    with op.batch_alter_table("response_text", schema=None) as batch_op:
        batch_op.create_index(
            "ix_response_text_group",
            [
                "campaign_id",
                "definition_version",
                "secretariat_id",
                "sector",
                "roles",
                "question_id",
                "kind",
            ],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_response_text_response_id"), ["response_id"], unique=False
        )

    with op.batch_alter_table("response_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tallied", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            "ix_response_session_campaign_tallied", ["campaign_id", "tallied"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("response_session", schema=None) as batch_op:
        batch_op.drop_index("ix_response_session_campaign_tallied")
        batch_op.drop_column("tallied")

    with op.batch_alter_table("response_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_text_response_id"))
        batch_op.drop_index("ix_response_text_group")

    op.drop_table("response_text")
    op.drop_table("response_tally")
