"""campaign results published on the public pages

Revision ID: ca63b7b9349d
Revises: dc74786ef71b
Create Date: 2026-12-03 22:27:09.538402
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "ca63b7b9349d"
down_revision: str | None = "dc74786ef71b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "results_published_at", core.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("results_published_at")
