"""Progress roll-up: task → activity → objective → plan.

Each level is the weighted mean of its children. A child's weight is its own ``weight`` where
set, otherwise its estimated hours (a task's own, or the sum of its tasks'). Where every weight
is zero the children count equally. Cancelled tasks are left out; a done task counts 100%.

The same tree is also read *as validated*: a task then counts what its latest report that civil
society validated says (done is 100%), and 0% while none is; the weights do not change, so the
two trees can be set side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Activity,
    Objective,
    Plan,
    ProgressReport,
    TaskStatus,
    ValidationRequest,
    ValidationState,
)
from core.plans.plans import get_plan
from core.plans.structure import objectives_and_activities
from core.plans.tasks import TaskRow, activity_task_rows, task_rows


@dataclass(slots=True)
class Progress:
    level: str
    id: int
    code: str | None
    title: str
    percent: float
    weight: Decimal
    estimated_hours: Decimal
    logged_hours: Decimal
    tasks_total: int
    tasks_done: int
    children: list[Progress] = field(default_factory=list)


def _mean(children: list[Progress]) -> float:
    # Percentages are shown to a tenth: floats carry far more precision than that needs.
    weights = [float(child.weight) for child in children]
    total = sum(weights)
    if not children:
        return 0.0
    if total == 0:
        return sum(child.percent for child in children) / len(children)
    return (
        sum(child.percent * weight for child, weight in zip(children, weights, strict=True)) / total
    )


def _parent(
    level: str,
    item: Plan | Objective | Activity,
    children: list[Progress],
    own_weight: Decimal | None,
) -> Progress:
    estimated = sum((child.estimated_hours for child in children), Decimal(0))
    return Progress(
        level=level,
        id=item.id,
        code=getattr(item, "code", None),
        title=item.title,
        percent=round(_mean(children), 1),
        weight=own_weight if own_weight is not None else estimated,
        estimated_hours=estimated,
        logged_hours=sum((child.logged_hours for child in children), Decimal(0)),
        tasks_total=sum(child.tasks_total for child in children),
        tasks_done=sum(child.tasks_done for child in children),
        children=children,
    )


def _counted(status: TaskStatus, percent: float) -> tuple[float, int]:
    """A task's percent and done count as the roll-up counts them: done is 100%."""
    done = status == TaskStatus.DONE
    return (100.0 if done else float(percent)), int(done)


def _task(row: TaskRow) -> Progress:
    percent, done = _counted(row.status, row.percent)
    return Progress(
        level="task",
        id=row.id,
        code=row.code,
        title=row.title,
        percent=percent,
        weight=row.weight if row.weight is not None else row.estimated_hours,
        estimated_hours=row.estimated_hours,
        logged_hours=row.logged_hours,
        tasks_total=1,
        tasks_done=done,
    )


def with_task_percents(tree: Progress, percents: Mapping[int, float]) -> Progress:
    """The same tree with each task's percent taken from ``percents`` (by task id) and every
    parent averaged again with the same weights: the tree of another reading of the tasks."""
    return _reread(tree, lambda task: (percents[task.id], task.tasks_done))


def _reread(node: Progress, reading: Callable[[Progress], tuple[float, int]]) -> Progress:
    """``node``'s tree with each task's percent and done count as ``reading`` gives them."""
    if node.level == "task":
        percent, done = reading(node)
        return _copy(node, percent, done, [])
    children = [_reread(child, reading) for child in node.children]
    return _copy(
        node, round(_mean(children), 1), sum(child.tasks_done for child in children), children
    )


def _copy(node: Progress, percent: float, done: int, children: list[Progress]) -> Progress:
    # Written out: dataclasses.replace inspects the fields on every call, a fifth of a page's
    # build for a plan of 5,000 tasks.
    return Progress(
        node.level,
        node.id,
        node.code,
        node.title,
        percent,
        node.weight,
        node.estimated_hours,
        node.logged_hours,
        node.tasks_total,
        done,
        children,
    )


# A task no validated report speaks of: pending, at 0%.
NOT_VALIDATED = (TaskStatus.PENDING, 0)


def _as_validated(reported: Progress, confirmed: Mapping[int, tuple[TaskStatus, int]]) -> Progress:
    """The reported tree read as civil society validated it: each task at its latest validated
    report (done is 100%), at 0% while none is."""
    return _reread(reported, lambda task: _counted(*confirmed.get(task.id, NOT_VALIDATED)))


async def validated_reports(
    session: AsyncSession, plan_id: int | None = None, task_ids: Iterable[int] = ()
) -> dict[int, tuple[TaskStatus, int]]:
    """(status, percent) of each task's latest report that civil society validated, of the
    plan's tasks (else of the tasks named)."""
    which = (
        ValidationRequest.plan_id == plan_id
        if plan_id is not None
        else ProgressReport.task_id.in_(list(task_ids))
    )
    rows = await session.execute(
        select(ProgressReport.task_id, ProgressReport.status, ProgressReport.percent)
        .join(ValidationRequest, ValidationRequest.report_id == ProgressReport.id)
        .where(which, ValidationRequest.state == ValidationState.VALIDATED)
        .order_by(ProgressReport.id)
    )
    return {task_id: (status, percent) for task_id, status, percent in rows.all()}


def _tree(
    plan: Plan, structure: list[tuple[Objective, list[Activity]]], rows: list[TaskRow]
) -> Progress:
    tasks_by_activity: dict[int, list[Progress]] = defaultdict(list)
    for row in rows:
        if row.status != TaskStatus.CANCELLED:
            tasks_by_activity[row.activity_id].append(_task(row))
    objective_nodes = [
        _parent(
            "objective",
            objective,
            [
                _parent("activity", activity, tasks_by_activity[activity.id], activity.weight)
                for activity in activities
            ],
            objective.weight,
        )
        for objective, activities in structure
    ]
    return _parent("plan", plan, objective_nodes, None)


async def _reported(
    session: AsyncSession, secretariat_id: int, plan_id: int
) -> tuple[Progress, list[TaskRow]]:
    """The plan's tree as reported, and the tasks it was computed from."""
    plan = await get_plan(session, secretariat_id, plan_id)
    structure = await objectives_and_activities(session, plan.id)
    rows = await task_rows(session, plan.id)
    return _tree(plan, structure, rows), rows


async def plan_progress(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, validated: bool = False
) -> Progress:
    """The plan's progress tree, as reported or (``validated``) as civil society validated it,
    in four or five statements whatever the plan's size."""
    reported, _rows = await _reported(session, secretariat_id, plan_id)
    if not validated:
        return reported
    return _as_validated(reported, await validated_reports(session, plan_id))


@dataclass(frozen=True, slots=True)
class PlanReadings:
    """A plan's progress tree as reported and as civil society validated it, and the tasks
    both were computed from (every one, in plan order)."""

    reported: Progress
    validated: Progress
    rows: list[TaskRow]


async def plan_readings(session: AsyncSession, secretariat_id: int, plan_id: int) -> PlanReadings:
    """Both of the plan's progress trees, from one reading of its tasks, in five statements
    whatever the plan's size."""
    reported, rows = await _reported(session, secretariat_id, plan_id)
    confirmed = await validated_reports(session, plan_id)
    return PlanReadings(reported, _as_validated(reported, confirmed), rows)


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """A line of action or an activity, as reported and as civil society validated it."""

    reported: Progress
    validated: Progress


async def items_progress(
    session: AsyncSession, objective_ids: Iterable[int], activity_ids: Iterable[int]
) -> dict[tuple[str, int], ItemProgress]:
    """The progress of each line of action and activity named, by (level, id), of any plans,
    as the plans' trees compute it, in four statements whatever their number."""
    objective_ids, activity_ids = set(objective_ids), set(activity_ids)
    objectives = list(
        await session.scalars(select(Objective).where(Objective.id.in_(objective_ids)))
    )
    activities = list(
        await session.scalars(
            select(Activity)
            .where(or_(Activity.objective_id.in_(objective_ids), Activity.id.in_(activity_ids)))
            .order_by(Activity.position, Activity.id)
        )
    )
    rows = await activity_task_rows(session, [activity.id for activity in activities])
    confirmed = await validated_reports(session, task_ids=[row.id for row in rows])
    tasks: dict[int, list[TaskRow]] = defaultdict(list)
    for row in rows:
        if row.status != TaskStatus.CANCELLED:
            tasks[row.activity_id].append(row)

    def activity_nodes(activity: Activity) -> ItemProgress:
        reported = _parent(
            "activity", activity, [_task(row) for row in tasks[activity.id]], activity.weight
        )
        return ItemProgress(reported, _as_validated(reported, confirmed))

    found = {("activity", activity.id): activity_nodes(activity) for activity in activities}
    for objective in objectives:
        children = [
            found[("activity", activity.id)]
            for activity in activities
            if activity.objective_id == objective.id
        ]
        found[("objective", objective.id)] = ItemProgress(
            _parent("objective", objective, [c.reported for c in children], objective.weight),
            _parent("objective", objective, [c.validated for c in children], objective.weight),
        )
    return found
