"""Plans and their parts, loaded within a secretariat: an id of another is treated as missing."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.models import Activity, Indicator, Objective, Plan, Task
from i18n import N_

T = TypeVar("T")


def plan_of_task() -> Select[Any]:
    return select(Task, Plan).join(Task.activity).join(Activity.objective).join(Objective.plan)


async def _one(session: AsyncSession, query: Select[tuple[T]], missing: str, item_id: int) -> T:
    """The item ``query`` finds; ``missing`` names the id when it finds none."""
    item = await session.scalar(query)
    if item is None:
        raise NotFound(missing, id=item_id)
    return item


async def get_plan(session: AsyncSession, secretariat_id: int, plan_id: int) -> Plan:
    query = select(Plan).where(Plan.id == plan_id, Plan.secretariat_id == secretariat_id)
    return await _one(session, query, N_("Plan {id} not found."), plan_id)


async def get_objective(session: AsyncSession, secretariat_id: int, objective_id: int) -> Objective:
    query = (
        select(Objective)
        .join(Objective.plan)
        .where(Objective.id == objective_id, Plan.secretariat_id == secretariat_id)
    )
    return await _one(session, query, N_("Objective {id} not found."), objective_id)


async def get_activity(session: AsyncSession, secretariat_id: int, activity_id: int) -> Activity:
    query = (
        select(Activity)
        .join(Activity.objective)
        .join(Objective.plan)
        .where(Activity.id == activity_id, Plan.secretariat_id == secretariat_id)
    )
    return await _one(session, query, N_("Activity {id} not found."), activity_id)


async def get_task(session: AsyncSession, secretariat_id: int, task_id: int) -> tuple[Task, Plan]:
    row = (
        await session.execute(
            plan_of_task().where(Task.id == task_id, Plan.secretariat_id == secretariat_id)
        )
    ).first()
    if row is None:
        raise NotFound(N_("Task {id} not found."), id=task_id)
    return row.Task, row.Plan


async def get_indicator(session: AsyncSession, secretariat_id: int, indicator_id: int) -> Indicator:
    query = (
        select(Indicator)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(Indicator.id == indicator_id, Plan.secretariat_id == secretariat_id)
    )
    return await _one(session, query, N_("Indicator {id} not found."), indicator_id)
