"""The annual action plan: Plan → Objective (line of action) → Activity → Task."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import (
    Base,
    CreatedAt,
    HeldByPlan,
    OwnedBySecretariat,
    Versioned,
    cascading_key,
    enum_column,
)
from core.models.person import Person
from i18n import Titled

Hours = Numeric(10, 2)
Weight = Numeric(10, 3)


class Plan(Versioned, CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("secretariat_id", "year", "title"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("measurement_grace_days BETWEEN 0 AND 90", name="grace"),
        CheckConstraint("measurement_jump_factor > 1", name="jump_factor"),
    )

    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # An indicator's value is due this many days after its period ends.
    measurement_grace_days: Mapped[int] = mapped_column(default=10)
    # A value more than this many times the last one, or less than the last over it, is
    # confirmed before it is saved.
    measurement_jump_factor: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(3))

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="plan", order_by="Objective.position", cascade="all, delete-orphan"
    )


class Objective(HeldByPlan, Versioned, Base):
    """A line of action (línea de acción), which may cite a priority of the state policy (PEA) and
    priorities of the national one (PNA)."""

    __tablename__ = "objective"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("weight IS NULL OR weight > 0", name="weight_positive"),
    )

    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    pea_priority: Mapped[str | None] = mapped_column(String(100))
    # The national policy's priorities it cites; None: those of its PEA priority.
    pna_priorities: Mapped[list[int] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[Decimal | None] = mapped_column(Weight)

    plan: Mapped[Plan] = relationship(back_populates="objectives")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="objective", order_by="Activity.position", cascade="all, delete-orphan"
    )


class Activity(Versioned, Base):
    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("objective_id", "code"),
        CheckConstraint("weight IS NULL OR weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[Decimal | None] = mapped_column(Weight)

    objective: Mapped[Objective] = relationship(back_populates="activities")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="activity", order_by="Task.position", cascade="all, delete-orphan"
    )


class TaskStatus(enum.StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


class Task(Versioned, Base):
    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("activity_id", "code"),
        CheckConstraint("estimated_hours >= 0", name="estimated_hours"),
        CheckConstraint("logged_hours >= 0", name="logged_hours"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        CheckConstraint("weight IS NULL OR weight > 0", name="weight_positive"),
        CheckConstraint(
            "start_date IS NULL OR due_date IS NULL OR due_date >= start_date", name="dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    estimated_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    logged_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    inputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    outputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), default=TaskStatus.PENDING)
    percent: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[Decimal | None] = mapped_column(Weight)

    activity: Mapped[Activity] = relationship(back_populates="tasks")
    responsibles: Mapped[list[Person]] = relationship(
        secondary="task_responsible", lazy="selectin", order_by="Person.id"
    )

    @property
    def responsible_ids(self) -> list[int]:
        """The ids of the people responsible for the task, in order."""
        return [person.id for person in self.responsibles]

    @property
    def label(self) -> Titled:
        """The code and the title, quoted in the reader's language when it is a parameter."""
        return Titled(self.title, self.code)


class TaskResponsible(Base):
    __tablename__ = "task_responsible"

    task_id: Mapped[int] = cascading_key("task")
    person_id: Mapped[int] = cascading_key("person", index=True)


class TaskDependency(Base):
    """Finish-to-start: the successor starts ``lag_days`` after the predecessor finishes."""

    __tablename__ = "task_dependency"
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id"),
        CheckConstraint("predecessor_id <> successor_id", name="not_self"),
        CheckConstraint("lag_days BETWEEN -365 AND 365", name="lag_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    successor_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    lag_days: Mapped[int] = mapped_column(default=0)
