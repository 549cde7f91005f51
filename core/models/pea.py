"""A secretariat's own state policy (PEA) priorities, each mapped to priorities of the national
policy (PNA) by their numbers."""

from __future__ import annotations

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, OwnedBySecretariat, Versioned


class PeaPriority(Versioned, OwnedBySecretariat, Base):
    __tablename__ = "pea_priority"
    __table_args__ = (UniqueConstraint("secretariat_id", "code"),)

    # What the lines of action cite in their ``pea_priority``.
    code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    pna_priorities: Mapped[list[int]] = mapped_column(JSON, default=list)
