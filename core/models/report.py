"""Progress reports on tasks, and the evidence that backs them."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, CreatedAt, cascading_key, enum_column, exactly_one_of
from core.models.indicator import Quantity
from core.models.plan import Hours, TaskStatus


class ProgressReport(CreatedAt, Base):
    __tablename__ = "progress_report"
    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        CheckConstraint("hours >= 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="RESTRICT"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus))
    percent: Mapped[int] = mapped_column(Integer)
    hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    note: Mapped[str | None] = mapped_column(Text)
    blocked_reason: Mapped[str | None] = mapped_column(Text)

    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="report", order_by="Evidence.id", lazy="selectin"
    )


class EvidenceKind(enum.StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    VIDEO = "video"
    LINK = "link"
    TEXT = "text"


class Evidence(CreatedAt, Base):
    """What proves a progress report or an indicator's measurement: exactly one of the two."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("size IS NULL OR size >= 0", name="size"),
        CheckConstraint("(report_id IS NULL) <> (measurement_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_report.id", ondelete="RESTRICT"), index=True
    )
    measurement_id: Mapped[int | None] = mapped_column(
        ForeignKey("measurement.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))
    stored_name: Mapped[str | None] = mapped_column(String(100), doc="SHA-256 and extension.")
    size: Mapped[int | None]
    mime_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    caption: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    # Marked public by a coordinator: shown on the advance's public page, a file only as
    # ``public_name``, the cleaned copy made when it was marked.
    public: Mapped[bool] = mapped_column(default=False)
    public_name: Mapped[str | None] = mapped_column(String(100))

    report: Mapped[ProgressReport | None] = relationship(back_populates="evidence")


class ReportDraft(Base):
    """A report being written in chat, of a task's progress, of an indicator's value for a
    period or of an interviewer's notes: what it is about and the files stored so far, by
    Telegram file id, until the conversation ends and the report is submitted."""

    __tablename__ = "report_draft"
    __table_args__ = (
        exactly_one_of("task_id", "indicator_id", "interview_id", name="one_subject"),
        CheckConstraint("(indicator_id IS NULL) = (period IS NULL)", name="period"),
    )

    response_session_id: Mapped[int] = cascading_key("response_session")
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), index=True
    )
    # The last day of the period measured, and whether its value corrects one reported before.
    period: Mapped[date | None] = mapped_column(Date)
    correction: Mapped[bool] = mapped_column(default=False)
    # A value far from the last one, held until the person sends it again to confirm it.
    pending_value: Mapped[Decimal | None] = mapped_column(Quantity)
    files: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
