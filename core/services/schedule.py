"""Critical path of a plan: earliest and latest dates, slack, and the chain that sets the end.

A task lasts from its start to its due date (inclusive) when both are set, otherwise its
estimated hours over working days of ``HOURS_PER_DAY`` (at least one day); a cancelled task
lasts nothing. A start date is a "start no earlier than" constraint. Dependencies are
finish-to-start with a lag in days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from graphlib import TopologicalSorter

from sqlalchemy.ext.asyncio import AsyncSession

from core.models import TaskStatus
from core.services import scope
from core.services.dependencies import plan_edges
from core.services.plan_rows import TaskRow, task_rows

HOURS_PER_DAY = 8


@dataclass(frozen=True)
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
    """Forward and backward passes over the dependency graph (day offsets from the start)."""
    origin = min((row.start_date for row in rows if row.start_date), default=default_start)
    by_id = {row.id: row for row in rows}
    predecessors: dict[int, list[tuple[int, int]]] = {row.id: [] for row in rows}
    successors: dict[int, list[tuple[int, int]]] = {row.id: [] for row in rows}
    for predecessor, successor, lag in edges:
        predecessors[successor].append((predecessor, lag))
        successors[predecessor].append((successor, lag))
    order = list(
        TopologicalSorter(
            {node: [p for p, _ in preds] for node, preds in predecessors.items()}
        ).static_order()
    )
    length = {task_id: duration(by_id[task_id]) for task_id in order}
    early_start: dict[int, int] = {}
    for task_id in order:
        row = by_id[task_id]
        floor = (row.start_date - origin).days if row.start_date else 0
        early_start[task_id] = max(
            [floor, *(early_start[p] + length[p] + lag for p, lag in predecessors[task_id])]
        )
    end = max((early_start[t] + length[t] for t in order), default=0)
    late_finish: dict[int, int] = {}
    for task_id in reversed(order):
        late_finish[task_id] = min(
            [end, *(late_finish[s] - length[s] - lag for s, lag in successors[task_id])]
        )

    def day(offset: int) -> date:
        return origin + timedelta(days=offset)

    scheduled = []
    for row in rows:
        start, finish = early_start[row.id], early_start[row.id] + length[row.id]
        late_start = late_finish[row.id] - length[row.id]
        slack = late_start - start
        scheduled.append(
            ScheduledTask(
                task_id=row.id,
                code=row.code,
                title=row.title,
                duration_days=length[row.id],
                earliest_start=day(start),
                earliest_finish=day(max(start, finish - 1)),
                latest_start=day(late_start),
                latest_finish=day(max(late_start, late_finish[row.id] - 1)),
                slack_days=slack,
                critical=slack == 0,
            )
        )
    return Schedule(
        start=origin,
        finish=day(max(0, end - 1)),
        tasks=scheduled,
        critical_path=_critical_chain(order, early_start, length, predecessors, end),
    )


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
