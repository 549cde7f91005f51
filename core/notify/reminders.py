"""Reminders of tasks, by the plan's rules, in each person's time zone and outside quiet hours.

``schedule_reminders`` is called periodically (the worker does it every few minutes); each
reminder has a key naming its rule, task, person and local day, so calling it again the same day
adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_skeleton
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.buttons import TaskAction, TaskButton
from core.models import (
    Absence,
    Activity,
    Objective,
    Person,
    Plan,
    ReminderKind,
    ReminderRule,
    Task,
    TaskStatus,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.people.people import coordinators, local_date
from i18n import N_, gettext, locale_of, ngettext

OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)


TASK_ACTIONS: dict[TaskAction, str] = {
    "report": N_("Report progress"),
    "done": N_("I finished"),
    "help": N_("I need help"),
}


def task_buttons(
    language: str, task_id: int, actions: tuple[TaskAction, ...] = ("report", "done", "help")
) -> dict[str, Any]:
    """The buttons of a reminder (or only ``actions`` of them); the bot checks the presser is a
    responsible of the task."""
    return {
        "inline_keyboard": [
            [
                {
                    "text": gettext(language, TASK_ACTIONS[action]),
                    "callback_data": TaskButton(task_id, action).pack(),
                }
            ]
            for action in actions
        ]
    }


def _due(task: Task) -> date:
    # Reminders are written only for tasks with a due date (schedule_reminders' query).
    assert task.due_date is not None
    return task.due_date


def long_date(day: date, language: str) -> str:
    return format_date(day, format="long", locale=locale_of(language))


def short_date(day: date, language: str) -> str:
    """Day and abbreviated month in the language's order ("3 dic", "Dec 3"), for a button."""
    return format_skeleton("MMMd", day, locale=locale_of(language))


def reminder_text(kind: ReminderKind, task: Task, today: date, language: str) -> str:
    due = long_date(_due(task), language)
    if kind == ReminderKind.ON_DUE:
        return gettext(language, N_("Task {task} is due today ({due})."), task=task.label, due=due)
    days = (_due(task) - today).days
    if days > 0:
        return ngettext(
            language,
            "Task {task} is due tomorrow ({due}).",
            "Task {task} is due in {n} days ({due}).",
            days,
            task=task.label,
            due=due,
        )
    return ngettext(
        language,
        "Task {task} is overdue by {n} day (it was due {due}).",
        "Task {task} is overdue by {n} days (it was due {due}).",
        -days,
        task=task.label,
        due=due,
    )


def applies(rule: ReminderRule, due: date, today: date) -> bool:
    late = (today - due).days
    if rule.kind == ReminderKind.BEFORE_DUE:
        return -late == rule.days and rule.days > 0
    if rule.kind == ReminderKind.ON_DUE:
        return late == 0
    if rule.kind == ReminderKind.OVERDUE:
        return late > 0 and late % max(rule.days, 1) == 0
    return False


async def schedule_reminders(session: AsyncSession, now: datetime, quiet: QuietHours) -> None:
    """Write the reminders due at ``now`` into the outbox, in the caller's transaction."""
    rules_by_plan: dict[int, list[ReminderRule]] = defaultdict(list)
    for rule in await session.scalars(select(ReminderRule).where(ReminderRule.active.is_(True))):
        rules_by_plan[rule.plan_id].append(rule)
    if not rules_by_plan:
        return
    rows = (
        await session.execute(
            select(Task, Plan.id, Plan.secretariat_id)
            .join(Activity, Activity.id == Task.activity_id)
            .join(Objective, Objective.id == Activity.objective_id)
            .join(Plan, Plan.id == Objective.plan_id)
            .where(Plan.id.in_(rules_by_plan), Task.status.in_(OPEN), Task.due_date.is_not(None))
            .options(selectinload(Task.responsibles))
        )
    ).all()
    people = {person.id: person for task, _, _ in rows for person in task.responsibles}
    away: dict[int, list[Absence]] = defaultdict(list)
    for absence in await session.scalars(select(Absence).where(Absence.person_id.in_(people))):
        away[absence.person_id].append(absence)
    coordinators = await _coordinators(session, {secretariat for _, _, secretariat in rows})
    digests: dict[int, list[Task]] = defaultdict(list)

    for task, plan_id, secretariat_id in rows:
        present = [
            person
            for person in task.responsibles
            if not any(a.starts_on <= local_date(person, now) <= a.ends_on for a in away[person.id])
        ]
        for rule in rules_by_plan[plan_id]:
            if rule.kind == ReminderKind.WEEKLY_DIGEST:
                for person in present:
                    if local_date(person, now).weekday() == 0:
                        digests[person.id].append(task)
                continue
            for person in present:
                today = local_date(person, now)
                if applies(rule, _due(task), today):
                    await _write(
                        session,
                        person,
                        f"reminder:{rule.id}:{task.id}:{person.id}:{today}",
                        reminder_text(rule.kind, task, today, person.language),
                        task_buttons(person.language, task.id),
                        quiet.next_send_time(now, person.time_zone),
                        task,
                    )
            if not rule.escalate_after_days:
                continue
            # Coordinators hear of a late task once a day, absent responsibles included.
            for coordinator in coordinators[secretariat_id]:
                today = local_date(coordinator, now)
                late = (today - _due(task)).days
                if applies(rule, _due(task), today) and late >= rule.escalate_after_days:
                    await _write(
                        session,
                        coordinator,
                        f"escalation:{rule.id}:{task.id}:{coordinator.id}:{today}",
                        ngettext(
                            coordinator.language,
                            "Task {task} is {n} day late. Assigned to: {names}.",
                            "Task {task} is {n} days late. Assigned to: {names}.",
                            late,
                            task=task.label,
                            names=", ".join(p.display_name for p in task.responsibles),
                        ),
                        None,
                        quiet.next_send_time(now, coordinator.time_zone),
                        task,
                    )
    for person_id, tasks in digests.items():
        person = people[person_id]
        today = local_date(person, now)
        week = today.isocalendar()
        language = person.language
        lines = [
            gettext(language, N_("Your open tasks this week:")),
            *(
                f"• {task.label.in_language(language)} — {long_date(_due(task), language)}"
                for task in sorted(tasks, key=_due)
            ),
        ]
        await _write(
            session,
            person,
            f"digest:{person.id}:{week.year}-{week.week}",
            "\n".join(lines),
            None,
            quiet.next_send_time(now, person.time_zone),
            None,
        )


async def _write(
    session: AsyncSession,
    person: Person,
    key: str,
    text: str,
    markup: dict[str, Any] | None,
    when: datetime,
    task: Task | None,
) -> None:
    await outbox.enqueue(
        session,
        person=person,
        kind="reminder",
        key=key,
        text=text,
        markup=markup,
        scheduled_at=when,
        about=task,
    )


async def _coordinators(
    session: AsyncSession, secretariat_ids: set[int]
) -> dict[int, list[Person]]:
    found: dict[int, list[Person]] = defaultdict(list)
    for person in await coordinators(session, *secretariat_ids):
        found[person.secretariat_id].append(person)
    return found
