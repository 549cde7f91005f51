"""A plan's objectives (its lines of action) and their activities: read, listed, created,
changed and deleted, each within the secretariat that owns the plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.infra.listing import Sorting
from core.infra.lookup import one
from core.infra.values import Cleaners, text
from core.infra.values import weight as weight_value
from core.models import Activity, Objective, Plan
from core.plans.editable import (
    Children,
    Editable,
    clean_code,
    code_unique_under,
    optional_text,
    place,
)
from core.plans.plans import get_plan, in_plans
from core.plans.records import ACTIVITY_KEPT, OBJECTIVE_KEPT
from core.policy import priority_numbers
from i18n import N_


def optional_priorities(value: Any) -> list[int] | None:
    """The national priorities a line of action names; None leaves them to its PEA priority."""
    return None if value is None else priority_numbers(value)


async def get_objective(session: AsyncSession, secretariat_id: int, objective_id: int) -> Objective:
    """The objective ``objective_id`` of one of the secretariat's plans, or NotFound."""
    missing = N_("Objective {id} not found.")
    return await in_plans(session, Objective, secretariat_id, objective_id, missing)


async def get_activity(session: AsyncSession, secretariat_id: int, activity_id: int) -> Activity:
    """The activity ``activity_id`` of one of the secretariat's plans, or NotFound."""
    query = (
        select(Activity)
        .join(Activity.objective)
        .join(Objective.plan)
        .where(Activity.id == activity_id, Plan.secretariat_id == secretariat_id)
    )
    return await one(session, query, N_("Activity {id} not found."), activity_id)


async def objectives_and_activities(
    session: AsyncSession, plan_id: int
) -> list[tuple[Objective, list[Activity]]]:
    """The plan's objectives in order, each with its activities in order, in two statements."""
    objectives = (
        await session.scalars(
            select(Objective).where(Objective.plan_id == plan_id).order_by(Objective.position)
        )
    ).all()
    activities = await session.scalars(
        select(Activity)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan_id)
        .order_by(Activity.position)
    )
    by_objective: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_objective[activity.objective_id].append(activity)
    return [(objective, by_objective[objective.id]) for objective in objectives]


def _positioned(model: type[Objective] | type[Activity]) -> Sorting:
    """The parts of a plan: in the plan's own order unless asked otherwise."""
    return Sorting(
        {"position": model.position, "code": model.code, "title": model.title},
        default="position",
        tie_breaker=model.id,
    )


OBJECTIVE_SORTING = _positioned(Objective)
ACTIVITY_SORTING = _positioned(Activity)


list_objectives = Children(Objective, get_plan, Objective.plan_id, OBJECTIVE_SORTING)
list_activities = Children(Activity, get_objective, Activity.objective_id, ACTIVITY_SORTING)


async def add_objective(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    title: str,
    code: str | None = None,
    description: str | None = None,
    pea_priority: str | None = None,
    pna_priorities: Any = None,
    weight: Any = None,
) -> Objective:
    """A new objective at the end of the plan; without a code it is numbered. Without
    ``pna_priorities`` it cites the national priorities its PEA priority maps to."""
    plan = await get_plan(session, secretariat_id, plan_id)
    code, position = await place(session, Objective.plan_id, plan.id, code, "")
    objective = Objective(
        plan_id=plan.id,
        code=code,
        title=text(title),
        description=description,
        pea_priority=pea_priority,
        pna_priorities=optional_priorities(pna_priorities),
        weight=weight_value(weight),
        position=position,
    )
    data = {"code": objective.code, "title": objective.title}
    await chain.about(
        session, objective, "objective.create", actor, plan.secretariat_id, plan.id, data
    )
    return objective


async def add_activity(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    objective_id: int,
    *,
    title: str,
    code: str | None = None,
    description: str | None = None,
    weight: Any = None,
) -> Activity:
    """A new activity at the end of the objective; without a code it is numbered under it."""
    objective = await get_objective(session, secretariat_id, objective_id)
    code, position = await place(
        session, Activity.objective_id, objective.id, code, f"{objective.code}."
    )
    activity = Activity(
        objective_id=objective.id,
        code=code,
        title=text(title),
        description=description,
        weight=weight_value(weight),
        position=position,
    )
    data = {"code": activity.code, "title": activity.title}
    await chain.about(
        session, activity, "activity.create", actor, secretariat_id, objective.plan_id, data
    )
    return activity


async def _its_plan(session: AsyncSession, secretariat_id: int, objective: Objective) -> int:
    return objective.plan_id


async def _plan_of_activity(session: AsyncSession, secretariat_id: int, activity: Activity) -> int:
    """An activity knows only its objective: one more statement finds the plan."""
    objective = await get_objective(session, secretariat_id, activity.objective_id)
    return objective.plan_id


OBJECTIVE_FIELDS: Cleaners = {
    "code": clean_code,
    "title": text,
    "description": optional_text,
    "pea_priority": optional_text,
    "pna_priorities": optional_priorities,
    "weight": weight_value,
}
ACTIVITY_FIELDS: Cleaners = {
    "code": clean_code,
    "title": text,
    "description": optional_text,
    "weight": weight_value,
}
OBJECTIVES = Editable(
    kind="objective",
    load=get_objective,
    cleaners=OBJECTIVE_FIELDS,
    plan_id=_its_plan,
    summary=("code", "title"),
    kept=OBJECTIVE_KEPT,
    refuse=code_unique_under(Objective.plan_id),
)
ACTIVITIES = Editable(
    kind="activity",
    load=get_activity,
    cleaners=ACTIVITY_FIELDS,
    plan_id=_plan_of_activity,
    summary=("code", "title"),
    kept=ACTIVITY_KEPT,
    refuse=code_unique_under(Activity.objective_id),
)


update_objective = OBJECTIVES.update
update_activity = ACTIVITIES.update
delete_objective = OBJECTIVES.delete
delete_activity = ACTIVITIES.delete
