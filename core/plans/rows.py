"""Loads a whole plan's tasks in one statement, for the calculations over the plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Activity, Objective, Task, TaskStatus

Row = TypeVar("Row", bound=tuple)


class TaskRow(NamedTuple):
    id: int
    activity_id: int
    objective_id: int
    code: str
    title: str
    status: TaskStatus
    percent: int
    estimated_hours: Decimal
    logged_hours: Decimal
    weight: Decimal | None
    start_date: date | None
    due_date: date | None


class ScheduleRow(NamedTuple):
    """What the critical path reads of a task; a TaskRow serves as well."""

    id: int
    code: str
    title: str
    status: TaskStatus
    estimated_hours: Decimal
    start_date: date | None
    due_date: date | None


async def _in_plan_order(
    session: AsyncSession, plan_id: int, row: type[Row], *columns
) -> list[Row]:
    """The plan's tasks in plan order, as ``row`` tuples of ``columns``.

    Core execution on the session's connection gives plain rows, without the ORM's loading
    layer; they are copied once into a named tuple, whose fields the calculations read many
    times over far more cheaply than a result row's.
    """
    connection = await session.connection()
    result = await connection.execute(
        select(*columns)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan_id)
        .order_by(Objective.position, Activity.position, Task.position, Task.id)
    )
    return list(map(row._make, result.all()))


async def task_rows(session: AsyncSession, plan_id: int) -> list[TaskRow]:
    """Every task of the plan, with every field the calculations over the plan use."""
    return await _in_plan_order(
        session,
        plan_id,
        TaskRow,
        Task.id,
        Task.activity_id,
        Activity.objective_id,
        Task.code,
        Task.title,
        Task.status,
        Task.percent,
        Task.estimated_hours,
        Task.logged_hours,
        Task.weight,
        Task.start_date,
        Task.due_date,
    )


async def schedule_rows(session: AsyncSession, plan_id: int) -> list[ScheduleRow]:
    """Every task of the plan, with only what the critical path needs (a fifth less to read)."""
    return await _in_plan_order(
        session,
        plan_id,
        ScheduleRow,
        Task.id,
        Task.code,
        Task.title,
        Task.status,
        Task.estimated_hours,
        Task.start_date,
        Task.due_date,
    )
