"""Single-use, expiring invitations; only the SHA-256 of the code is stored. An invitation may
be bound to a person who already exists (named in a plan before they open the bot)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, OwnedBySecretariat, UTCDateTime, enum_column
from core.people.roles import Role, Sector


class Invitation(CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "invitation"

    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector))
    note: Mapped[str | None] = mapped_column(String(200), doc="Who it is meant for, for staff.")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Deleting the person deletes the invitation: unbound, it would let anyone join with the
    # person's role.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"),
        doc="The existing person whoever joins through it becomes.",
    )
