"""A person's own tasks, as the bot shows them, and asking the coordinators for help."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Activity, Objective, Person, Plan, Task, TaskResponsible
from core.notify import outbox
from core.notify.reminders import OPEN
from core.people import people
from core.reporting import reports
from i18n import N_, gettext


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
) -> list[Person]:
    """Tell the secretariat's coordinators that the person needs help with the task (once a
    day); the coordinators told."""
    task, _plan = await reports.reportable_task(session, person, task_id)
    coordinators = await people.coordinators(session, person.secretariat_id, besides=person.id)
    for coordinator in coordinators:
        await outbox.enqueue(
            session,
            person=coordinator,
            kind="help_requested",
            key=f"help:{task.id}:{person.id}:{coordinator.id}:{now.date().isoformat()}",
            text=gettext(
                coordinator.language,
                N_("{name} needs help with task {task}. Please get in touch with them."),
                name=person.display_name,
                task=task.label,
            ),
            about=task,
        )
    return coordinators
