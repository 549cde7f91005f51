"""The values reported for an indicator, period by period: recorded (a correction is a new
revision, never an edit), listed, and read as each period's current value."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.infra.listing import Sorting
from core.infra.values import quantity
from core.models import (
    Evidence,
    Indicator,
    Measurement,
    Scale,
    ValidationRequest,
    ValidationState,
)
from core.people import people
from core.people.secretariats import get_secretariat
from core.plans.editable import Children, optional_text
from core.plans.indicators import get_indicator, periods
from core.plans.periods import Period, period_of
from core.plans.plans import get_plan
from core.reporting.evidence import EvidenceItem, audited
from i18n import N_

# What a value must be on each scale but the unbounded one, and how one that is not is refused.
WITHIN_SCALE: dict[Scale, tuple[Callable[[Decimal], bool], str]] = {
    Scale.PERCENT: (
        lambda value: 0 <= value <= 100,
        N_("A value in {unit} is a percent, from 0 to 100; {value} is not."),
    ),
    Scale.COUNT: (
        lambda value: value >= 0 and value == value.to_integral_value(),
        N_("A value in {unit} is a count, a whole number from 0 up; {value} is not."),
    ),
    Scale.AMOUNT: (
        lambda value: value >= 0,
        N_("A value in {unit} is an amount, 0 or more; {value} is not."),
    ),
}

MEASUREMENT_SORTING = Sorting(
    {"measured_on": Measurement.measured_on}, default="measured_on", tie_breaker=Measurement.id
)


# By period, and within one by revision: a revision is always stored after the one it corrects.
list_measurements = Children(
    Measurement, get_indicator, Measurement.indicator_id, MEASUREMENT_SORTING
)


def _shown(value: Decimal) -> str:
    """A value as a person wrote it: no exponent, no trailing zeros."""
    return f"{value.normalize():f}"


def _scaled(indicator: Indicator, value: Any) -> Decimal:
    """``value`` as a number its indicator's scale allows."""
    number = quantity(value, "value")
    if number is None:
        raise InvalidInput(N_("The {field} cannot be empty."), field="value")
    rule = WITHIN_SCALE.get(indicator.scale)
    if rule is not None and not rule[0](number):
        raise InvalidInput(rule[1], field="value", unit=indicator.unit, value=_shown(number))
    return number


async def begun_period(
    session: AsyncSession, secretariat_id: int, indicator: Indicator, day_in_it: date
) -> Period:
    """The period of the indicator that holds ``day_in_it``, once it has begun."""
    found = period_of(periods(indicator), day_in_it)
    if found is None:
        raise InvalidInput(
            N_("{day} is outside the indicator's periods, from {starts_on} to {ends_on}."),
            field="period",
            day=day_in_it.isoformat(),
            starts_on=indicator.starts_on.isoformat(),
            ends_on=indicator.ends_on.isoformat(),
        )
    today = people.local_today(await get_secretariat(session, secretariat_id))
    if found.starts_on > today:
        raise InvalidInput(
            N_("The period from {starts_on} to {ends_on} has not begun yet."),
            field="period",
            starts_on=found.starts_on.isoformat(),
            ends_on=found.ends_on.isoformat(),
        )
    return found


def _already_reported(period: Period) -> Conflict:
    return Conflict(
        N_(
            "The period from {starts_on} to {ends_on} already has a value; to change it, send "
            "the new one as a correction."
        ),
        field="period",
        starts_on=period.starts_on.isoformat(),
        ends_on=period.ends_on.isoformat(),
    )


class FarFromLast(Conflict):
    """A value more than the plan's factor times the last one, or less than it over the factor
    (a change of sign too): more often a typo than a change, so it is saved only confirmed."""

    def __init__(self, value: Decimal, last: Decimal, unit: str) -> None:
        super().__init__(
            N_(
                "The value {value} {unit} is far from the last one, {last} {unit}; if it is "
                "right, send it again confirmed."
            ),
            field="value",
            value=_shown(value),
            last=_shown(last),
            unit=unit,
        )
        self.value, self.last = value, last


def _refuse_jump(last: Decimal, value: Decimal, factor: Decimal, unit: str) -> None:
    if last == 0:
        return
    ratio = value / last
    if ratio > factor or ratio < 1 / factor:
        raise FarFromLast(value, last, unit)


async def current_value(
    session: AsyncSession, indicator_id: int, period: Period
) -> Measurement | None:
    """The period's current value: its latest revision, if it has one."""
    return await _latest(session, indicator_id, Measurement.measured_on == period.ends_on)


async def revision_of(
    session: AsyncSession, indicator_id: int, day: date, revision: int
) -> Measurement | None:
    """The ``revision`` of the indicator's value of the period ending on ``day``."""
    return await session.scalar(
        select(Measurement).where(
            Measurement.indicator_id == indicator_id,
            Measurement.measured_on == day,
            Measurement.revision == revision,
        )
    )


async def value_before(session: AsyncSession, indicator_id: int, day: date) -> Measurement | None:
    """The current value of the latest period, ending before ``day``, that has one."""
    return await _latest(session, indicator_id, Measurement.measured_on < day)


async def _latest(
    session: AsyncSession, indicator_id: int, which: ColumnElement[bool]
) -> Measurement | None:
    """The latest revision of the latest period of the indicator's values ``which`` finds."""
    return await session.scalar(
        select(Measurement)
        .where(Measurement.indicator_id == indicator_id, which)
        .order_by(Measurement.measured_on.desc(), Measurement.revision.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Vetted:
    """A value that may be saved for a period: the number, the indicator and the period's
    current value, which a correction supersedes."""

    number: Decimal
    indicator: Indicator
    period: Period
    current: Measurement | None


async def vet(
    session: AsyncSession,
    secretariat_id: int,
    indicator_id: int,
    *,
    period: date,
    value: Any,
    correction: bool = False,
    confirmed: bool = False,
) -> Vetted:
    """Every rule a new value must pass, for the begun period of the indicator that holds the
    day ``period``: its scale, the period's first value or a correction of it, and, unless
    ``confirmed``, not far from the last one (``FarFromLast``)."""
    indicator = await get_indicator(session, secretariat_id, indicator_id)
    measured = await begun_period(session, secretariat_id, indicator, period)
    number = _scaled(indicator, value)
    current = await current_value(session, indicator.id, measured)
    if current is not None and not correction:
        raise _already_reported(measured)
    if current is None and correction:
        raise InvalidInput(
            N_(
                "The period from {starts_on} to {ends_on} has no value to correct yet; send "
                "this one as its first."
            ),
            field="correction",
            starts_on=measured.starts_on.isoformat(),
            ends_on=measured.ends_on.isoformat(),
        )
    last = current or await value_before(session, indicator.id, measured.ends_on)
    if last is not None and not confirmed:
        plan = await get_plan(session, secretariat_id, indicator.plan_id)
        _refuse_jump(last.value, number, plan.measurement_jump_factor, indicator.unit)
    return Vetted(number, indicator, measured, current)


async def record_measurement(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    indicator_id: int,
    *,
    period: date,
    value: Any,
    note: str | None = None,
    reported_by_id: int | None = None,
    correction: bool = False,
    confirmed: bool = False,
    evidence: Sequence[EvidenceItem] = (),
) -> Measurement:
    """The indicator's value for the begun period that holds the day ``period``: its first,
    or with ``correction`` a new revision that supersedes the current one, with the evidence
    that backs it. A value far from the last one is saved only ``confirmed``."""
    if reported_by_id is not None:
        await people.get_person(session, secretariat_id, reported_by_id)
    vetted = await vet(
        session,
        secretariat_id,
        indicator_id,
        period=period,
        value=value,
        correction=correction,
        confirmed=confirmed,
    )
    indicator, current = vetted.indicator, vetted.current
    measurement = Measurement(
        indicator_id=indicator.id,
        measured_on=vetted.period.ends_on,
        revision=current.revision + 1 if current else 1,
        value=vetted.number,
        note=optional_text(note),
        reported_by_id=reported_by_id,
    )
    try:
        # Another report of the same period may have been stored since it was read: the
        # revision's uniqueness refuses the second, and only it is undone.
        async with session.begin_nested():
            session.add(measurement)
            await session.flush()
    except IntegrityError:
        raise _already_reported(vetted.period) from None
    session.add_all(Evidence(measurement_id=measurement.id, **vars(item)) for item in evidence)
    data = {
        "indicator_id": indicator.id,
        "measured_on": vetted.period.ends_on,
        "revision": measurement.revision,
        "value": vetted.number,
        "supersedes": current.revision if current else None,
        "evidence": audited(evidence),
    }
    await chain.about(
        session, measurement, "measurement.create", actor, secretariat_id, indicator.plan_id, data
    )
    return measurement


def is_current() -> ColumnElement[bool]:
    """True of a measurement no later revision of its period supersedes."""
    later = aliased(Measurement)
    return ~exists().where(
        later.indicator_id == Measurement.indicator_id,
        later.measured_on == Measurement.measured_on,
        later.revision > Measurement.revision,
    )


def latest_validation() -> ScalarSelect[ValidationState]:
    """For a query over measurements, the state of the measurement's latest validation
    request; None when it was never put to validation."""
    return (
        select(ValidationRequest.state)
        .where(ValidationRequest.measurement_id == Measurement.id)
        .order_by(ValidationRequest.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def validated_values(*columns: Any, which: ColumnElement[bool]) -> Select[Any]:
    """``columns`` of the current values, among those ``which`` finds, whose latest validation
    request validated them; read from the requests, far fewer than the values."""
    later = aliased(ValidationRequest)
    return (
        select(*columns)
        .join(ValidationRequest, ValidationRequest.measurement_id == Measurement.id)
        .where(
            which,
            ValidationRequest.state == ValidationState.VALIDATED,
            ~exists().where(
                later.measurement_id == ValidationRequest.measurement_id,
                later.id > ValidationRequest.id,
            ),
            is_current(),
        )
    )


async def validated_days(
    session: AsyncSession, indicator_ids: Iterable[int]
) -> dict[int, set[date]]:
    """The days whose current value civil society validated, by indicator id, in one
    statement."""
    rows = await session.execute(
        validated_values(
            Measurement.indicator_id,
            Measurement.measured_on,
            which=Measurement.indicator_id.in_(list(indicator_ids)),
        )
    )
    validated: dict[int, set[date]] = defaultdict(set)
    for indicator_id, day in rows:
        validated[indicator_id].add(day)
    return validated


async def plan_measurements(session: AsyncSession, plan_id: int) -> dict[int, list[Measurement]]:
    """The current value of each period of the plan's indicators, oldest first, by indicator
    id, in one statement."""
    return await _measurements(session, Indicator.plan_id == plan_id)


async def indicator_measurements(
    session: AsyncSession, indicator_ids: Iterable[int]
) -> dict[int, list[Measurement]]:
    """The current value of each period of the indicators named, oldest first, by indicator
    id."""
    return await _measurements(session, Indicator.id.in_(list(indicator_ids)))


async def _measurements(
    session: AsyncSession, which: ColumnElement[bool]
) -> dict[int, list[Measurement]]:
    rows = await session.scalars(
        select(Measurement)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(which, is_current())
        .order_by(Measurement.measured_on, Measurement.id)
    )
    measured: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in rows:
        measured[measurement.indicator_id].append(measurement)
    return measured
