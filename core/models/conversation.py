"""Response sessions: one person's run through one conversation definition.

The engine's state is kept as JSON and rewritten after every accepted input, so a restart
resumes at the same question. ``step`` counts those changes: buttons carry it, and a button
from an earlier step is recognised as stale.

Before someone has joined there is no person yet: the joining conversation is owned by the
Telegram account (``telegram_id``) and the invitation it started from. Answers to anonymous
definitions are unlinked from the person when they are completed.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, OwnedBySecretariat, UTCDateTime, enum_column, utcnow


class ResponseStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DECLINED = "declined"


class ResponseSession(CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "response_session"
    __table_args__ = (
        Index("ix_response_session_person_status", "person_id", "status"),
        Index("ix_response_session_telegram_status", "telegram_id", "status"),
        Index("ix_response_session_campaign_tallied", "campaign_id", "tallied"),
    )

    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    telegram_id: Mapped[int | None] = mapped_column(
        BigInteger, doc="Owner while joining, before there is a person."
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL")
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    definition_id: Mapped[str] = mapped_column(String(64), index=True)
    definition_version: Mapped[int]
    definition_owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("secretariat.id"), doc="Who uploaded the definition; empty for a built-in one."
    )
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus), default=ResponseStatus.ACTIVE
    )
    step: Mapped[int] = mapped_column(default=0)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    respondent: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tallied: Mapped[bool] = mapped_column(
        default=False, doc="Its answers were added to its campaign's tallies when it completed."
    )
