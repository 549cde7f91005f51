"""Filtered, sorted, paginated lists of what a secretariat holds.

Every list is scoped to one secretariat (or, for secretariats and tokens, to what the caller
may see) and costs a fixed number of statements whatever the page or plan size.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Activity,
    ApiToken,
    AuditEvent,
    Indicator,
    Invitation,
    Measurement,
    Objective,
    Person,
    PersonRole,
    Plan,
    Role,
    Secretariat,
    Sector,
    Task,
    TaskDependency,
    TaskResponsible,
    TaskStatus,
    utcnow,
)
from core.services import scope, tokens
from core.services.listing import Page, paginate


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


async def list_secretariats(
    session: AsyncSession, only_id: int | None, *, sort, limit, offset
) -> Page[Secretariat]:
    query = select(Secretariat)
    if only_id is not None:
        query = query.where(Secretariat.id == only_id)
    sortable = {"id": Secretariat.id, "slug": Secretariat.slug, "name": Secretariat.name}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="slug",
        tie_breaker=Secretariat.id,
    )


async def list_people(
    session: AsyncSession,
    secretariat_id: int,
    *,
    role: Role | None = None,
    sector: Sector | None = None,
    reachable: bool | None = None,
    search: str | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Person]:
    query = select(Person).where(
        Person.secretariat_id == secretariat_id, Person.erased_at.is_(None)
    )
    if role is not None:
        query = query.where(
            exists().where(PersonRole.person_id == Person.id, PersonRole.role == role)
        )
    if sector is not None:
        query = query.where(Person.sector == sector)
    if reachable is not None:
        query = query.where(Person.reachable.is_(reachable))
    if search:
        pattern = _like(search)
        query = query.where(
            or_(
                Person.name.ilike(pattern, escape="\\"),
                Person.email.ilike(pattern, escape="\\"),
                Person.telegram_username.ilike(pattern, escape="\\"),
            )
        )
    sortable = {"id": Person.id, "name": Person.name, "created_at": Person.created_at}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="name",
        tie_breaker=Person.id,
    )


INVITATION_STATES = ("open", "used", "revoked", "expired")


async def list_invitations(
    session: AsyncSession, secretariat_id: int, *, state=None, sort=None, limit=50, offset=0
) -> Page[Invitation]:
    query = select(Invitation).where(Invitation.secretariat_id == secretariat_id)
    now = utcnow()
    if state == "open":
        query = query.where(
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    elif state == "used":
        query = query.where(Invitation.used_at.is_not(None))
    elif state == "revoked":
        query = query.where(Invitation.revoked_at.is_not(None))
    elif state == "expired":
        query = query.where(
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at <= now,
        )
    sortable = {
        "id": Invitation.id,
        "created_at": Invitation.created_at,
        "expires_at": Invitation.expires_at,
    }
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="-created_at",
        tie_breaker=Invitation.id,
    )


async def list_tokens(
    session: AsyncSession, secretariat_id: int | None, *, sort=None, limit=50, offset=0
) -> Page[ApiToken]:
    sortable = {
        "id": ApiToken.id,
        "created_at": ApiToken.created_at,
        "expires_at": ApiToken.expires_at,
    }
    return await paginate(
        session,
        tokens.visible_tokens(secretariat_id),
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="-created_at",
        tie_breaker=ApiToken.id,
    )


async def list_plans(
    session: AsyncSession, secretariat_id: int, *, year=None, sort=None, limit=50, offset=0
) -> Page[Plan]:
    query = select(Plan).where(Plan.secretariat_id == secretariat_id)
    if year is not None:
        query = query.where(Plan.year == year)
    sortable = {"id": Plan.id, "year": Plan.year, "title": Plan.title}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="-year",
        tie_breaker=Plan.id,
    )


async def list_objectives(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, sort=None, limit=50, offset=0
) -> Page[Objective]:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = select(Objective).where(Objective.plan_id == plan.id)
    sortable = {"position": Objective.position, "code": Objective.code, "title": Objective.title}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="position",
        tie_breaker=Objective.id,
    )


async def list_activities(
    session: AsyncSession, secretariat_id: int, objective_id: int, *, sort=None, limit=50, offset=0
) -> Page[Activity]:
    objective = await scope.get_objective(session, secretariat_id, objective_id)
    query = select(Activity).where(Activity.objective_id == objective.id)
    sortable = {"position": Activity.position, "code": Activity.code, "title": Activity.title}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="position",
        tie_breaker=Activity.id,
    )


TASK_SORTS = {
    "position": (Objective.position, Activity.position, Task.position),
    "code": (Task.code,),
    "title": (Task.title,),
    "start_date": (Task.start_date,),
    "due_date": (Task.due_date,),
    "percent": (Task.percent,),
    "status": (Task.status,),
}


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
        pattern = _like(search)
        query = query.where(
            or_(Task.title.ilike(pattern, escape="\\"), Task.code.ilike(pattern, escape="\\"))
        )
    # A sort name may stand for several columns: the first takes the direction asked for,
    # the others (and the id) break ties.
    sortable = {name: columns[0] for name, columns in TASK_SORTS.items()}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="position",
        tie_breaker=_tie_breaker(sort),
    )


def _tie_breaker(sort: str | None):
    name = (sort or "position").removeprefix("-")
    columns = TASK_SORTS.get(name, ())[1:]
    return (*columns, Task.id)


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
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=None,
        sortable={"id": TaskDependency.id},
        default="id",
        tie_breaker=TaskDependency.id,
    )


async def list_indicators(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, sort=None, limit=50, offset=0
) -> Page[Indicator]:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = select(Indicator).where(Indicator.plan_id == plan.id)
    sortable = {"id": Indicator.id, "name": Indicator.name}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="name",
        tie_breaker=Indicator.id,
    )


async def list_measurements(
    session: AsyncSession, secretariat_id: int, indicator_id: int, *, sort=None, limit=50, offset=0
) -> Page[Measurement]:
    indicator = await scope.get_indicator(session, secretariat_id, indicator_id)
    query = select(Measurement).where(Measurement.indicator_id == indicator.id)
    sortable = {"measured_on": Measurement.measured_on}
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        sortable=sortable,
        default="measured_on",
        tie_breaker=Measurement.id,
    )


async def plan_audit_log(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, limit=50, offset=0
) -> Page[AuditEvent]:
    """The events of one plan, newest first. Deleted plans keep their events in the chain."""
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    query = select(AuditEvent).where(
        AuditEvent.plan_id == plan.id, AuditEvent.secretariat_id == secretariat_id
    )
    return await paginate(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=None,
        sortable={"seq": AuditEvent.seq},
        default="-seq",
        tie_breaker=AuditEvent.id,
    )
