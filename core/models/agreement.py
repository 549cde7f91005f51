"""Agreements (*acuerdos*) of a session: what was agreed, who answers for it and by when.

Each one is followed up as a task of the plan, new or already there (``became_task`` says
which), so that what a session agreed is reminded and validated like any other work. The task
and the person may later go; the agreement stays, as the record of what was said.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime


class Agreement(Base):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    due_date: Mapped[date]
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="SET NULL"), index=True
    )
    became_task: Mapped[bool] = mapped_column(
        doc="True: the task was created for it; False: an existing task was updated."
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(100), doc="token:<id>, person:<id>.")
