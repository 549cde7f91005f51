"""Campaigns: a conversation definition made pending for an audience of a secretariat.

The audience is kept as a rule (roles, sectors, chosen people), so people who join later and
match it find the definition pending too. A participant row records that someone was invited
and when they completed it, without linking what they answered (anonymous surveys stay so).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, UTCDateTime


class Campaign(CreatedAt, Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    secretariat_id: Mapped[int] = mapped_column(
        ForeignKey("secretariat.id", ondelete="CASCADE"), index=True
    )
    definition_id: Mapped[str] = mapped_column(String(64))
    definition_owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("secretariat.id"), doc="Who uploaded the definition; empty for a built-in one."
    )
    audience: Mapped[dict[str, Any]] = mapped_column(
        JSON, doc="{'roles': [...], 'sectors': [...], 'person_ids': [...]}; empty means everyone."
    )
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CampaignParticipant(Base):
    __tablename__ = "campaign_participant"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When the invitation message was sent; empty while it waits."
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
