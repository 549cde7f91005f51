"""Views over indicators: each one's values period by period, and a plan's indicators at once.

A period's value is the measurement dated on its last day with the highest revision (a
correction supersedes the values before it). A period without one is upcoming until it ends,
due until its due day, and late after. Progress runs from the baseline (0) to the goal (1),
whichever way the goal lies, so an indicator meant to go down counts down.

Each period's value carries the state of its latest civil-society validation (that of its
current revision: a correction is validated anew), and an indicator's validated progress counts
only values civil society validated: its latest validated value against the goal, beside the
progress of its latest reported one.

A plan's view costs the same statements whatever its number of indicators and measurements:
the plan, its indicators, then their values summed up by the database, one row an indicator
(the days reported and the latest day's current value; then, read from the validation requests,
the latest validated day's), rather than every measurement of years of periods.
"""

from __future__ import annotations

import enum
import functools
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, String, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.lookup import one_row
from core.models import (
    Frequency,
    Indicator,
    Measurement,
    Plan,
    Scale,
    ValidationRequest,
    ValidationState,
)
from core.plans.measurements import latest_validation, validated_values
from core.plans.periods import Period, calendar
from core.plans.plans import get_plan
from i18n import N_


class PeriodState(enum.StrEnum):
    REPORTED = "reported"
    UPCOMING = "upcoming"  # not ended yet
    DUE = "due"  # ended, and its value not yet late
    LATE = "late"  # past its due day without a value


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


class IndicatorFacts(NamedTuple):
    """What the views need of an indicator."""

    id: int
    name: str
    unit: str
    scale: Scale
    frequency: Frequency
    baseline: Decimal | None
    goal: Decimal | None
    starts_on: date
    ends_on: date
    due_dates: list[str] | None

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorFacts:
        """The facts of a loaded indicator (each field is named as its attribute)."""
        return cls(*(getattr(indicator, name) for name in cls._fields))


class Reading(NamedTuple):
    """One stored measurement: a revision of the value of the period ending on its day, and
    the state of its latest validation request (None: never put to validation)."""

    measured_on: date
    revision: int
    value: Decimal
    validation: ValidationState | None = None


@dataclass(frozen=True, slots=True)
class PeriodValue:
    starts_on: date
    ends_on: date
    due_on: date
    state: PeriodState
    value: Decimal | None
    revisions: int
    validation: ValidationState | None


@dataclass(frozen=True, slots=True)
class IndicatorProgress:
    id: int
    name: str
    unit: str
    scale: Scale
    frequency: Frequency
    baseline: Decimal | None
    goal: Decimal | None
    direction: Direction | None
    latest: Decimal | None
    latest_on: date | None
    progress: float | None
    validated: Decimal | None
    validated_on: date | None
    validated_progress: float | None
    late: list[Period]


@dataclass(frozen=True, slots=True)
class IndicatorSeries:
    indicator: IndicatorProgress
    periods: list[PeriodValue]


@dataclass(frozen=True, slots=True)
class PlanIndicators:
    plan_id: int
    as_of: date
    grace_days: int
    indicators: list[IndicatorProgress]


# Each period of an indicator's calendar and the day its value is due.
Schedule = tuple[tuple[Period, date], ...]


def compute_series(
    indicator: IndicatorFacts, readings: Sequence[Reading], grace_days: int, today: date
) -> IndicatorSeries:
    """Every period of the indicator's calendar with its state and current value as of
    ``today``, and where the indicator stands."""
    schedule = _schedule_of(indicator, grace_days)
    current = _current(readings)
    revisions = Counter(reading.measured_on for reading in readings)
    periods = []
    for period, due_on in schedule:
        reading = current.get(period.ends_on)
        periods.append(
            PeriodValue(
                period.starts_on,
                period.ends_on,
                due_on,
                _state(reading is not None, period, due_on, today),
                reading.value if reading is not None else None,
                revisions[period.ends_on],
                reading.validation if reading is not None else None,
            )
        )
    reported = [period.ends_on for period, _ in schedule if period.ends_on in current]
    validated = [day for day in reported if current[day].validation == ValidationState.VALIDATED]
    latest = (reported[-1], current[reported[-1]].value) if reported else None
    confirmed = (validated[-1], current[validated[-1]].value) if validated else None
    return IndicatorSeries(
        _progress(indicator, schedule, current, latest, confirmed, today), periods
    )


def indicator_progress(
    indicator: IndicatorFacts,
    reported: Container[date],
    latest: tuple[date, Decimal] | None,
    validated: tuple[date, Decimal] | None,
    grace_days: int,
    today: date,
) -> IndicatorProgress:
    """Where the indicator stands as of ``today``, told the days it has values for, its
    latest day's current value and its latest validated day's: its series' summary, without
    the series."""
    schedule = _schedule_of(indicator, grace_days)
    return _progress(indicator, schedule, reported, latest, validated, today)


def _current(readings: Iterable[Reading]) -> dict[date, Reading]:
    """The highest revision of each day's value."""
    current: dict[date, Reading] = {}
    for reading in readings:
        kept = current.get(reading.measured_on)
        if kept is None or reading.revision > kept.revision:
            current[reading.measured_on] = reading
    return current


def _schedule_of(indicator: IndicatorFacts, grace_days: int) -> Schedule:
    due_dates = tuple(indicator.due_dates or ())
    return _schedule(
        indicator.frequency, indicator.starts_on, indicator.ends_on, due_dates, grace_days
    )


@functools.lru_cache(maxsize=1024)
def _schedule(
    frequency: Frequency,
    starts_on: date,
    ends_on: date,
    due_dates: tuple[str, ...],
    grace_days: int,
) -> Schedule:
    # A plan's indicators mostly share a calendar: it is cut once for all of them.
    days = [date.fromisoformat(day) for day in due_dates]
    periods = calendar(frequency, starts_on, ends_on, days)
    return tuple((period, period.due_on(grace_days)) for period in periods)


def _state(reported: bool, period: Period, due_on: date, today: date) -> PeriodState:
    if reported:
        return PeriodState.REPORTED
    if today <= period.ends_on:
        return PeriodState.UPCOMING
    return PeriodState.DUE if today <= due_on else PeriodState.LATE


def _progress(
    indicator: IndicatorFacts,
    schedule: Schedule,
    reported: Container[date],
    latest: tuple[date, Decimal] | None,
    validated: tuple[date, Decimal] | None,
    today: date,
) -> IndicatorProgress:
    baseline, goal = indicator.baseline, indicator.goal
    latest_on, value = latest if latest is not None else (None, None)
    validated_on, confirmed = validated if validated is not None else (None, None)
    direction = None
    if baseline is not None and goal is not None and goal != baseline:
        direction = Direction.UP if goal > baseline else Direction.DOWN

    def toward_goal(value: Decimal | None) -> float | None:
        if direction is None or value is None or baseline is None or goal is None:
            return None
        return min(1.0, max(0.0, float((value - baseline) / (goal - baseline))))

    return IndicatorProgress(
        id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        scale=indicator.scale,
        frequency=indicator.frequency,
        baseline=baseline,
        goal=goal,
        direction=direction,
        latest=value,
        latest_on=latest_on,
        progress=toward_goal(value),
        validated=confirmed,
        validated_on=validated_on,
        validated_progress=toward_goal(confirmed),
        # The state LATE, without a call for each of years of periods.
        late=[
            period
            for period, due_on in schedule
            if due_on < today and period.ends_on not in reported
        ],
    )


FACTS = select(
    Indicator.id,
    Indicator.name,
    Indicator.unit,
    Indicator.scale,
    Indicator.frequency,
    Indicator.baseline,
    Indicator.goal,
    Indicator.starts_on,
    Indicator.ends_on,
    Indicator.due_dates,
)


async def indicator_series(
    session: AsyncSession, secretariat_id: int, indicator_id: int, today: date
) -> IndicatorSeries:
    """The series of the indicator ``indicator_id`` of one of the secretariat's plans as of
    ``today``, or NotFound."""
    query = (
        FACTS.add_columns(Plan.measurement_grace_days)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(Indicator.id == indicator_id, Plan.secretariat_id == secretariat_id)
    )
    *facts, grace_days = await one_row(
        session, query, N_("Indicator {id} not found."), indicator_id
    )
    readings = await session.execute(
        select(
            Measurement.measured_on,
            Measurement.revision,
            Measurement.value,
            latest_validation(),
        ).where(Measurement.indicator_id == indicator_id)
    )
    return compute_series(
        IndicatorFacts._make(facts), [Reading._make(row) for row in readings], grace_days, today
    )


async def plan_indicators(
    session: AsyncSession, secretariat_id: int, plan_id: int, today: date
) -> PlanIndicators:
    """Where each indicator of the secretariat's plan ``plan_id`` stands as of ``today``, by
    name; NotFound when the plan is not theirs."""
    plan = await get_plan(session, secretariat_id, plan_id)
    rows = await session.execute(
        FACTS.where(Indicator.plan_id == plan.id).order_by(Indicator.name, Indicator.id)
    )
    summaries = {
        indicator_id: (days.split(","), (latest_on, value))
        for indicator_id, days, latest_on, value in await session.execute(_values_of(plan.id))
    }
    validated = {
        indicator_id: (day, value)
        for indicator_id, day, value in await session.execute(_validated_of(plan.id))
    }
    grace_days = plan.measurement_grace_days
    indicators = []
    for row in rows:
        days, latest = summaries.get(row.id, ((), None))
        reported = set(map(date.fromisoformat, days))
        facts, confirmed = IndicatorFacts._make(row), validated.get(row.id)
        indicators.append(indicator_progress(facts, reported, latest, confirmed, grace_days, today))
    return PlanIndicators(plan.id, today, grace_days, indicators)


def _values_of(plan_id: int) -> Select[int, str, date, Decimal]:
    """One row for each of the plan's indicators with values: the days they are for (ISO
    dates, joined by commas), the latest of them, and that day's current value."""
    ranked = (
        select(
            Measurement.indicator_id,
            Measurement.measured_on,
            Measurement.value,
            func.row_number()
            .over(
                partition_by=Measurement.indicator_id,
                order_by=(Measurement.measured_on.desc(), Measurement.revision.desc()),
            )
            .label("rank"),
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Indicator.plan_id == plan_id)
        .subquery()
    )
    # A date as text is ISO on both databases (SQLite keeps it so; PostgreSQL writes it so under
    # its default DateStyle): one string an indicator costs a fraction of a row a measurement.
    return select(
        ranked.c.indicator_id,
        func.aggregate_strings(cast(ranked.c.measured_on, String), ","),
        func.max(ranked.c.measured_on),
        func.max(case((ranked.c.rank == 1, ranked.c.value))),
    ).group_by(ranked.c.indicator_id)


def _validated_of(plan_id: int) -> Select[int, date, Decimal]:
    """One row for each of the plan's indicators with a validated value: the latest day whose
    current value civil society validated, and that value."""
    ranked = validated_values(
        Measurement.indicator_id,
        Measurement.measured_on,
        Measurement.value,
        func.row_number()
        .over(partition_by=Measurement.indicator_id, order_by=Measurement.measured_on.desc())
        .label("rank"),
        which=ValidationRequest.plan_id == plan_id,
    ).subquery()
    return select(ranked.c.indicator_id, ranked.c.measured_on, ranked.c.value).where(
        ranked.c.rank == 1
    )
