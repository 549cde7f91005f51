"""Good practices (buenas prácticas) a secretariat documents and shares with the others, the
indicators and public evidence that back them, and their adoptions by other secretariats.

A practice names the role to contact, never a person. ``search_text`` holds its words as the
search reads them (accents stripped, Spanish stems), kept with every change; SQLite indexes it
in the FTS5 table ``practice_fts`` (kept by triggers), PostgreSQL in a GIN index of its
``spanish`` text search vector.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Connection,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import (
    Base,
    CreatedAt,
    OwnedBySecretariat,
    UTCDateTime,
    Versioned,
    cascading_key,
    enum_column,
)


class PracticeState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class PracticeTheme(enum.StrEnum):
    PROCUREMENT = "procurement"
    CITIZEN_PARTICIPATION = "citizen_participation"
    TRANSPARENCY = "transparency"
    INTERNAL_CONTROL = "internal_control"
    PUBLIC_SERVICE = "public_service"
    OPEN_DATA = "open_data"
    REPORTING = "reporting"
    OTHER = "other"


# SQLite's FTS5 table ``practice_fts`` indexes ``practice.search_text``; triggers keep it.
SQLITE_SEARCH_DDL = (
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
POSTGRESQL_SEARCH_DDL = (
    "CREATE INDEX ix_practice_search ON practice USING gin (to_tsvector('spanish', search_text))",
)
# The search's own tables and index (FTS5 names its tables after the virtual one).
SEARCH_PREFIXES = ("practice_fts", "ix_practice_search")
SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS practice_fts_update",
    "DROP TRIGGER IF EXISTS practice_fts_delete",
    "DROP TRIGGER IF EXISTS practice_fts_insert",
    "DROP TABLE IF EXISTS practice_fts",
)


class Practice(Versioned, CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "practice"
    __table_args__ = (
        CheckConstraint("pna_priority IS NULL OR pna_priority BETWEEN 1 AND 40", name="pna"),
        Index("ix_practice_state_published", "state", "published_at"),
    )

    state: Mapped[PracticeState] = mapped_column(
        enum_column(PracticeState), default=PracticeState.DRAFT
    )
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str | None] = mapped_column(Text, doc="The problem the practice addresses.")
    # The national policy's priority it serves (1-40), and the secretariat's own PEA priority
    # by its code, where it names one.
    pna_priority: Mapped[int | None]
    pea_priority: Mapped[str | None] = mapped_column(String(100))
    actions: Mapped[str | None] = mapped_column(Text, doc="What was done.")
    results: Mapped[str | None] = mapped_column(Text)
    contact_role: Mapped[str | None] = mapped_column(
        String(200), doc="A role to contact (Coordinación de la SESEA), never a person."
    )
    theme: Mapped[PracticeTheme | None] = mapped_column(enum_column(PracticeTheme))
    search_text: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _run(statements: dict[str, tuple[str, ...]]) -> Callable[..., None]:
    """A listener running the statements of the connection's dialect."""

    def listener(target: Table, connection: Connection, **kw: Any) -> None:
        for statement in statements.get(connection.dialect.name, ()):
            connection.exec_driver_sql(statement)

    return listener


event.listen(
    Practice.__table__,
    "after_create",
    _run({"sqlite": SQLITE_SEARCH_DDL, "postgresql": POSTGRESQL_SEARCH_DDL}),
)
event.listen(Practice.__table__, "before_drop", _run({"sqlite": SQLITE_SEARCH_DROP}))


def outside_the_models(name: str | None, kind: str) -> bool:
    """Whether a table or index of the database is the search's own, made by the statements
    above rather than declared in a model (the comparison of schema and models skips it)."""
    return kind in {"table", "index"} and name is not None and name.startswith(SEARCH_PREFIXES)


class PracticeIndicator(Base):
    """An indicator of one of the secretariat's plans that shows a practice's results."""

    __tablename__ = "practice_indicator"

    practice_id: Mapped[int] = cascading_key("practice")
    indicator_id: Mapped[int] = cascading_key("indicator", index=True)


class PracticeEvidence(Base):
    """Evidence of the secretariat, marked public, that backs a practice."""

    __tablename__ = "practice_evidence"

    practice_id: Mapped[int] = cascading_key("practice")
    evidence_id: Mapped[int] = cascading_key("evidence", index=True)


class PracticeAdoption(CreatedAt, Base):
    """A secretariat took a practice into one of its plans, as the line of action (or the
    activity under one) it created."""

    __tablename__ = "practice_adoption"
    __table_args__ = (UniqueConstraint("practice_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), index=True
    )
    secretariat_id: Mapped[int] = mapped_column(
        ForeignKey("secretariat.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
