"""Loads a whole plan's tasks in one statement, for the calculations over the plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Activity, Objective, Task, TaskStatus


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


async def task_rows(session: AsyncSession, plan_id: int) -> Sequence[TaskRow]:
    """Every task of the plan in plan order, as rows with exactly TaskRow's fields.

    Core execution on the session's connection gives plain rows, without the ORM's loading
    layer; they are named tuples already, so they are returned as they come.
    """
    connection = await session.connection()
    result = await connection.execute(
        select(
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
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan_id)
        .order_by(Objective.position, Activity.position, Task.position, Task.id)
    )
    return result.all()  # type: ignore[return-value]
