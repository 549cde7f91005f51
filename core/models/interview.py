"""Interviews: a session of kind interview with one interviewee and one interviewer, the
campaign that runs the interview's definition for the interviewee, the solutions its answers
back, and the interviewer's notes.

The meeting carries when and where (and its invitation, calendar file and reminders); the
campaign carries the interviewee's answers. The solutions are options of the ranking of a
solution-prioritisation campaign, by their choice ids, so those prioritising see which
interviews back each one.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, OwnedBySecretariat, cascading_key, enum_column
from core.models.report import EvidenceKind


class Interview(CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "interview"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), unique=True
    )
    interviewee_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    interviewer_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    definition_id: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )


class InterviewSolution(Base):
    """A solution an interview backs: an option of a prioritisation campaign's ranking."""

    __tablename__ = "interview_solution"

    interview_id: Mapped[int] = cascading_key("interview")
    campaign_id: Mapped[int] = cascading_key("campaign", index=True)
    choice_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class InterviewNote(CreatedAt, Base):
    """What the interviewer noted: a text, or a file (a voice note) stored by its SHA-256."""

    __tablename__ = "interview_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), doc="Empty: written through the API."
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    text: Mapped[str | None] = mapped_column(Text)
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))
    stored_name: Mapped[str | None] = mapped_column(String(100), doc="SHA-256 and extension.")
    size: Mapped[int | None]
    mime_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
