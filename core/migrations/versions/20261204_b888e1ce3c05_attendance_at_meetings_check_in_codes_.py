"""attendance at meetings: check-in codes, who was present, refused tries

Revision ID: b888e1ce3c05
Revises: 66e6efef44e3
Create Date: 2026-12-04 14:52:06.327757
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base


revision: str = "b888e1ce3c05"
down_revision: str | None = "66e6efef44e3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_in_try",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tried_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_check_in_try_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_try")),
    )
    with op.batch_alter_table("check_in_try", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_in_try_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("check_in_code_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_meeting_check_in_code_hash"), ["check_in_code_hash"], unique=False
        )

    with op.batch_alter_table("meeting_invitee", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attended_at", core.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "checked_in",
                sa.Enum(
                    "code",
                    "link",
                    "host",
                    name="checkin",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_invitee", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_meeting_invitee_checkin"), type_="check")
        batch_op.drop_column("checked_in")
        batch_op.drop_column("attended_at")

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_check_in_code_hash"))
        batch_op.drop_column("check_in_code_hash")

    with op.batch_alter_table("check_in_try", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_in_try_person_id"))

    op.drop_table("check_in_try")
