"""PEA priorities mapped to the national policy; lines of action cite its priorities

Revision ID: 7d3b9c1e5a20
Revises: 770982b69eeb
Create Date: 2026-12-03 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '7d3b9c1e5a20'
down_revision: str | None = '770982b69eeb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'pea_priority',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('secretariat_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=100), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('pna_priorities', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['secretariat_id'],
            ['secretariat.id'],
            name=op.f('fk_pea_priority_secretariat_id_secretariat'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pea_priority')),
        sa.UniqueConstraint(
            'secretariat_id', 'code', name=op.f('uq_pea_priority_secretariat_id_code')
        ),
    )
    with op.batch_alter_table('pea_priority', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_pea_priority_secretariat_id'), ['secretariat_id'], unique=False
        )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pna_priorities', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_column('pna_priorities')
    with op.batch_alter_table('pea_priority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pea_priority_secretariat_id'))
    op.drop_table('pea_priority')
