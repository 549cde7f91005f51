"""A plan as it stands, read in a fixed number of statements, to compare a file with it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Activity, Objective, Task, TaskResponsible
from core.plans.dependencies import plan_edges
from core.plans.tasks import in_plan

Place = tuple[str, str]  # (objective code, activity code): where an activity, or a task, is


@dataclass
class CurrentPlan:
    """The plan's objectives by code, activities by place, tasks by code (with the place of
    each), responsibles and dependencies by task id."""

    objectives: dict[str, Objective]
    activities: dict[Place, Activity]
    tasks: dict[str, Task]
    place_of: dict[int, Place]
    responsibles: dict[int, frozenset[int]]
    depends_on: dict[int, frozenset[tuple[str, int]]]
    # Codes that more than one task of the plan holds (in different activities).
    shared_codes: set[str] = field(default_factory=set)


async def current_plan(session: AsyncSession, plan_id: int) -> CurrentPlan:
    """The plan as it stands, its parts loaded to be changed (five statements)."""
    objectives = (
        await session.scalars(select(Objective).where(Objective.plan_id == plan_id))
    ).all()
    objective_code = {objective.id: objective.code for objective in objectives}
    activities = (
        await session.scalars(
            select(Activity)
            .join(Objective, Objective.id == Activity.objective_id)
            .where(Objective.plan_id == plan_id)
        )
    ).all()
    place_of_activity = {
        activity.id: (objective_code[activity.objective_id], activity.code)
        for activity in activities
    }
    tasks = (await session.scalars(in_plan(select(Task), plan_id).order_by(Task.id))).all()
    code_of = {task.id: task.code for task in tasks}
    links = await session.execute(
        in_plan(
            select(TaskResponsible.task_id, TaskResponsible.person_id).join(
                Task, Task.id == TaskResponsible.task_id
            ),
            plan_id,
        )
    )
    responsibles: dict[int, set[int]] = defaultdict(set)
    for task_id, person_id in links:
        responsibles[task_id].add(person_id)
    depends_on: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for predecessor, successor, lag in await plan_edges(session, plan_id):
        depends_on[successor].add((code_of[predecessor], lag))
    counts = Counter(code_of.values())
    return CurrentPlan(
        objectives={objective.code: objective for objective in objectives},
        activities={place_of_activity[activity.id]: activity for activity in activities},
        tasks={task.code: task for task in tasks},
        place_of={task.id: place_of_activity[task.activity_id] for task in tasks},
        responsibles={task.id: frozenset(responsibles[task.id]) for task in tasks},
        depends_on={task.id: frozenset(depends_on[task.id]) for task in tasks},
        shared_codes={code for code, count in counts.items() if count > 1},
    )
