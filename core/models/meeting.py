"""Sessions of the methodology (workshops, working sessions, presentations, interviews) and
the people invited to them.

Called ``Meeting`` in code, so as not to be taken for a database or a conversation session;
people read "sesión". A meeting belongs to the secretariat that holds it; its audience is a
rule (``core.people.audience``) resolved into invitees when it is created or changed. Its
``sequence`` counts the announced changes, as the calendar files sent for it number them.
Its host shows a check-in code during it; only the code's SHA-256 is stored.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import (
    Base,
    CreatedAt,
    OwnedBySecretariat,
    UTCDateTime,
    Versioned,
    enum_column,
)


class MeetingKind(enum.StrEnum):
    WORKSHOP = "workshop"
    WORKING_SESSION = "working_session"
    PRESENTATION = "presentation"
    INTERVIEW = "interview"


class Rsvp(enum.StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class CheckIn(enum.StrEnum):
    """How an invitee's presence was recorded."""

    CODE = "code"
    LINK = "link"
    HOST = "host"


class Meeting(Versioned, CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="lasts"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        CheckConstraint("place IS NOT NULL OR video_url IS NOT NULL", name="somewhere"),
    )

    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind))
    title: Mapped[str] = mapped_column(String(300))
    step: Mapped[str | None] = mapped_column(
        String(20), doc="The methodology step it serves (core.toolbox.manual.STEPS)."
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int]
    place: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    agenda: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(doc="Empty: no limit.")
    sequence: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_in_code_hash: Mapped[str | None] = mapped_column(
        String(64), index=True, doc="Empty: no check-in code issued yet."
    )
    feedback_definition_id: Mapped[str | None] = mapped_column(
        String(64), doc="The survey sent to those who attended, once it ends; empty: none."
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the meeting's own clock, in its time zone."""
        return moment.astimezone(ZoneInfo(self.time_zone))

    @property
    def held_on(self) -> date:
        """The day it takes place, on its own clock."""
        return self.local(self.starts_at).date()


class MeetingInvitee(Base):
    __tablename__ = "meeting_invitee"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[Rsvp | None] = mapped_column(enum_column(Rsvp))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="Empty: not (or no longer) recorded present."
    )
    checked_in: Mapped[CheckIn | None] = mapped_column(enum_column(CheckIn))


class CheckInTry(Base):
    """A check-in refused to a person, kept a minute to slow down guessing codes."""

    __tablename__ = "check_in_try"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    tried_at: Mapped[datetime] = mapped_column(UTCDateTime)
