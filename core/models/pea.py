"""A secretariat's own state policy (PEA) priorities, each mapped to priorities of the national
policy (PNA) by their numbers."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Versioned


class PeaPriority(Versioned, Base):
    __tablename__ = "pea_priority"
    __table_args__ = (UniqueConstraint("secretariat_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    secretariat_id: Mapped[int] = mapped_column(
        ForeignKey("secretariat.id", ondelete="CASCADE"), index=True
    )
    # What the lines of action cite in their ``pea_priority``.
    code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    pna_priorities: Mapped[list[int]] = mapped_column(JSON, default=list)
