"""Interviews, the solutions they back and the interviewer's notes

Revision ID: 8ab1473d7d61
Revises: ef8b13111327
Create Date: 2026-12-04 16:34:23.430611
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "8ab1473d7d61"
down_revision: str | None = "ef8b13111327"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A draft is about exactly one of a task, an indicator's period and an interview.
ONE_OF_THREE = (
    "(CASE WHEN task_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN indicator_id IS NULL "
    "THEN 0 ELSE 1 END) + (CASE WHEN interview_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade() -> None:
    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secretariat_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("interviewee_id", sa.Integer(), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_interview_campaign_id_campaign"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interviewee_id"],
            ["person.id"],
            name=op.f("fk_interview_interviewee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"],
            ["person.id"],
            name=op.f("fk_interview_interviewer_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_interview_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["secretariat_id"],
            ["secretariat.id"],
            name=op.f("fk_interview_secretariat_id_secretariat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_interview_meeting_id")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_interview_interviewee_id"), ["interviewee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_interviewer_id"), ["interviewer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_secretariat_id"), ["secretariat_id"], unique=False
        )

    op.create_table(
        "interview_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "photo",
                "document",
                "voice",
                "video",
                "link",
                "text",
                name="evidencekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("telegram_file_id", sa.String(length=200), nullable=True),
        sa.Column("stored_name", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("mime_type", sa.String(length=100), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_interview_note_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_interview_note_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_note")),
    )
    with op.batch_alter_table("interview_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_note_interview_id"), ["interview_id"], unique=False
        )

    op.create_table(
        "interview_solution",
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("choice_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_interview_solution_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_interview_solution_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interview_id", "campaign_id", "choice_id", name=op.f("pk_interview_solution")
        ),
    )
    with op.batch_alter_table("interview_solution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_solution_campaign_id"), ["campaign_id"], unique=False
        )

    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interview_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_report_draft_interview_id"), ["interview_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_report_draft_interview_id_interview"),
            "interview",
            ["interview_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint(batch_op.f("ck_report_draft_one_subject"), type_="check")
        batch_op.create_check_constraint("one_subject", ONE_OF_THREE)


def downgrade() -> None:
    # An interviewer's notes under way have no place in the older table.
    op.execute("DELETE FROM report_draft WHERE interview_id IS NOT NULL")
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_draft_one_subject"), type_="check")
        batch_op.create_check_constraint(
            "one_subject", "(task_id IS NULL) <> (indicator_id IS NULL)"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_report_draft_interview_id_interview"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_report_draft_interview_id"))
        batch_op.drop_column("interview_id")

    with op.batch_alter_table("interview_solution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_solution_campaign_id"))

    op.drop_table("interview_solution")
    with op.batch_alter_table("interview_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_note_interview_id"))

    op.drop_table("interview_note")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_secretariat_id"))
        batch_op.drop_index(batch_op.f("ix_interview_interviewer_id"))
        batch_op.drop_index(batch_op.f("ix_interview_interviewee_id"))
        batch_op.drop_index(batch_op.f("ix_interview_campaign_id"))

    op.drop_table("interview")
