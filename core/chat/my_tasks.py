"""A person's own tasks, as the bot shows them, and asking the coordinators for help."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Activity, HelpRequest, Objective, Person, Plan, Task, TaskResponsible
from core.notify.reminders import OPEN
from core.reporting import help_requests, reports


def is_overdue(task: Task, today: date) -> bool:
    return task.due_date is not None and task.due_date < today


class OpenTask(NamedTuple):
    task: Task
    plan_title: str


async def open_tasks(session: AsyncSession, person: Person, today: date) -> list[OpenTask]:
    """The person's open tasks with the title of their plan: overdue first, then by due date
    (undated last)."""
    rows = await session.execute(
        select(Task, Plan.title)
        .join(TaskResponsible, TaskResponsible.task_id == Task.id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .join(Plan, Plan.id == Objective.plan_id)
        .where(TaskResponsible.person_id == person.id, Task.status.in_(OPEN))
    )
    found = [OpenTask(task, title) for task, title in rows]
    return sorted(
        found,
        key=lambda open_task: (
            not is_overdue(open_task.task, today),
            open_task.task.due_date is None,
            open_task.task.due_date or date.max,
            open_task.task.code,
        ),
    )


async def ask_for_help(
    session: AsyncSession, person: Person, task_id: int, now: datetime
) -> HelpRequest:
    """Ask the secretariat's coordination for help with one of the person's tasks: the request,
    kept for the coordination, and sent to each coordinator on Telegram once a day."""
    task, _plan = await reports.reportable_task(session, person, task_id)
    return await help_requests.ask_for_help(session, person, task, now)
