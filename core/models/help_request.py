"""What staff ask of their coordination: help with a task, or word that a task is blocked.

Kept whether or not a coordinator could be told on Telegram, so the coordination sees every
request in the admin API until someone marks it resolved.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, UTCDateTime, Versioned, enum_column


class HelpKind(enum.StrEnum):
    HELP = "help"  # "I need help" on a task
    BLOCKED = "blocked"  # a report marked the task blocked, saying why


class HelpRequest(Versioned, CreatedAt, Base):
    __tablename__ = "help_request"
    __table_args__ = (Index("ix_help_request_open", "secretariat_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    secretariat_id: Mapped[int] = mapped_column(ForeignKey("secretariat.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HelpKind] = mapped_column(enum_column(HelpKind))
    # What the person wrote: the reason a task is blocked.
    message: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_report.id", ondelete="RESTRICT"), index=True
    )
    # Coordinators reachable on Telegram a message was written for, the last time it was asked.
    coordinators_notified: Mapped[int] = mapped_column(default=0)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(100), doc="person:<id>, token:<id>.")
