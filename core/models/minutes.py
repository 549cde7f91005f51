"""The minutes of a session: one document, kept with the evidence files under its SHA-256.

A new upload replaces the one before; ``edition`` counts them, so that each version is
announced to the attendees once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime


class Minutes(Base):
    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), unique=True
    )
    stored_name: Mapped[str] = mapped_column(String(80), doc="Its name in the evidence folder.")
    file_name: Mapped[str] = mapped_column(String(255), doc="The name it was uploaded with.")
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    edition: Mapped[int] = mapped_column(default=1)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(100), doc="token:<id>, person:<id>.")
