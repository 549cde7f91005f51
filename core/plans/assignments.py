"""Telling people that a task is now theirs.

Whoever becomes responsible for an open task (a task created or changed through the admin API,
or a plan imported from a spreadsheet) and is on Telegram is sent one message: the task, its
plan, its dates and inputs, and the button that starts a progress report. The message's key
names the task and the person, so it is never sent twice; someone already responsible hears
nothing new.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.models import Person, Plan, Task
from core.notify import outbox
from core.notify.reminders import OPEN, long_date, task_buttons
from i18n import N_, gettext


def _day(day: date | None, language: str) -> str:
    return long_date(day, language) if day else gettext(language, N_("not set"))


def assignment_text(task: Task, plan_title: str, language: str) -> str:
    """What a new responsible reads: the task, its plan, dates and inputs."""
    inputs = "; ".join(task.inputs) if task.inputs else gettext(language, N_("none"))
    return "\n".join(
        [
            gettext(
                language,
                N_("You are now responsible for task {task} of the plan “{plan}”."),
                task=task.label,
                plan=plan_title,
            ),
            gettext(language, N_("Start: {date}"), date=_day(task.start_date, language)),
            gettext(language, N_("Due: {date}"), date=_day(task.due_date, language)),
            gettext(language, N_("Inputs: {inputs}"), inputs=inputs),
            gettext(language, N_("Report your progress with the button below.")),
        ]
    )


async def tell_assigned(
    session: AsyncSession, task: Task, plan_title: str, people: Iterable[Person]
) -> None:
    """Tell each of ``people``, just made responsible for the task, who is on Telegram, once."""
    if task.status not in OPEN:
        return
    for person in people:
        if person.telegram_id is None or not person.reachable:
            continue
        await outbox.enqueue(
            session,
            person=person,
            kind="task_assigned",
            key=f"assigned:{task.id}:{person.id}",
            text=assignment_text(task, plan_title, person.language),
            markup=task_buttons(person.language, task.id, ("report",)),
            about=task,
        )


async def tell_everyone_assigned(
    session: AsyncSession, plan: Plan, task_ids: Collection[int]
) -> None:
    """Tell the responsibles of each of a new plan's tasks (a spreadsheet imported)."""
    found = await session.scalars(
        select(Task)
        .where(Task.id.in_(task_ids))
        .options(selectinload(Task.responsibles))
        .order_by(Task.id)
    )
    for task in found:
        await tell_assigned(session, task, plan.title, task.responsibles)
