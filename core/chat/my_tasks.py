"""A person's own tasks, as the bot shows them, and asking the coordinators for help."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Person, Task, TaskResponsible
from core.notify import outbox
from core.notify.reminders import OPEN
from core.people import people
from core.reporting import reports
from i18n import N_, gettext


def is_overdue(task: Task, today: date) -> bool:
    return task.due_date is not None and task.due_date < today


async def open_tasks(session: AsyncSession, person: Person, today: date) -> list[Task]:
    """The person's open tasks: overdue first, then by due date (undated last)."""
    tasks = await session.scalars(
        select(Task)
        .join(TaskResponsible, TaskResponsible.task_id == Task.id)
        .where(TaskResponsible.person_id == person.id, Task.status.in_(OPEN))
    )
    return sorted(
        tasks,
        key=lambda task: (
            not is_overdue(task, today),
            task.due_date is None,
            task.due_date or date.max,
            task.code,
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
