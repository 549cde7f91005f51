"""Indicators of a plan and the measurements reported for them: read, listed, created, changed
and deleted within the secretariat that owns the plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.infra.listing import Sorting
from core.infra.lookup import one
from core.infra.values import Cleaners, quantity, text
from core.infra.values import frequency as frequency_value
from core.models import Frequency, Indicator, Measurement, Plan
from core.people import people
from core.plans.editable import Children, Editable, optional_text
from core.plans.plans import get_plan
from core.plans.records import INDICATOR_KEPT
from core.plans.structure import get_objective
from i18n import N_


async def get_indicator(session: AsyncSession, secretariat_id: int, indicator_id: int) -> Indicator:
    """The indicator ``indicator_id`` of one of the secretariat's plans, or NotFound."""
    query = (
        select(Indicator)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(Indicator.id == indicator_id, Plan.secretariat_id == secretariat_id)
    )
    return await one(session, query, N_("Indicator {id} not found."), indicator_id)


INDICATOR_SORTING = Sorting(
    {"id": Indicator.id, "name": Indicator.name}, default="name", tie_breaker=Indicator.id
)


list_indicators = Children(Indicator, get_plan, Indicator.plan_id, INDICATOR_SORTING)


async def create_indicator(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    name: str,
    unit: str,
    frequency: Frequency | str,
    method: str | None = None,
    baseline: Any = None,
    goal: Any = None,
    means_of_verification: str | None = None,
    objective_id: int | None = None,
    responsible_id: int | None = None,
) -> Indicator:
    """A new indicator of the plan; its name is unique within the plan."""
    plan = await get_plan(session, secretariat_id, plan_id)
    if objective_id is not None:
        objective = await get_objective(session, secretariat_id, objective_id)
        if objective.plan_id != plan.id:
            raise InvalidInput(N_("Objective {id} is not part of this plan."), id=objective_id)
    if responsible_id is not None:
        await people.get_person(session, secretariat_id, responsible_id)
    cadence = frequency_value(frequency)
    name = text(name, "name")
    if await session.scalar(
        select(Indicator.id).where(Indicator.plan_id == plan.id, Indicator.name == name)
    ):
        raise Conflict(N_("This plan already has an indicator named {name}."), name=name)
    indicator = Indicator(
        plan_id=plan.id,
        objective_id=objective_id,
        name=name,
        unit=text(unit, "unit"),
        frequency=cadence,
        method=method,
        baseline=quantity(baseline, "baseline"),
        goal=quantity(goal, "goal"),
        means_of_verification=means_of_verification,
        responsible_id=responsible_id,
    )
    data = {"name": name, "baseline": indicator.baseline, "goal": indicator.goal}
    await chain.about(session, indicator, "indicator.create", actor, secretariat_id, plan.id, data)
    return indicator


async def _refuse_bad_indicator_values(
    session: AsyncSession, secretariat_id: int, indicator: Indicator, values: Mapping[str, Any]
) -> None:
    """Its objective must be of its plan, its responsible of the secretariat, its name new."""
    if values.get("objective_id") is not None:
        objective = await get_objective(session, secretariat_id, values["objective_id"])
        if objective.plan_id != indicator.plan_id:
            raise InvalidInput(
                N_("Objective {id} is not part of this plan."),
                field="objective_id",
                id=objective.id,
            )
    if values.get("responsible_id") is not None:
        await people.get_person(session, secretariat_id, values["responsible_id"])
    name = values.get("name")
    if (
        name is not None
        and name != indicator.name
        and await session.scalar(
            select(Indicator.id).where(
                Indicator.plan_id == indicator.plan_id, Indicator.name == name
            )
        )
    ):
        raise Conflict(N_("This plan already has an indicator named {name}."), name=name)


async def _its_plan(session: AsyncSession, secretariat_id: int, indicator: Indicator) -> int:
    return indicator.plan_id


INDICATOR_FIELDS: Cleaners = {
    "name": lambda value: text(value, "name"),
    "unit": lambda value: text(value, "unit"),
    "frequency": frequency_value,
    "method": optional_text,
    "baseline": lambda value: quantity(value, "baseline"),
    "goal": lambda value: quantity(value, "goal"),
    "means_of_verification": optional_text,
    "objective_id": lambda value: value,
    "responsible_id": lambda value: value,
}
INDICATORS = Editable(
    kind="indicator",
    load=get_indicator,
    cleaners=INDICATOR_FIELDS,
    plan_id=_its_plan,
    summary=("name",),
    kept=INDICATOR_KEPT,
    refuse=_refuse_bad_indicator_values,
)


update_indicator = INDICATORS.update
delete_indicator = INDICATORS.delete


MEASUREMENT_SORTING = Sorting(
    {"measured_on": Measurement.measured_on}, default="measured_on", tie_breaker=Measurement.id
)


list_measurements = Children(
    Measurement, get_indicator, Measurement.indicator_id, MEASUREMENT_SORTING
)


async def record_measurement(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    indicator_id: int,
    *,
    measured_on: date,
    value: Any,
    note: str | None = None,
    reported_by_id: int | None = None,
) -> Measurement:
    """A new measurement of the indicator, by one of the secretariat's people; one a day at
    most."""
    if reported_by_id is not None:
        await people.get_person(session, secretariat_id, reported_by_id)
    indicator = await get_indicator(session, secretariat_id, indicator_id)
    if await session.scalar(
        select(Measurement.id).where(
            Measurement.indicator_id == indicator.id, Measurement.measured_on == measured_on
        )
    ):
        raise Conflict(
            N_("There is already a measurement for {day}."), field="measured_on", day=measured_on
        )
    measurement = Measurement(
        indicator_id=indicator.id,
        measured_on=measured_on,
        value=quantity(value, "value"),
        note=note,
        reported_by_id=reported_by_id,
    )
    data = {"indicator_id": indicator.id, "measured_on": measured_on, "value": measurement.value}
    await chain.about(
        session, measurement, "measurement.create", actor, secretariat_id, indicator.plan_id, data
    )
    return measurement


async def plan_measurements(session: AsyncSession, plan_id: int) -> dict[int, list[Measurement]]:
    """Every measurement of the plan's indicators, oldest first, by indicator id, in one
    statement."""
    return await _measurements(session, Indicator.plan_id == plan_id)


async def indicator_measurements(
    session: AsyncSession, indicator_ids: Iterable[int]
) -> dict[int, list[Measurement]]:
    """Every measurement of the indicators named, oldest first, by indicator id."""
    return await _measurements(session, Indicator.id.in_(list(indicator_ids)))


async def _measurements(
    session: AsyncSession, which: ColumnElement[bool]
) -> dict[int, list[Measurement]]:
    rows = await session.scalars(
        select(Measurement)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(which)
        .order_by(Measurement.measured_on, Measurement.id)
    )
    measured: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in rows:
        measured[measurement.indicator_id].append(measurement)
    return measured
