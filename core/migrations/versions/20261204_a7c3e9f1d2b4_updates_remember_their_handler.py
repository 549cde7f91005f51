"""updates remember their handler and whether it finished

Revision ID: a7c3e9f1d2b4
Revises: f969a3d86792
Create Date: 2026-12-04 06:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e9f1d2b4"
down_revision: str | None = "f969a3d86792"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Updates handled before this was recorded are all finished.
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handler", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("finished", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.drop_column("finished")
        batch_op.drop_column("handler")
