"""Critical path of a plan: earliest and latest dates, slack, and the chain that sets the end.

A task lasts from its start to its due date (inclusive) when both are set, otherwise its
estimated hours over working days of ``HOURS_PER_DAY`` (at least one day); a cancelled task
lasts nothing. A start date is a "start no earlier than" constraint. Dependencies are
finish-to-start with a lag in days.

Dates and hours are bounded where they are typed (``core.infra.values``), but a plan stored
before that may hold anything: a task lasts at most ``MAX_DURATION_DAYS``, and a date the
passes carry past the calendar's last day (or before its first) is shown as that day, so every
view of the plan still answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.values import FIRST_DAY, LAST_DAY
from core.models import TaskStatus
from core.plans.dependencies import plan_edges
from core.plans.graphs import PlanGraphs
from core.plans.plans import get_plan
from core.plans.tasks import schedule_rows

HOURS_PER_DAY = 8
# The widest span of dates a plan accepts.
MAX_DURATION_DAYS = (LAST_DAY - FIRST_DAY).days + 1
LAST_ORDINAL = date.max.toordinal()


@dataclass(slots=True)
class ScheduledTask:
    task_id: int
    code: str
    title: str
    duration_days: int
    earliest_start: date
    earliest_finish: date
    latest_start: date
    latest_finish: date
    slack_days: int
    critical: bool


@dataclass(frozen=True)
class Schedule:
    start: date
    finish: date
    tasks: list[ScheduledTask]
    critical_path: list[int]


class Schedulable(Protocol):
    """What the critical path reads of a task: a ScheduleRow, or a TaskRow as well."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> TaskStatus: ...
    @property
    def estimated_hours(self) -> Decimal: ...
    @property
    def start_date(self) -> date | None: ...
    @property
    def due_date(self) -> date | None: ...


def duration(row: Schedulable) -> int:
    """Days the task lasts, from 0 (cancelled) to ``MAX_DURATION_DAYS``."""
    if row.status == TaskStatus.CANCELLED:
        return 0
    if row.start_date and row.due_date:
        days = (row.due_date - row.start_date).days + 1
    else:
        days = math.ceil(row.estimated_hours / HOURS_PER_DAY)
    return min(max(1, days), MAX_DURATION_DAYS)


def calendar_day(ordinal: int) -> date:
    """The date of ``ordinal``, held within the calendar's first and last days."""
    return date.fromordinal(min(max(1, ordinal), LAST_ORDINAL))


def compute_schedule(
    rows: Sequence[Schedulable], edges: Sequence[tuple[int, int, int]], default_start: date
) -> Schedule:
    """Forward and backward passes over the dependency graph.

    Tasks are numbered by position and days counted as offsets from the plan's start: plain
    lists of integers, and loops that keep their values in local names, hold a plan of
    thousands of tasks well within a request's time.
    """
    origin = min((row.start_date for row in rows if row.start_date), default=default_start)
    first_day = origin.toordinal()
    position = {row.id: index for index, row in enumerate(rows)}
    count = len(rows)
    predecessors: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    successors: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for predecessor, successor, lag in edges:
        before, after = position[predecessor], position[successor]
        predecessors[after].append((before, lag))
        successors[before].append((after, lag))
    order = _topological_order(predecessors, successors)
    length = [duration(row) for row in rows]

    early_finish = [0] * count
    for task in order:
        floor = rows[task].start_date
        earliest = floor.toordinal() - first_day if floor else 0
        for before, lag in predecessors[task]:
            ready = early_finish[before] + lag
            if ready > earliest:
                earliest = ready
        early_finish[task] = earliest + length[task]
    end = max(early_finish, default=0)
    late_start = [0] * count
    for task in reversed(order):
        latest = end
        for after, lag in successors[task]:
            needed = late_start[after] - lag
            if needed < latest:
                latest = needed
        late_start[task] = latest - length[task]

    day = calendar_day
    scheduled = []
    for index, row in enumerate(rows):
        days = length[index]
        finish, late = early_finish[index] + first_day, late_start[index] + first_day
        start = finish - days
        slack = late - start
        scheduled.append(
            ScheduledTask(
                row.id,
                row.code,
                row.title,
                days,
                day(start),
                day(finish - 1 if days else start),
                day(late),
                day(late + days - 1 if days else late),
                slack,
                slack == 0,
            )
        )
    chain = _critical_chain(order, early_finish, length, predecessors, end)
    return Schedule(
        start=origin,
        finish=day(first_day + max(0, end - 1)),
        tasks=scheduled,
        critical_path=[rows[index].id for index in chain],
    )


def _topological_order(
    predecessors: list[list[tuple[int, int]]], successors: list[list[tuple[int, int]]]
) -> list[int]:
    """Kahn's algorithm; dependencies are acyclic (cycles are refused when added)."""
    waiting = [len(before) for before in predecessors]
    order = [task for task, count in enumerate(waiting) if count == 0]
    for task in order:  # the list grows as tasks become free
        for after, _lag in successors[task]:
            waiting[after] -= 1
            if waiting[after] == 0:
                order.append(after)
    if len(order) != len(waiting):
        raise ValueError("the plan's dependencies contain a cycle")
    return order


def _critical_chain(
    order: list[int],
    early_finish: list[int],
    length: list[int],
    predecessors: list[list[tuple[int, int]]],
    end: int,
) -> list[int]:
    """Walk back from a task that ends the plan through predecessors that leave no gap."""
    current = next((t for t in order if early_finish[t] == end), None)
    chain = []
    while current is not None:
        chain.append(current)
        start = early_finish[current] - length[current]
        current = next(
            (p for p, lag in predecessors[current] if early_finish[p] + lag == start), None
        )
    return chain[::-1]


async def plan_schedule(
    session: AsyncSession, secretariat_id: int, plan_id: int, graphs: PlanGraphs | None = None
) -> Schedule:
    """The plan's schedule, in three statements whatever the plan's size; with ``graphs``, the
    dependencies are read again only when they may have changed."""
    plan = await get_plan(session, secretariat_id, plan_id)
    rows = await schedule_rows(session, plan.id)
    edges = await (graphs.edges(session, plan.id) if graphs else plan_edges(session, plan.id))
    return compute_schedule(rows, edges, date(plan.year, 1, 1))
