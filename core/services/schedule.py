"""Critical path of a plan: earliest and latest dates, slack, and the chain that sets the end.

A task lasts from its start to its due date (inclusive) when both are set, otherwise its
estimated hours over working days of ``HOURS_PER_DAY`` (at least one day); a cancelled task
lasts nothing. A start date is a "start no earlier than" constraint. Dependencies are
finish-to-start with a lag in days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from core.models import TaskStatus
from core.services import scope
from core.services.dependencies import plan_edges
from core.services.plan_rows import TaskRow, task_rows

HOURS_PER_DAY = 8


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


def duration(row: TaskRow) -> int:
    if row.status == TaskStatus.CANCELLED:
        return 0
    if row.start_date and row.due_date:
        return (row.due_date - row.start_date).days + 1
    return max(1, math.ceil(row.estimated_hours / HOURS_PER_DAY))


def compute_schedule(
    rows: list[TaskRow], edges: list[tuple[int, int, int]], default_start: date
) -> Schedule:
    """Forward and backward passes over the dependency graph.

    Tasks are numbered by position and days counted as offsets from the plan's start: plain
    lists and integers keep a plan of thousands of tasks well within a request's time.
    """
    origin = min((row.start_date for row in rows if row.start_date), default=default_start)
    first_day = origin.toordinal()
    position = {row.id: index for index, row in enumerate(rows)}
    count = len(rows)
    predecessors: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    successors: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    waiting = [0] * count
    for predecessor, successor, lag in edges:
        before, after = position[predecessor], position[successor]
        predecessors[after].append((before, lag))
        successors[before].append((after, lag))
        waiting[after] += 1
    order = _topological_order(waiting, successors)
    length = [duration(row) for row in rows]
    early_start = [row.start_date.toordinal() - first_day if row.start_date else 0 for row in rows]
    for task in order:
        for before, lag in predecessors[task]:
            early_start[task] = max(early_start[task], early_start[before] + length[before] + lag)
    end = max((early_start[t] + length[t] for t in order), default=0)
    late_finish = [end] * count
    for task in reversed(order):
        for after, lag in successors[task]:
            late_finish[task] = min(late_finish[task], late_finish[after] - length[after] - lag)

    day = date.fromordinal
    scheduled = []
    for index, row in enumerate(rows):
        start, finish = early_start[index], early_start[index] + length[index]
        late_start = late_finish[index] - length[index]
        slack = late_start - start
        scheduled.append(
            ScheduledTask(
                row.id,
                row.code,
                row.title,
                length[index],
                day(first_day + start),
                day(first_day + max(start, finish - 1)),
                day(first_day + late_start),
                day(first_day + max(late_start, late_finish[index] - 1)),
                slack,
                slack == 0,
            )
        )
    chain = _critical_chain(order, early_start, length, predecessors, end)
    return Schedule(
        start=origin,
        finish=day(first_day + max(0, end - 1)),
        tasks=scheduled,
        critical_path=[rows[index].id for index in chain],
    )


def _topological_order(waiting: list[int], successors: list[list[tuple[int, int]]]) -> list[int]:
    """Kahn's algorithm; dependencies are acyclic (cycles are refused when added)."""
    order = [task for task, count in enumerate(waiting) if count == 0]
    for task in order:  # the list grows as tasks become free
        for after, _lag in successors[task]:
            waiting[after] -= 1
            if waiting[after] == 0:
                order.append(after)
    if len(order) != len(waiting):
        raise ValueError("the plan's dependencies contain a cycle")
    return order


def _critical_chain(order, early_start, length, predecessors, end) -> list[int]:
    """Walk back from a task that ends the plan through predecessors that leave no gap."""
    current = next((t for t in order if early_start[t] + length[t] == end), None)
    chain = []
    while current is not None:
        chain.append(current)
        current = next(
            (
                p
                for p, lag in predecessors[current]
                if early_start[p] + length[p] + lag == early_start[current]
            ),
            None,
        )
    return chain[::-1]


async def plan_schedule(session: AsyncSession, secretariat_id: int, plan_id: int) -> Schedule:
    """The plan's schedule, in three statements whatever the plan's size."""
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    rows = await task_rows(session, plan.id)
    edges = await plan_edges(session, plan.id)
    return compute_schedule(rows, edges, date(plan.year, 1, 1))
