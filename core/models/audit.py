"""The append-only audit log: each event holds the SHA-256 of the one before it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        CheckConstraint("seq >= 1", name="seq_positive"),
        # A plan's events newest first: what its latest change was, in one index probe.
        Index("ix_audit_event_plan_seq", "plan_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # seq counts events without gaps (database ids may skip); unique, so two writers that
    # read the same head cannot both append after it.
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    secretariat_id: Mapped[int | None] = mapped_column(
        ForeignKey("secretariat.id", ondelete="RESTRICT"), index=True
    )
    plan_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(100), doc="person:<id>, token:<id> or system.")
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
