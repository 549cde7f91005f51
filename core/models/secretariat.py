"""The tenant: the Executive Secretariat of a state anticorruption system (or the national one)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt


class Secretariat(CreatedAt, Base):
    __tablename__ = "secretariat"
    __table_args__ = (CheckConstraint("length(slug) >= 2", name="slug_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(100), doc="Mexican state, or 'Nacional'.")
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
