"""evidence a coordinator marks public, comments a validator lets publish

Revision ID: 5b7e0c1d9a42
Revises: 7d3b9c1e5a20
Create Date: 2026-12-03 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5b7e0c1d9a42'
down_revision: str | None = '7d3b9c1e5a20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('public_name', sa.String(length=100), nullable=True))
    with op.batch_alter_table('validation_vote', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('public_comment', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('validation_vote', schema=None) as batch_op:
        batch_op.drop_column('public_comment')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('public_name')
        batch_op.drop_column('public')
