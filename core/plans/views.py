"""Views over a whole plan: a Gantt-ready timeline, what needs attention, and workload.

Each view loads the plan with a fixed number of statements (tasks, dependencies, people in
one go each) and computes in memory, so its cost in queries does not grow with the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import HelpKind, Person, Task, TaskResponsible, TaskStatus
from core.plans.dependencies import plan_edges
from core.plans.plans import get_plan
from core.plans.schedule import Schedule, compute_schedule
from core.plans.structure import objectives_and_activities
from core.plans.tasks import TaskRow, in_plan, task_rows
from core.reporting import help_requests
from core.reporting.help_requests import HelpRequestView
from core.reporting.reports import blocked_reasons

FINISHED = (TaskStatus.DONE, TaskStatus.CANCELLED)


@dataclass(frozen=True)
class Responsible:
    person_id: int
    name: str


async def responsibles_by_task(session: AsyncSession, plan_id: int) -> dict[int, list[Responsible]]:
    query = (
        select(TaskResponsible.task_id, Person.id, Person.name, Person.telegram_username)
        .join(Person, Person.id == TaskResponsible.person_id)
        .join(Task, Task.id == TaskResponsible.task_id)
    )
    rows = await session.execute(
        in_plan(query, plan_id).order_by(TaskResponsible.task_id, Person.id)
    )
    result: dict[int, list[Responsible]] = defaultdict(list)
    for task_id, person_id, name, username in rows:
        label = name or (f"@{username}" if username else f"#{person_id}")
        result[task_id].append(Responsible(person_id, label))
    return result


@dataclass(frozen=True)
class TimelineItem:
    id: int
    kind: str
    parent_id: int | None
    code: str
    title: str
    start: date | None
    finish: date | None
    percent: float
    status: TaskStatus | None = None
    critical: bool = False
    slack_days: int | None = None
    responsible_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Timeline:
    start: date
    finish: date
    items: list[TimelineItem]
    links: Sequence[tuple[int, int, int]]


def _span(children: list[TimelineItem]) -> tuple[date | None, date | None]:
    starts = [child.start for child in children if child.start]
    finishes = [child.finish for child in children if child.finish]
    return (min(starts, default=None), max(finishes, default=None))


async def plan_timeline(session: AsyncSession, secretariat_id: int, plan_id: int) -> Timeline:
    """Objectives, activities and tasks with scheduled dates, in display order, and links."""
    plan = await get_plan(session, secretariat_id, plan_id)
    structure = await objectives_and_activities(session, plan.id)
    rows = await task_rows(session, plan.id)
    edges = await plan_edges(session, plan.id)
    people = await responsibles_by_task(session, plan.id)
    schedule = compute_schedule(rows, edges, date(plan.year, 1, 1))
    scheduled = {item.task_id: item for item in schedule.tasks}
    tasks_by_activity: dict[int, list[TimelineItem]] = defaultdict(list)
    for row in rows:
        timing = scheduled[row.id]
        done = row.status == TaskStatus.DONE
        tasks_by_activity[row.activity_id].append(
            TimelineItem(
                id=row.id,
                kind="task",
                parent_id=row.activity_id,
                code=row.code,
                title=row.title,
                start=timing.earliest_start,
                finish=timing.earliest_finish,
                percent=100.0 if done else float(row.percent),
                status=row.status,
                critical=timing.critical,
                slack_days=timing.slack_days,
                responsible_ids=[person.person_id for person in people.get(row.id, [])],
            )
        )
    items: list[TimelineItem] = []
    for objective, activities in structure:
        objective_tasks: list[TimelineItem] = []
        activity_items: list[TimelineItem] = []
        for activity in activities:
            tasks = tasks_by_activity[activity.id]
            objective_tasks.extend(tasks)
            start, finish = _span(tasks)
            activity_items.append(
                TimelineItem(
                    activity.id,
                    "activity",
                    objective.id,
                    activity.code,
                    activity.title,
                    start,
                    finish,
                    _mean_percent(tasks),
                )
            )
            activity_items.extend(tasks)
        start, finish = _span(objective_tasks)
        items.append(
            TimelineItem(
                objective.id,
                "objective",
                None,
                objective.code,
                objective.title,
                start,
                finish,
                _mean_percent(objective_tasks),
            )
        )
        items.extend(activity_items)
    return Timeline(schedule.start, schedule.finish, items, edges)


def _mean_percent(tasks: list[TimelineItem]) -> float:
    """Plain mean for the bar's fill; the weighted roll-up is the progress view's job."""
    counted = [task.percent for task in tasks if task.status != TaskStatus.CANCELLED]
    return round(sum(counted) / len(counted), 1) if counted else 0.0


@dataclass(frozen=True)
class AttentionItem:
    task_id: int
    code: str
    title: str
    status: TaskStatus
    percent: int
    due_date: date | None
    days_overdue: int
    responsibles: list[Responsible]
    waiting_on: list[str]
    blocked_reason: str | None


@dataclass(frozen=True)
class Attention:
    as_of: date
    overdue: list[AttentionItem]
    blocked: list[AttentionItem]
    help_requests: list[HelpRequestView]


async def plan_attention(
    session: AsyncSession, secretariat_id: int, plan_id: int, as_of: date
) -> Attention:
    """Tasks past their due date and not finished; tasks marked blocked, with what blocks them
    as last reported and the unfinished tasks they wait for; open requests for help."""
    plan = await get_plan(session, secretariat_id, plan_id)
    rows = await task_rows(session, plan.id)
    edges = await plan_edges(session, plan.id)
    people = await responsibles_by_task(session, plan.id)
    reasons = await blocked_reasons(
        session, [row.id for row in rows if row.status == TaskStatus.BLOCKED]
    )
    asked = await help_requests.open_in_plan(session, plan.id, HelpKind.HELP)
    by_id = {row.id: row for row in rows}
    waiting: dict[int, list[str]] = defaultdict(list)
    for predecessor, successor, _lag in edges:
        if by_id[predecessor].status not in FINISHED:
            waiting[successor].append(by_id[predecessor].code)

    def item(row: TaskRow) -> AttentionItem:
        late = (as_of - row.due_date).days if row.due_date and row.due_date < as_of else 0
        return AttentionItem(
            row.id,
            row.code,
            row.title,
            row.status,
            row.percent,
            row.due_date,
            late,
            people.get(row.id, []),
            waiting.get(row.id, []),
            reasons.get(row.id),
        )

    overdue = [
        item(row)
        for row in rows
        if row.due_date and row.due_date < as_of and row.status not in FINISHED
    ]
    overdue.sort(key=lambda entry: (-entry.days_overdue, entry.code))
    blocked = [item(row) for row in rows if row.status == TaskStatus.BLOCKED]
    return Attention(as_of, overdue, blocked, list(asked))


@dataclass
class PersonWorkload:
    person_id: int
    name: str
    total_hours: Decimal = Decimal(0)
    weeks: dict[date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def _working_days(start: date, finish: date) -> list[date]:
    days = [start + timedelta(days=n) for n in range((finish - start).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    return weekdays or days


def spread_hours(
    schedule: Schedule, hours: dict[int, Decimal], people: dict[int, list[Responsible]]
) -> list[PersonWorkload]:
    """Each task's hours, shared equally by its responsibles, spread evenly over the working
    days (Monday to Friday) of its scheduled span, summed per person and ISO week."""
    loads: dict[int, PersonWorkload] = {}
    for timing in schedule.tasks:
        assigned = people.get(timing.task_id, [])
        task_hours = hours.get(timing.task_id, Decimal(0))
        if not assigned or not task_hours or not timing.duration_days:
            continue
        days = _working_days(timing.earliest_start, timing.earliest_finish)
        share = task_hours / len(assigned) / len(days)
        per_week: dict[date, Decimal] = defaultdict(Decimal)
        for day in days:
            per_week[day - timedelta(days=day.weekday())] += share
        for person in assigned:
            load = loads.setdefault(person.person_id, PersonWorkload(person.person_id, person.name))
            load.total_hours += task_hours / len(assigned)
            for monday, amount in per_week.items():
                load.weeks[monday] += amount
    return sorted(loads.values(), key=lambda load: (-load.total_hours, load.name))


async def plan_workload(
    session: AsyncSession, secretariat_id: int, plan_id: int
) -> list[PersonWorkload]:
    """Planned hours per person and week (cancelled tasks left out)."""
    plan = await get_plan(session, secretariat_id, plan_id)
    rows = await task_rows(session, plan.id)
    edges = await plan_edges(session, plan.id)
    people = await responsibles_by_task(session, plan.id)
    schedule = compute_schedule(rows, edges, date(plan.year, 1, 1))
    hours = {row.id: row.estimated_hours for row in rows if row.status != TaskStatus.CANCELLED}
    return spread_hours(schedule, hours, people)
