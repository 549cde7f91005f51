"""Reminders of what is due, by the plan's rules, in each person's time zone and outside quiet
hours.

Two kinds of things are due: an open task, on its due date, and each period of an indicator
whose value is missing, on the period's end plus the plan's grace. One loop applies the rules to
both (before the day, on it, late with escalation to coordinators, the Monday digest); each kind
says what its reminder reads, which buttons it carries, what its key names and what it is about.

``schedule_reminders`` is called periodically (the worker does it every few minutes); each
reminder has a key naming its rule, what it is about, the person and the local day, so calling
it again the same day adds nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from babel.dates import format_date, format_skeleton
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.buttons import MeasureButton, TaskAction, TaskButton
from core.models import (
    Absence,
    Activity,
    Entity,
    Indicator,
    Measurement,
    Objective,
    Person,
    Plan,
    ReminderKind,
    ReminderRule,
    Secretariat,
    Task,
    TaskStatus,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.people.people import coordinators, local_date
from core.plans.indicators import periods
from core.plans.periods import Period
from i18n import N_, Titled, date_span, gettext, locale_of, ngettext

OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)
# A value missing for longer is past reminding: the secretariat knows of it from the plan's
# views, and years of such periods would otherwise be counted in every reminder.
FORGOTTEN_AFTER = timedelta(days=365)
# No rule reminds earlier than this before the due day (a rule's days are so bounded).
AHEAD = timedelta(days=365)


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


def long_date(day: date, language: str) -> str:
    return format_date(day, format="long", locale=locale_of(language))


def short_date(day: date, language: str) -> str:
    """Day and abbreviated month in the language's order ("3 dic", "Dec 3"), for a button."""
    return format_skeleton("MMMd", day, locale=locale_of(language))


@dataclass(frozen=True)
class Due(ABC):
    """Something a plan's rules remind its responsibles of, due on ``due_on``."""

    plan_id: int
    secretariat_id: int
    due_on: date
    responsibles: Sequence[Person]

    # The heading of its lines in the Monday digest.
    digest_heading: ClassVar[str]

    @property
    @abstractmethod
    def about(self) -> Entity:
        """The entity its notifications concern."""

    @property
    @abstractmethod
    def subject(self) -> str:
        """What it is, as its notifications' keys name it."""

    @abstractmethod
    def reminder(self, kind: ReminderKind, today: date, language: str) -> str:
        """What a responsible reads on ``today`` by a rule of ``kind``."""

    @abstractmethod
    def buttons(self, language: str) -> dict[str, Any] | None:
        """The buttons under a responsible's reminder."""

    @abstractmethod
    def escalation(self, late: int, names: str, language: str) -> str:
        """What a coordinator reads when it is ``late`` days late, ``names`` answering for it."""

    @abstractmethod
    def digest_line(self, today: date, language: str) -> str | None:
        """Its line in the Monday digest, or None when it has no place there on ``today``."""


@dataclass(frozen=True)
class TaskDue(Due):
    task: Task

    digest_heading = N_("Your open tasks this week:")

    @property
    def about(self) -> Entity:
        return self.task

    @property
    def subject(self) -> str:
        # The task's id alone, as the keys written before measurements were reminded.
        return str(self.task.id)

    def reminder(self, kind: ReminderKind, today: date, language: str) -> str:
        label, due = self.task.label, long_date(self.due_on, language)
        if kind == ReminderKind.ON_DUE:
            return gettext(language, N_("Task {task} is due today ({due})."), task=label, due=due)
        days = (self.due_on - today).days
        if days > 0:
            return ngettext(
                language,
                "Task {task} is due tomorrow ({due}).",
                "Task {task} is due in {n} days ({due}).",
                days,
                task=label,
                due=due,
            )
        return ngettext(
            language,
            "Task {task} is overdue by {n} day (it was due {due}).",
            "Task {task} is overdue by {n} days (it was due {due}).",
            -days,
            task=label,
            due=due,
        )

    def buttons(self, language: str) -> dict[str, Any] | None:
        return task_buttons(language, self.task.id)

    def escalation(self, late: int, names: str, language: str) -> str:
        return ngettext(
            language,
            "Task {task} is {n} day late. Assigned to: {names}.",
            "Task {task} is {n} days late. Assigned to: {names}.",
            late,
            task=self.task.label,
            names=names,
        )

    def digest_line(self, today: date, language: str) -> str | None:
        return f"• {self.task.label.in_language(language)} — {long_date(self.due_on, language)}"


@dataclass(frozen=True)
class MeasurementDue(Due):
    """The value of an indicator's period, missing; ``earlier`` periods before it lack theirs
    too (within a year), and are named only by their number."""

    indicator: Indicator
    period: Period
    earlier: int

    digest_heading = N_("Indicator values to report:")

    @property
    def about(self) -> Entity:
        return self.indicator

    @property
    def subject(self) -> str:
        return f"indicator:{self.indicator.id}:{self.period.ends_on:%Y%m%d}"

    def reminder(self, kind: ReminderKind, today: date, language: str) -> str:
        days = (self.due_on - today).days
        params = {
            "indicator": Titled(self.indicator.name),
            "period": date_span(self.period.starts_on, self.period.ends_on, language),
            "due": long_date(self.due_on, language),
        }
        if kind == ReminderKind.ON_DUE:
            text = gettext(
                language,
                N_("Indicator {indicator} must report its value for {period} today ({due})."),
                **params,
            )
        elif days > 0:
            text = ngettext(
                language,
                "Indicator {indicator} must report its value for {period} tomorrow ({due}).",
                "Indicator {indicator} must report its value for {period} in {n} days ({due}).",
                days,
                **params,
            )
        else:
            text = ngettext(
                language,
                "The value of indicator {indicator} for {period} is overdue by {n} day "
                "(it was due {due}).",
                "The value of indicator {indicator} for {period} is overdue by {n} days "
                "(it was due {due}).",
                -days,
                **params,
            )
        return f"{text} {self._earlier(language)}" if self.earlier else text

    def _earlier(self, language: str) -> str:
        return ngettext(
            language,
            "{n} earlier period also lacks its value.",
            "{n} earlier periods also lack their value.",
            self.earlier,
        )

    def buttons(self, language: str) -> dict[str, Any] | None:
        button = MeasureButton.of(self.indicator.id, self.period.ends_on)
        return button.keyboard(gettext(language, N_("Report measurement")))

    def escalation(self, late: int, names: str, language: str) -> str:
        text = ngettext(
            language,
            "The value of indicator {indicator} for {period} is {n} day late. "
            "Assigned to: {names}.",
            "The value of indicator {indicator} for {period} is {n} days late. "
            "Assigned to: {names}.",
            late,
            indicator=Titled(self.indicator.name),
            period=date_span(self.period.starts_on, self.period.ends_on, language),
            names=names,
        )
        return f"{text} {self._earlier(language)}" if self.earlier else text

    def digest_line(self, today: date, language: str) -> str | None:
        if self.period.ends_on >= today:
            return None  # its period is not over: nothing to report yet
        name = Titled(self.indicator.name).in_language(language)
        period = date_span(self.period.starts_on, self.period.ends_on, language)
        return f"• {name}, {period} — {long_date(self.due_on, language)}"


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
    due = [
        *await _tasks_due(session, list(rules_by_plan)),
        *await _measurements_due(session, list(rules_by_plan), now),
    ]
    people = {person.id: person for item in due for person in item.responsibles}
    away: dict[int, list[Absence]] = defaultdict(list)
    for absence in await session.scalars(select(Absence).where(Absence.person_id.in_(people))):
        away[absence.person_id].append(absence)
    coordinators = await _coordinators(session, {item.secretariat_id for item in due})
    digests: dict[int, list[Due]] = defaultdict(list)

    for item in due:
        present = [
            person
            for person in item.responsibles
            if not any(a.starts_on <= local_date(person, now) <= a.ends_on for a in away[person.id])
        ]
        for rule in rules_by_plan[item.plan_id]:
            if rule.kind == ReminderKind.WEEKLY_DIGEST:
                for person in present:
                    if local_date(person, now).weekday() == 0:
                        digests[person.id].append(item)
                continue
            for person in present:
                today = local_date(person, now)
                if applies(rule, item.due_on, today):
                    await _write(
                        session,
                        person,
                        f"reminder:{rule.id}:{item.subject}:{person.id}:{today}",
                        item.reminder(rule.kind, today, person.language),
                        item.buttons(person.language),
                        quiet.next_send_time(now, person.time_zone),
                        item.about,
                    )
            if not rule.escalate_after_days:
                continue
            # Coordinators hear of a late item once a day, absent responsibles included.
            for coordinator in coordinators[item.secretariat_id]:
                today = local_date(coordinator, now)
                late = (today - item.due_on).days
                if applies(rule, item.due_on, today) and late >= rule.escalate_after_days:
                    names = ", ".join(p.display_name for p in item.responsibles)
                    await _write(
                        session,
                        coordinator,
                        f"escalation:{rule.id}:{item.subject}:{coordinator.id}:{today}",
                        item.escalation(
                            late,
                            names or gettext(coordinator.language, N_("nobody")),
                            coordinator.language,
                        ),
                        None,
                        quiet.next_send_time(now, coordinator.time_zone),
                        item.about,
                    )
    for person_id, items in digests.items():
        await _digest(session, people[person_id], items, now, quiet)


async def _tasks_due(session: AsyncSession, plan_ids: list[int]) -> list[TaskDue]:
    """The open tasks with a due date of the plans, their responsibles loaded."""
    rows = await session.execute(
        select(Task, Plan.id, Plan.secretariat_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .join(Plan, Plan.id == Objective.plan_id)
        .where(Plan.id.in_(plan_ids), Task.status.in_(OPEN), Task.due_date.is_not(None))
        .options(selectinload(Task.responsibles))
    )
    return [
        TaskDue(plan_id, secretariat_id, task.due_date, task.responsibles, task)
        for task, plan_id, secretariat_id in rows
        if task.due_date is not None
    ]


async def _measurements_due(
    session: AsyncSession, plan_ids: list[int], now: datetime
) -> list[MeasurementDue]:
    """For each indicator of the plans, the missing values worth a reminder as of the
    secretariat's day: the latest period whose value is due or late (counting the missing ones
    before it), and those due later. Three statements, whatever the number of indicators."""
    # A period's due day is at most 90 days after its end (the plan's grace is so bounded), and
    # a secretariat's day at most one from the UTC day.
    earliest = now.date() - FORGOTTEN_AFTER - timedelta(days=91)
    chosen = and_(Indicator.plan_id.in_(plan_ids), Indicator.ends_on >= earliest)
    rows = await session.execute(
        select(Indicator, Plan.measurement_grace_days, Secretariat)
        .join(Plan, Plan.id == Indicator.plan_id)
        .join(Secretariat, Secretariat.id == Plan.secretariat_id)
        .where(chosen)
    )
    # A period with a value, whatever its revision, is not reminded.
    measured = set(
        await session.execute(
            select(Measurement.indicator_id, Measurement.measured_on)
            .distinct()
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(chosen, Measurement.measured_on >= earliest)
        )
    )
    due = []
    for indicator, grace_days, secretariat in rows:
        today = local_date(secretariat, now)
        missing = [
            period
            for period in periods(indicator)
            if (indicator.id, period.ends_on) not in measured
            and -AHEAD <= today - period.due_on(grace_days) <= FORGOTTEN_AFTER
        ]
        # Of the periods due by today only the latest is reminded: one reminder a day for an
        # indicator, however many values it lacks.
        reached = sum(1 for period in missing if period.due_on(grace_days) <= today)
        first = max(reached - 1, 0)
        for earlier, period in enumerate(missing[first:], start=first):
            due.append(
                MeasurementDue(
                    indicator.plan_id,
                    secretariat.id,
                    period.due_on(grace_days),
                    indicator.responsibles,
                    indicator,
                    period,
                    earlier,
                )
            )
    return due


async def _digest(
    session: AsyncSession, person: Person, items: list[Due], now: datetime, quiet: QuietHours
) -> None:
    """The person's Monday list of what is due: their open tasks, then the values their
    indicators lack for periods that are over."""
    today = local_date(person, now)
    language = person.language
    sections = []
    for kind in (TaskDue, MeasurementDue):
        lines = [
            line
            for item in sorted(items, key=lambda item: item.due_on)
            if isinstance(item, kind) and (line := item.digest_line(today, language)) is not None
        ]
        if lines:
            sections.append("\n".join([gettext(language, kind.digest_heading), *lines]))
    if not sections:
        return
    week = today.isocalendar()
    await _write(
        session,
        person,
        f"digest:{person.id}:{week.year}-{week.week}",
        "\n\n".join(sections),
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
    about: Entity | None,
) -> None:
    await outbox.enqueue(
        session,
        person=person,
        kind="reminder",
        key=key,
        text=text,
        markup=markup,
        scheduled_at=when,
        about=about,
    )


async def _coordinators(
    session: AsyncSession, secretariat_ids: set[int]
) -> dict[int, list[Person]]:
    found: dict[int, list[Person]] = defaultdict(list)
    for person in await coordinators(session, *secretariat_ids):
        found[person.secretariat_id].append(person)
    return found
