"""API tokens of the admin backend: a random secret shown once, stored only as its SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, UTCDateTime, enum_column
from core.people.roles import TokenRole


class ApiToken(CreatedAt, Base):
    __tablename__ = "api_token"
    __table_args__ = (
        # The national admin spans every secretariat; every other role belongs to exactly one.
        CheckConstraint(
            "(role = 'national_admin') = (secretariat_id IS NULL)", name="secretariat_by_role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200), doc="Who or what holds it.")
    role: Mapped[TokenRole] = mapped_column(enum_column(TokenRole))
    secretariat_id: Mapped[int | None] = mapped_column(
        ForeignKey("secretariat.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(100))
    # The token that issued this one through the API: this one never outlives it, and is
    # revoked with it.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
