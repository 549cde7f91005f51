"""Requests to validate advances, sent from a secretariat's public page by someone who is not in
the product yet; a coordinator accepts one (an invitation is made for them) or declines it.

The name, organisation and contact are kept only while a coordinator needs them: declining
empties them, and accepting keeps them for the coordinator to send the invitation.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import (
    Base,
    CreatedAt,
    OwnedBySecretariat,
    UTCDateTime,
    Versioned,
    enum_column,
)
from core.people.roles import Sector


class JoinRequestState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class JoinRequest(Versioned, CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "join_request"
    __table_args__ = (Index("ix_join_request_sender", "sender_key", "created_at"),)

    state: Mapped[JoinRequestState] = mapped_column(
        enum_column(JoinRequestState), default=JoinRequestState.PENDING
    )
    name: Mapped[str | None] = mapped_column(String(100))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    organisation: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200), doc="E-mail or phone, as written.")
    # A keyed hash of the sender's network address: enough to slow down a flood, not to find
    # anyone by.
    sender_key: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100), doc="token:<id>.")
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL")
    )
