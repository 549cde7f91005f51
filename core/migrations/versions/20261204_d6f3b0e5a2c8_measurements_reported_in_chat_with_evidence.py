"""measurements reported in chat with evidence

Revision ID: d6f3b0e5a2c8
Revises: c5e2a9d4f1b7
Create Date: 2026-12-04 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6f3b0e5a2c8"
down_revision: str | None = "c5e2a9d4f1b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence_kinds", sa.JSON(), nullable=True))

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measurement_id", sa.Integer(), nullable=True))
        batch_op.alter_column("report_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_evidence_measurement_id"), ["measurement_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_measurement_id_measurement"),
            "measurement",
            ["measurement_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "one_subject", "(report_id IS NULL) <> (measurement_id IS NULL)"
        )

    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indicator_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("period", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("correction", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("pending_value", sa.Numeric(precision=18, scale=4), nullable=True)
        )
        batch_op.alter_column("task_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_report_draft_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_report_draft_indicator_id_indicator"),
            "indicator",
            ["indicator_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            "one_subject", "(task_id IS NULL) <> (indicator_id IS NULL)"
        )
        batch_op.create_check_constraint("period", "(indicator_id IS NULL) = (period IS NULL)")
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.alter_column("correction", server_default=None)


def downgrade() -> None:
    # What was written about indicators in chat has no place in the older tables.
    op.execute("DELETE FROM report_draft WHERE indicator_id IS NOT NULL")
    op.execute("DELETE FROM evidence WHERE measurement_id IS NOT NULL")
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_draft_period"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_report_draft_one_subject"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_report_draft_indicator_id_indicator"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_report_draft_indicator_id"))
        batch_op.alter_column("task_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("pending_value")
        batch_op.drop_column("correction")
        batch_op.drop_column("period")
        batch_op.drop_column("indicator_id")

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_evidence_one_subject"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_measurement_id_measurement"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_evidence_measurement_id"))
        batch_op.alter_column("report_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("measurement_id")

    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("evidence_kinds")
