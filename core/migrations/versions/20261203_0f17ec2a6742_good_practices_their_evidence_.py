"""good practices, their evidence, indicators and adoptions

A practice's words as the search reads them (``search_text``) are indexed by an FTS5 table kept
by triggers on SQLite, and by a GIN index of their Spanish text search vector on PostgreSQL.

Revision ID: 0f17ec2a6742
Revises: ca63b7b9349d
Create Date: 2026-12-03 22:26:09.767834
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0f17ec2a6742"
down_revision: str | None = "ca63b7b9349d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE practice_fts USING fts5(search_text, content='practice', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER practice_fts_insert AFTER INSERT ON practice BEGIN "
    "INSERT INTO practice_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER practice_fts_delete AFTER DELETE ON practice BEGIN "
    "INSERT INTO practice_fts(practice_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER practice_fts_update AFTER UPDATE OF search_text ON practice BEGIN "
    "INSERT INTO practice_fts(practice_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO practice_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS practice_fts_update",
    "DROP TRIGGER IF EXISTS practice_fts_delete",
    "DROP TRIGGER IF EXISTS practice_fts_insert",
    "DROP TABLE IF EXISTS practice_fts",
)


def upgrade() -> None:
    op.create_table(
        "practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secretariat_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "validated",
                "published",
                "withdrawn",
                name="practicestate",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("pna_priority", sa.Integer(), nullable=True),
        sa.Column("pea_priority", sa.String(length=100), nullable=True),
        sa.Column("actions", sa.Text(), nullable=True),
        sa.Column("results", sa.Text(), nullable=True),
        sa.Column("contact_role", sa.String(length=200), nullable=True),
        sa.Column(
            "theme",
            sa.Enum(
                "procurement",
                "citizen_participation",
                "transparency",
                "internal_control",
                "public_service",
                "open_data",
                "reporting",
                "other",
                name="practicetheme",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("submitted_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("validated_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "pna_priority IS NULL OR pna_priority BETWEEN 1 AND 40", name=op.f("ck_practice_pna")
        ),
        sa.ForeignKeyConstraint(
            ["secretariat_id"],
            ["secretariat.id"],
            name=op.f("fk_practice_secretariat_id_secretariat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice")),
    )
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_secretariat_id"), ["secretariat_id"], unique=False
        )
        batch_op.create_index(
            "ix_practice_state_published", ["state", "published_at"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    else:
        op.create_index(
            "ix_practice_search",
            "practice",
            [sa.text("to_tsvector('spanish', search_text)")],
            postgresql_using="gin",
        )

    op.create_table(
        "practice_adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("secretariat_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_practice_adoption_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_practice_adoption_objective_id_objective"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_practice_adoption_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_adoption_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["secretariat_id"],
            ["secretariat.id"],
            name=op.f("fk_practice_adoption_secretariat_id_secretariat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_adoption")),
        sa.UniqueConstraint(
            "practice_id", "plan_id", name=op.f("uq_practice_adoption_practice_id_plan_id")
        ),
    )
    with op.batch_alter_table("practice_adoption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_adoption_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_practice_adoption_practice_id"), ["practice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_adoption_secretariat_id"), ["secretariat_id"], unique=False
        )

    op.create_table(
        "practice_indicator",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_practice_indicator_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_indicator_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "indicator_id", name=op.f("pk_practice_indicator")),
    )
    with op.batch_alter_table("practice_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_indicator_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "practice_evidence",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_practice_evidence_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_evidence_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "evidence_id", name=op.f("pk_practice_evidence")),
    )
    with op.batch_alter_table("practice_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_evidence_evidence_id"), ["evidence_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_evidence_evidence_id"))

    op.drop_table("practice_evidence")
    with op.batch_alter_table("practice_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_indicator_indicator_id"))

    op.drop_table("practice_indicator")
    with op.batch_alter_table("practice_adoption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_adoption_secretariat_id"))
        batch_op.drop_index(batch_op.f("ix_practice_adoption_practice_id"))
        batch_op.drop_index(batch_op.f("ix_practice_adoption_plan_id"))

    op.drop_table("practice_adoption")
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DROP:
            op.execute(statement)
    else:
        op.drop_index("ix_practice_search", table_name="practice")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_state_published")
        batch_op.drop_index(batch_op.f("ix_practice_secretariat_id"))

    op.drop_table("practice")
