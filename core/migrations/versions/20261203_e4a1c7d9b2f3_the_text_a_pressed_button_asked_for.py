"""the text a pressed button asked for

Revision ID: e4a1c7d9b2f3
Revises: d2e97541d587
Create Date: 2026-12-03 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base


revision: str = 'e4a1c7d9b2f3'
down_revision: str | None = 'd2e97541d587'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expected_text', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('expected_until', core.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('expected_until')
        batch_op.drop_column('expected_text')
