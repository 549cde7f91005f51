"""The outbox: every message the system decides to send on its own is a row here first.

It is written in the same transaction as the change that caused it, and its unique key makes
each notification happen once however often that change is replayed.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, OwnedBySecretariat, UTCDateTime, enum_column


class NotificationState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Notification(CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_due", "state", "next_attempt_at"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A small file sent with the text as its caption: {name, media_type, content (base64)}.
    attachment: Mapped[dict[str, str] | None] = mapped_column(JSON)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[NotificationState] = mapped_column(
        enum_column(NotificationState), default=NotificationState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The worker that claimed it (core.infra.liveness): a dead one's claims are taken over at once.
    claimed_by: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
