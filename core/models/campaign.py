"""Campaigns: a conversation definition made pending for an audience.

A campaign belongs to the secretariat that runs it. Its audience is kept as a rule (roles,
sectors, chosen people and, for the national team, other secretariats), so people who join
later and match it are invited too while it is open. A participant row records that someone
was invited, how far they got and how often they were reminded; for anonymous definitions it
never holds anything that ties it to the answers (only the day they finished).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import (
    Base,
    CreatedAt,
    OwnedBySecretariat,
    UTCDateTime,
    Versioned,
    cascading_key,
    enum_column,
    utcnow,
)
from i18n import Language


class CampaignState(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # launched, opening later
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Campaign(Versioned, CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name="closes_after_opening",
        ),
    )

    definition_id: Mapped[str] = mapped_column(String(64))
    definition_owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("secretariat.id"), doc="Who uploaded the definition; empty for a built-in one."
    )
    definition_version: Mapped[int] = mapped_column(default=1)
    title: Mapped[dict[Language, str]] = mapped_column(
        JSON, default=dict, doc="The definition's title, by language, as launched."
    )
    audience: Mapped[dict[str, Any]] = mapped_column(
        JSON,
        doc="{'roles': [...], 'sectors': [...], 'person_ids': [...], 'secretariat_ids': [...]}; "
        "empty lists mean everyone (secretariats: the campaign's own, or 'all' nationally).",
    )
    invitation_text: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="Empty: at launch.")
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="Empty: a draft.")
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remind_every_days: Mapped[int | None] = mapped_column(doc="Empty: no reminders.")
    remind_at_most: Mapped[int] = mapped_column(default=0)
    share_results: Mapped[bool] = mapped_column(
        default=False, doc="Send the results to those who finished, once it closes."
    )
    results_shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When its results were published on the secretariat's public page."
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"),
        index=True,
        doc="The session it serves (a workshop's feedback, an interview); empty for most.",
    )

    def state_at(self, now: datetime) -> CampaignState:
        if self.closed_at is not None or (
            self.launched_at is not None and self.closes_at is not None and self.closes_at <= now
        ):
            return CampaignState.CLOSED
        if self.launched_at is None:
            return CampaignState.DRAFT
        if self.paused_at is not None:
            return CampaignState.PAUSED
        if self.opens_at is not None and self.opens_at > now:
            return CampaignState.SCHEDULED
        return CampaignState.OPEN

    @property
    def state(self) -> CampaignState:
        return self.state_at(utcnow())


class ParticipantState(enum.StrEnum):
    INVITED = "invited"
    STARTED = "started"
    FINISHED = "finished"
    DECLINED = "declined"


class CampaignParticipant(Base):
    __tablename__ = "campaign_participant"

    campaign_id: Mapped[int] = cascading_key("campaign")
    person_id: Mapped[int] = cascading_key("person", index=True)
    state: Mapped[ParticipantState] = mapped_column(
        enum_column(ParticipantState), default=ParticipantState.INVITED
    )
    invited_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When the invitation was written to the outbox."
    )
    finished_on: Mapped[date | None] = mapped_column(
        Date, doc="Only the day: an exact time could be matched with an anonymous answer."
    )
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
