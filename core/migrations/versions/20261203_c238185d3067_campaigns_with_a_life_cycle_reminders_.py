"""campaigns with a life cycle, reminders and coarse participation

Revision ID: c238185d3067
Revises: 5566374cf4a5
Create Date: 2026-12-03 08:30:06.155906
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base


revision: str = 'c238185d3067'
down_revision: str | None = '5566374cf4a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    state = sa.Enum('invited', 'started', 'finished', 'declined', name='participantstate', native_enum=False, create_constraint=True, length=32)
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('definition_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('title', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('invitation_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('opens_at', core.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('launched_at', core.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_at', core.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('remind_every_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('remind_at_most', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('share_results', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('results_shared_at', core.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_check_constraint('closes_after_opening', 'closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at')
    # Campaigns before this one were launched when they were created.
    op.execute("UPDATE campaign SET launched_at = created_at")
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        for column in ('definition_version', 'title', 'remind_at_most', 'share_results', 'version'):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table('campaign_participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', state, nullable=False, server_default='invited'))
        batch_op.add_column(sa.Column('finished_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reminders_sent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_reminded_at', core.models.base.UTCDateTime(timezone=True), nullable=True))
    # Only the day someone finished is kept: an exact time could be matched with an answer.
    day = "date(completed_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(completed_at AS DATE)"
    op.execute(
        f"UPDATE campaign_participant SET state = 'finished', finished_on = {day} "
        "WHERE completed_at IS NOT NULL"
    )
    with op.batch_alter_table('campaign_participant', schema=None) as batch_op:
        batch_op.drop_column('completed_at')
        batch_op.alter_column('state', server_default=None)
        batch_op.alter_column('reminders_sent', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('campaign_participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_at', core.models.base.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE campaign_participant SET completed_at = finished_on WHERE state = 'finished'")
    with op.batch_alter_table('campaign_participant', schema=None) as batch_op:
        batch_op.drop_column('last_reminded_at')
        batch_op.drop_column('reminders_sent')
        batch_op.drop_column('finished_on')
        batch_op.drop_constraint(batch_op.f('ck_campaign_participant_participantstate'), type_='check')
        batch_op.drop_column('state')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_campaign_closes_after_opening'), type_='check')
        batch_op.drop_column('version')
        batch_op.drop_column('results_shared_at')
        batch_op.drop_column('share_results')
        batch_op.drop_column('remind_at_most')
        batch_op.drop_column('remind_every_days')
        batch_op.drop_column('paused_at')
        batch_op.drop_column('launched_at')
        batch_op.drop_column('opens_at')
        batch_op.drop_column('invitation_text')
        batch_op.drop_column('title')
        batch_op.drop_column('definition_version')
