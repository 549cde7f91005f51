"""The feedback survey a meeting sent to those who attended: one campaign per meeting.

A row of its own, keyed by the meeting, so that the database keeps a second survey from being
launched for the same meeting, whoever tries (two workers, the scheduler and a coordinator).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime, cascading_key


class MeetingFeedback(Base):
    __tablename__ = "meeting_feedback"

    meeting_id: Mapped[int] = cascading_key("meeting")
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), unique=True
    )
    launched_at: Mapped[datetime] = mapped_column(UTCDateTime)
