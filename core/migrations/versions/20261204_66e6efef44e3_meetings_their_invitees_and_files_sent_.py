"""meetings, their invitees, and files sent with notifications

Revision ID: 66e6efef44e3
Revises: a7c4e1f9b2d3
Create Date: 2026-12-04 14:10:27.572458
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "66e6efef44e3"
down_revision: str | None = "a7c4e1f9b2d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secretariat_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "workshop",
                "working_session",
                "presentation",
                "interview",
                name="meetingkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=True),
        sa.Column("starts_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=500), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name=op.f("ck_meeting_capacity")),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_meeting_lasts")),
        sa.CheckConstraint(
            "place IS NOT NULL OR video_url IS NOT NULL", name=op.f("ck_meeting_somewhere")
        ),
        sa.ForeignKeyConstraint(
            ["secretariat_id"],
            ["secretariat.id"],
            name=op.f("fk_meeting_secretariat_id_secretariat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_secretariat_id"), ["secretariat_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "meeting_invitee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "answer",
            sa.Enum(
                "yes",
                "no",
                "maybe",
                name="rsvp",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("answered_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_invitee_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_meeting_invitee_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_invitee")),
        sa.UniqueConstraint(
            "meeting_id", "person_id", name=op.f("uq_meeting_invitee_meeting_id_person_id")
        ),
    )
    with op.batch_alter_table("meeting_invitee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_invitee_person_id"), ["person_id"], unique=False
        )

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("attachment")

    with op.batch_alter_table("meeting_invitee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_invitee_person_id"))

    op.drop_table("meeting_invitee")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_secretariat_id"))

    op.drop_table("meeting")
