"""When people are reminded of their tasks and of their indicators' values, and when they are
away."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, HeldByPlan, Versioned, enum_column


class ReminderKind(enum.StrEnum):
    BEFORE_DUE = "before_due"  # ``days`` before the due date
    ON_DUE = "on_due"
    OVERDUE = "overdue"  # every ``days`` days after the due date; coordinators from ``escalate``
    WEEKLY_DIGEST = "weekly_digest"  # Mondays: each person's open tasks and values due


class ReminderRule(HeldByPlan, Versioned, CreatedAt, Base):
    __tablename__ = "reminder_rule"
    __table_args__ = (
        UniqueConstraint("plan_id", "kind", "days"),
        CheckConstraint("days BETWEEN 0 AND 365", name="days"),
        CheckConstraint(
            "escalate_after_days IS NULL OR escalate_after_days >= 1", name="escalate_after_days"
        ),
    )

    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind))
    days: Mapped[int] = mapped_column(default=0)
    escalate_after_days: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class Absence(CreatedAt, Base):
    """A person is away (leave, travel): no reminders from ``starts_on`` to ``ends_on``."""

    __tablename__ = "absence"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
