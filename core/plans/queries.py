"""Filtered, sorted, paginated lists of a secretariat's plans and what they hold.

Every list is scoped to one secretariat and costs a fixed number of statements whatever the
page or plan size.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.listing import Page, Sorting, like_pattern, paginate
from core.models import (
    Activity,
    AuditEvent,
    Indicator,
    Measurement,
    Objective,
    Plan,
    Task,
    TaskDependency,
    TaskResponsible,
    TaskStatus,
)
from core.plans import scope

PLAN_SORTING = Sorting(
    {"id": Plan.id, "year": Plan.year, "title": Plan.title}, default="-year", tie_breaker=Plan.id
)


async def list_plans(
    session: AsyncSession, secretariat_id: int, *, year=None, sort=None, limit=50, offset=0
) -> Page[Plan]:
    query = select(Plan).where(Plan.secretariat_id == secretariat_id)
    if year is not None:
        query = query.where(Plan.year == year)
    return await paginate(session, query, PLAN_SORTING, sort=sort, limit=limit, offset=offset)


def _positioned(model: type[Objective] | type[Activity]) -> Sorting:
    """The parts of a plan: in the plan's own order unless asked otherwise."""
    return Sorting(
        {"position": model.position, "code": model.code, "title": model.title},
        default="position",
        tie_breaker=model.id,
    )


OBJECTIVE_SORTING = _positioned(Objective)


async def list_objectives(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, sort=None, limit=50, offset=0
) -> Page[Objective]:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = select(Objective).where(Objective.plan_id == plan.id)
    return await paginate(session, query, OBJECTIVE_SORTING, sort=sort, limit=limit, offset=offset)


ACTIVITY_SORTING = _positioned(Activity)


async def list_activities(
    session: AsyncSession, secretariat_id: int, objective_id: int, *, sort=None, limit=50, offset=0
) -> Page[Activity]:
    objective = await scope.get_objective(session, secretariat_id, objective_id)
    query = select(Activity).where(Activity.objective_id == objective.id)
    return await paginate(session, query, ACTIVITY_SORTING, sort=sort, limit=limit, offset=offset)


TASK_SORTING = Sorting(
    {
        # The plan's order: by objective, then activity, then task.
        "position": (Objective.position, Activity.position, Task.position),
        "code": Task.code,
        "title": Task.title,
        "start_date": Task.start_date,
        "due_date": Task.due_date,
        "percent": Task.percent,
        "status": Task.status,
    },
    default="position",
    tie_breaker=Task.id,
)


async def list_tasks(
    session: AsyncSession,
    secretariat_id: int,
    plan_id: int,
    *,
    status: TaskStatus | None = None,
    objective_id: int | None = None,
    activity_id: int | None = None,
    responsible_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    search: str | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Task]:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = (
        select(Task)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan.id)
    )
    if status is not None:
        query = query.where(Task.status == status)
    if objective_id is not None:
        query = query.where(Objective.id == objective_id)
    if activity_id is not None:
        query = query.where(Task.activity_id == activity_id)
    if responsible_id is not None:
        query = query.where(
            exists().where(
                and_(
                    TaskResponsible.task_id == Task.id,
                    TaskResponsible.person_id == responsible_id,
                )
            )
        )
    if due_from is not None:
        query = query.where(Task.due_date >= due_from)
    if due_to is not None:
        query = query.where(Task.due_date <= due_to)
    if search:
        pattern = like_pattern(search)
        query = query.where(
            or_(Task.title.ilike(pattern, escape="\\"), Task.code.ilike(pattern, escape="\\"))
        )
    return await paginate(session, query, TASK_SORTING, sort=sort, limit=limit, offset=offset)


DEPENDENCY_SORTING = Sorting({"id": TaskDependency.id}, default="id", tie_breaker=TaskDependency.id)


async def list_dependencies(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, limit=50, offset=0
) -> Page[TaskDependency]:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = (
        select(TaskDependency)
        .join(Task, Task.id == TaskDependency.successor_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan.id)
    )
    return await paginate(session, query, DEPENDENCY_SORTING, limit=limit, offset=offset)


INDICATOR_SORTING = Sorting(
    {"id": Indicator.id, "name": Indicator.name}, default="name", tie_breaker=Indicator.id
)


async def list_indicators(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, sort=None, limit=50, offset=0
) -> Page[Indicator]:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = select(Indicator).where(Indicator.plan_id == plan.id)
    return await paginate(session, query, INDICATOR_SORTING, sort=sort, limit=limit, offset=offset)


MEASUREMENT_SORTING = Sorting(
    {"measured_on": Measurement.measured_on}, default="measured_on", tie_breaker=Measurement.id
)


async def list_measurements(
    session: AsyncSession, secretariat_id: int, indicator_id: int, *, sort=None, limit=50, offset=0
) -> Page[Measurement]:
    indicator = await scope.get_indicator(session, secretariat_id, indicator_id)
    query = select(Measurement).where(Measurement.indicator_id == indicator.id)
    return await paginate(
        session, query, MEASUREMENT_SORTING, sort=sort, limit=limit, offset=offset
    )


AUDIT_SORTING = Sorting({"seq": AuditEvent.seq}, default="-seq", tie_breaker=AuditEvent.id)


async def plan_audit_log(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, limit=50, offset=0
) -> Page[AuditEvent]:
    """The events of one plan, newest first. Deleted plans keep their events in the chain."""
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = select(AuditEvent).where(
        AuditEvent.plan_id == plan.id, AuditEvent.secretariat_id == secretariat_id
    )
    return await paginate(session, query, AUDIT_SORTING, limit=limit, offset=offset)
