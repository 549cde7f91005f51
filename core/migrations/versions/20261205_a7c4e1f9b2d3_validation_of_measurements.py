"""validation of measurements

Revision ID: a7c4e1f9b2d3
Revises: d6f3b0e5a2c8
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c4e1f9b2d3"
down_revision: str | None = "d6f3b0e5a2c8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHICH = ("none", "all", "flagged")
ONE_OF_THREE = (
    "(CASE WHEN report_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN practice_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN measurement_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade() -> None:
    with op.batch_alter_table("validation_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measurement_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_validation_request_measurement_id"), ["measurement_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_validation_request_measurement_id_measurement"),
            "measurement",
            ["measurement_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.drop_constraint(batch_op.f("ck_validation_request_one_subject"), type_="check")
        batch_op.create_check_constraint("one_subject", ONE_OF_THREE)
        batch_op.create_check_constraint(
            "measurement_plan", "measurement_id IS NULL OR plan_id IS NOT NULL"
        )

    with op.batch_alter_table("validation_policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "validate_measurements",
                sa.Enum(
                    *WHICH,
                    name="measurementvalidation",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="none",
            )
        )
    with op.batch_alter_table("validation_policy", schema=None) as batch_op:
        batch_op.alter_column("validate_measurements", server_default=None)

    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("validated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.alter_column("validated", server_default=None)


def downgrade() -> None:
    # A request about a measurement has no place in the older table; its steps stay in the
    # audit chain.
    for table in ("validation_vote", "validation_information", "validation_assignment"):
        op.execute(
            f"DELETE FROM {table} WHERE request_id IN "
            "(SELECT id FROM validation_request WHERE measurement_id IS NOT NULL)"
        )
    op.execute("DELETE FROM validation_request WHERE measurement_id IS NOT NULL")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("validated")

    with op.batch_alter_table("validation_policy", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_validation_policy_measurementvalidation"), type_="check"
        )
        batch_op.drop_column("validate_measurements")

    with op.batch_alter_table("validation_request", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_validation_request_measurement_plan"), type_="check"
        )
        batch_op.drop_constraint(batch_op.f("ck_validation_request_one_subject"), type_="check")
        batch_op.create_check_constraint(
            "one_subject", "(report_id IS NULL) <> (practice_id IS NULL)"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_validation_request_measurement_id_measurement"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_validation_request_measurement_id"))
        batch_op.drop_column("measurement_id")
