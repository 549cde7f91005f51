"""Finish-to-start dependencies between tasks of one plan: listed, added and removed; cycles
are refused and named."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.infra.listing import Page, Sorting, paginate
from core.infra.lookup import one_row
from core.models import Plan, Task, TaskDependency
from core.plans.plans import get_plan
from core.plans.tasks import get_task, in_plan, plan_of_task
from i18n import N_


async def plan_edges(session: AsyncSession, plan_id: int) -> Sequence[tuple[int, int, int]]:
    """(predecessor, successor, lag) of every dependency inside the plan, in one statement."""
    connection = await session.connection()
    rows = await connection.execute(
        in_plan(
            select(
                TaskDependency.predecessor_id, TaskDependency.successor_id, TaskDependency.lag_days
            ).join(Task, Task.id == TaskDependency.successor_id),
            plan_id,
        )
    )
    return rows.all()


DEPENDENCY_SORTING = Sorting({"id": TaskDependency.id}, default="id", tie_breaker=TaskDependency.id)


async def list_dependencies(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, limit: int = 50, offset: int = 0
) -> Page[TaskDependency]:
    """The plan's dependencies, oldest first."""
    plan = await get_plan(session, secretariat_id, plan_id)
    query = in_plan(
        select(TaskDependency).join(Task, Task.id == TaskDependency.successor_id), plan.id
    )
    return await paginate(session, query, DEPENDENCY_SORTING, limit=limit, offset=offset)


def find_path(edges: Sequence[tuple[int, int, int]], start: int, goal: int) -> list[int] | None:
    """The shortest chain of dependencies from ``start`` to ``goal``, if any."""
    successors: dict[int, list[int]] = defaultdict(list)
    for predecessor, successor, _lag in edges:
        successors[predecessor].append(successor)
    came_from: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (previous := came_from[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for following in successors[node]:
            if following not in came_from:
                came_from[following] = node
                queue.append(following)
    return None


async def add_dependency(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    predecessor_id: int,
    successor_id: int,
    lag_days: int = 0,
) -> TaskDependency:
    predecessor, plan = await get_task(session, secretariat_id, predecessor_id)
    successor, successor_plan = await get_task(session, secretariat_id, successor_id)
    if plan.id != successor_plan.id:
        raise InvalidInput(
            N_("Tasks {a} and {b} belong to different plans."),
            field="successor_id",
            a=predecessor.code,
            b=successor.code,
        )
    if predecessor.id == successor.id:
        raise InvalidInput(
            N_("Task {task} cannot depend on itself."), field="successor_id", task=successor.label
        )
    if isinstance(lag_days, bool) or not isinstance(lag_days, int) or not -365 <= lag_days <= 365:
        raise InvalidInput(
            N_("The lag must be a whole number of days from -365 to 365."), field="lag_days"
        )
    edges = await plan_edges(session, plan.id)
    if any(edge[:2] == (predecessor.id, successor.id) for edge in edges):
        raise Conflict(
            N_("Task {successor} already depends on {predecessor}."),
            successor=successor.label,
            predecessor=predecessor.label,
        )
    back_path = find_path(edges, successor.id, predecessor.id)
    if back_path is not None:
        cycle = [predecessor.id, *back_path]
        labels = dict(
            (await session.execute(select(Task.id, Task.code).where(Task.id.in_(cycle)))).all()
        )
        raise InvalidInput(
            N_("That dependency would close a cycle: {cycle}."),
            field="predecessor_id",
            cycle=" → ".join(labels[task_id] for task_id in cycle),
        )
    dependency = TaskDependency(
        predecessor_id=predecessor.id, successor_id=successor.id, lag_days=lag_days
    )
    data = {"predecessor": predecessor.code, "successor": successor.code, "lag_days": lag_days}
    await chain.about(
        session, dependency, "dependency.create", actor, secretariat_id, plan.id, data
    )
    return dependency


async def remove_dependency(
    session: AsyncSession, secretariat_id: int, actor: Actor, dependency_id: int
) -> None:
    """Remove one of the secretariat's dependencies; another's answers as a missing one, naming
    only the id asked for."""
    query = (
        plan_of_task()
        .add_columns(TaskDependency)
        .join(TaskDependency, TaskDependency.successor_id == Task.id)
        .where(TaskDependency.id == dependency_id, Plan.secretariat_id == secretariat_id)
    )
    row = await one_row(session, query, N_("Dependency {id} not found."), dependency_id)
    dependency, successor, plan = row.TaskDependency, row.Task, row.Plan
    await session.delete(dependency)
    await session.flush()
    data = {"successor": successor.code, "predecessor_id": dependency.predecessor_id}
    await chain.about(
        session, dependency, "dependency.delete", actor, secretariat_id, plan.id, data
    )
