"""validation requests of good practices

Revision ID: f969a3d86792
Revises: 0f17ec2a6742
Create Date: 2026-12-04 00:28:44.352722
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f969a3d86792"
down_revision: str | None = "0f17ec2a6742"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("validation_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practice_id", sa.Integer(), nullable=True))
        batch_op.alter_column("plan_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("report_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_validation_request_practice_id"), ["practice_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_validation_request_practice_id_practice"),
            "practice",
            ["practice_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "one_subject", "(report_id IS NULL) <> (practice_id IS NULL)"
        )
        batch_op.create_check_constraint("report_plan", "report_id IS NULL OR plan_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("validation_request", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_validation_request_report_plan"), type_="check")
        batch_op.drop_constraint(op.f("ck_validation_request_one_subject"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_validation_request_practice_id_practice"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_validation_request_practice_id"))
        batch_op.alter_column("report_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column("plan_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("practice_id")
