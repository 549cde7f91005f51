"""Indicators of a plan and their measurements.

An indicator is measured period by period (its calendar, from ``starts_on`` to ``ends_on``, cut
by its frequency or by the dates it names); each period's value is due at the period's end plus
the plan's grace. A value is never edited: a correction is a new revision of the period's
measurement, and the chain keeps both.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, CreatedAt, HeldByPlan, Versioned, cascading_key, enum_column
from core.models.person import Person

Quantity = Numeric(18, 4)


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"
    DATES = "dates"  # the periods end on the indicator's ``due_dates``


class Scale(enum.StrEnum):
    """What a value of the indicator can be."""

    PERCENT = "percent"  # from 0 to 100
    COUNT = "count"  # whole and not negative
    AMOUNT = "amount"  # not negative: money, hours
    NUMBER = "number"  # any number


class Indicator(HeldByPlan, Versioned, CreatedAt, Base):
    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("plan_id", "name"),
        CheckConstraint("starts_on <= ends_on", name="calendar"),
    )

    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(300))
    method: Mapped[str | None] = mapped_column(Text, doc="Método de cálculo.")
    unit: Mapped[str] = mapped_column(String(50))
    scale: Mapped[Scale] = mapped_column(enum_column(Scale), default=Scale.NUMBER)
    baseline: Mapped[Decimal | None] = mapped_column(Quantity, doc="Línea base.")
    goal: Mapped[Decimal | None] = mapped_column(Quantity, doc="Meta.")
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # ISO dates, ascending, each the last day of a period; only when the frequency is DATES.
    due_dates: Mapped[list[str] | None] = mapped_column(JSON)
    means_of_verification: Mapped[str | None] = mapped_column(Text)
    # The kinds of evidence (``EvidenceKind`` values) its means of verification accepts with a
    # value reported in chat; None accepts any.
    evidence_kinds: Mapped[list[str] | None] = mapped_column(JSON)
    # Its values go to civil-society validation when the plan's policy names flagged indicators.
    validated: Mapped[bool] = mapped_column(default=False)

    # Loaded with a page of indicators in one more statement, not one per indicator.
    responsibles: Mapped[list[Person]] = relationship(
        secondary="indicator_responsible", lazy="selectin", order_by="Person.id"
    )

    @property
    def responsible_ids(self) -> list[int]:
        """The ids of the people who report its values, in order."""
        return [person.id for person in self.responsibles]


class IndicatorResponsible(Base):
    """A person who reports the indicator's measurements."""

    __tablename__ = "indicator_responsible"

    indicator_id: Mapped[int] = cascading_key("indicator")
    person_id: Mapped[int] = cascading_key("person", index=True)


class Measurement(CreatedAt, Base):
    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("indicator_id", "measured_on", "revision"),
        CheckConstraint("revision >= 1", name="revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="RESTRICT"), index=True
    )
    measured_on: Mapped[date] = mapped_column(Date, doc="The last day of the period measured.")
    # 1 for the period's first value; a correction is the next revision and supersedes it.
    revision: Mapped[int] = mapped_column(default=1)
    value: Mapped[Decimal] = mapped_column(Quantity)
    note: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
