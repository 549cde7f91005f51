"""Tenant-scoped loading: an id of another secretariat is treated exactly like a missing one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.i18n import N_
from core.errors import NotFound
from core.models import Activity, Indicator, Objective, Person, Plan, Task


def plan_of_task() -> Select[Any]:
    return select(Task, Plan).join(Task.activity).join(Activity.objective).join(Objective.plan)


async def get_plan(session: AsyncSession, secretariat_id: int, plan_id: int) -> Plan:
    plan = await session.scalar(
        select(Plan).where(Plan.id == plan_id, Plan.secretariat_id == secretariat_id)
    )
    if plan is None:
        raise NotFound(N_("Plan {id} not found."), id=plan_id)
    return plan


async def get_objective(session: AsyncSession, secretariat_id: int, objective_id: int) -> Objective:
    objective = await session.scalar(
        select(Objective)
        .join(Objective.plan)
        .where(Objective.id == objective_id, Plan.secretariat_id == secretariat_id)
    )
    if objective is None:
        raise NotFound(N_("Objective {id} not found."), id=objective_id)
    return objective


async def get_activity(session: AsyncSession, secretariat_id: int, activity_id: int) -> Activity:
    activity = await session.scalar(
        select(Activity)
        .join(Activity.objective)
        .join(Objective.plan)
        .where(Activity.id == activity_id, Plan.secretariat_id == secretariat_id)
    )
    if activity is None:
        raise NotFound(N_("Activity {id} not found."), id=activity_id)
    return activity


async def get_task(session: AsyncSession, secretariat_id: int, task_id: int) -> tuple[Task, Plan]:
    row = (
        await session.execute(
            plan_of_task().where(Task.id == task_id, Plan.secretariat_id == secretariat_id)
        )
    ).first()
    if row is None:
        raise NotFound(N_("Task {id} not found."), id=task_id)
    return row.Task, row.Plan


async def get_person(session: AsyncSession, secretariat_id: int, person_id: int) -> Person:
    person = await session.scalar(
        select(Person).where(Person.id == person_id, Person.secretariat_id == secretariat_id)
    )
    if person is None:
        raise NotFound(N_("Person {id} not found."), id=person_id)
    return person


async def get_indicator(session: AsyncSession, secretariat_id: int, indicator_id: int) -> Indicator:
    indicator = await session.scalar(
        select(Indicator)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(Indicator.id == indicator_id, Plan.secretariat_id == secretariat_id)
    )
    if indicator is None:
        raise NotFound(N_("Indicator {id} not found."), id=indicator_id)
    return indicator
