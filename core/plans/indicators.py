"""Indicators of a plan and the measurements reported for them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.errors import Conflict, InvalidInput
from core.infra.values import frequency as frequency_value
from core.infra.values import quantity, text
from core.models import Frequency, Indicator, Measurement
from core.people import people
from core.plans import scope
from i18n import N_


async def create_indicator(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
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
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    if objective_id is not None:
        objective = await scope.get_objective(session, secretariat_id, objective_id)
        if objective.plan_id != plan.id:
            raise InvalidInput(N_("Objective {id} is not part of this plan."), id=objective_id)
    if responsible_id is not None:
        await people.get_person(session, secretariat_id, responsible_id)
    frequency = frequency_value(frequency)
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
        frequency=frequency,
        method=method,
        baseline=quantity(baseline, "baseline"),
        goal=quantity(goal, "goal"),
        means_of_verification=means_of_verification,
        responsible_id=responsible_id,
    )
    session.add(indicator)
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="indicator.create",
        entity_type="indicator",
        entity_id=indicator.id,
        secretariat_id=secretariat_id,
        plan_id=plan.id,
        data={"name": name, "baseline": indicator.baseline, "goal": indicator.goal},
    )
    return indicator


async def record_measurement(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    indicator_id: int,
    *,
    measured_on: date,
    value: Any,
    note: str | None = None,
    reported_by_id: int | None = None,
) -> Measurement:
    indicator = await scope.get_indicator(session, secretariat_id, indicator_id)
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
    session.add(measurement)
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="measurement.create",
        entity_type="measurement",
        entity_id=measurement.id,
        secretariat_id=secretariat_id,
        plan_id=indicator.plan_id,
        data={"indicator_id": indicator.id, "measured_on": measured_on, "value": measurement.value},
    )
    return measurement
