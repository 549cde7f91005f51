"""Tasks: read with their plan, listed, created, changed and deleted within a secretariat, and
a whole plan's tasks loaded in one statement for the calculations over the plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.audit import chain
from core.audit.actor import Actor
from core.audit.changes import apply_changes, record_update
from core.errors import InvalidInput
from core.infra.listing import Page, Sorting, given_filters, like_pattern, paginate
from core.infra.lookup import one_row
from core.infra.values import (
    day,
    non_negative,
    one_of,
    percent,
    storable,
    string_list,
    task_hours,
    text,
)
from core.infra.values import weight as weight_value
from core.models import Activity, Objective, Plan, Task, TaskResponsible, TaskStatus
from core.people.people import get_responsibles
from core.plans import assignments
from core.plans.editable import (
    check_version,
    delete_item,
    place,
    replace_responsibles,
)
from core.plans.plans import get_plan
from core.plans.records import TASK_KEPT
from core.plans.structure import get_activity, get_objective
from core.reporting import help_requests
from i18n import N_

# Any select statement, whatever columns it reads.
Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def plan_of_task() -> Select[Task, Plan]:
    """Tasks with their plans; the caller says which."""
    return select(Task, Plan).join(Task.activity).join(Activity.objective).join(Objective.plan)


def _with_parents(query: Query) -> Query:
    """``query``, which reads tasks, joined to their activities and lines of action."""
    return query.join(Activity, Activity.id == Task.activity_id).join(
        Objective, Objective.id == Activity.objective_id
    )


def in_plan(query: Query, plan_id: int) -> Query:
    """``query``, which reads tasks, kept to the tasks of plan ``plan_id``."""
    return _with_parents(query).where(Objective.plan_id == plan_id)


async def get_task(session: AsyncSession, secretariat_id: int, task_id: int) -> tuple[Task, Plan]:
    """The task ``task_id`` of one of the secretariat's plans, with its plan, or NotFound."""
    query = plan_of_task().where(Task.id == task_id, Plan.secretariat_id == secretariat_id)
    row = await one_row(session, query, N_("Task {id} not found."), task_id)
    return row.Task, row.Plan


class TaskRow(NamedTuple):
    id: int
    activity_id: int
    objective_id: int
    code: str
    title: str
    status: TaskStatus
    percent: int
    estimated_hours: Decimal
    logged_hours: Decimal
    weight: Decimal | None
    start_date: date | None
    due_date: date | None


class ScheduleRow(NamedTuple):
    """What the critical path reads of a task, and no more."""

    id: int
    code: str
    title: str
    status: TaskStatus
    estimated_hours: Decimal
    start_date: date | None
    due_date: date | None


Row = TypeVar("Row", TaskRow, ScheduleRow)


async def _in_plan_order(
    session: AsyncSession,
    where: ColumnElement[bool],
    row: type[Row],
    *columns: InstrumentedAttribute[Any],
) -> list[Row]:
    """The tasks ``where`` holds for, in plan order, as ``row`` tuples of ``columns``.

    Core execution on the session's connection gives plain rows, without the ORM's loading
    layer; they are copied once into a named tuple, whose fields the calculations read many
    times over far more cheaply than a result row's.
    """
    connection = await session.connection()
    result = await connection.execute(
        _with_parents(select(*columns))
        .where(where)
        .order_by(Objective.position, Activity.position, Task.position, Task.id)
    )
    return list(map(row._make, result.all()))


_TASK_ROW = (
    Task.id,
    Task.activity_id,
    Activity.objective_id,
    Task.code,
    Task.title,
    Task.status,
    Task.percent,
    Task.estimated_hours,
    Task.logged_hours,
    Task.weight,
    Task.start_date,
    Task.due_date,
)


async def task_rows(session: AsyncSession, plan_id: int) -> list[TaskRow]:
    """Every task of the plan, with every field the calculations over the plan use."""
    return await _in_plan_order(session, Objective.plan_id == plan_id, TaskRow, *_TASK_ROW)


async def activity_task_rows(session: AsyncSession, activity_ids: Iterable[int]) -> list[TaskRow]:
    """Every task of the activities named, whatever their plans, as ``task_rows`` reads them."""
    return await _in_plan_order(
        session, Task.activity_id.in_(list(activity_ids)), TaskRow, *_TASK_ROW
    )


async def schedule_rows(session: AsyncSession, plan_id: int) -> list[ScheduleRow]:
    """Every task of the plan, with only what the critical path needs (a fifth less to read)."""
    return await _in_plan_order(
        session,
        Objective.plan_id == plan_id,
        ScheduleRow,
        Task.id,
        Task.code,
        Task.title,
        Task.status,
        Task.estimated_hours,
        Task.start_date,
        Task.due_date,
    )


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
    """The plan's tasks that pass every filter given, in the plan's order unless sorted."""
    plan = await get_plan(session, secretariat_id, plan_id)
    query = in_plan(select(Task), plan.id).where(
        *given_filters(
            (Task.status, status),
            (Objective.id, objective_id),
            (Task.activity_id, activity_id),
        )
    )
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


def _status(value: Any) -> TaskStatus:
    return one_of(TaskStatus, value, "status", N_("Unknown status {value}; use one of: {choices}."))


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise InvalidInput(
            N_("The due date {due} is before the start date {start}."),
            field="due_date",
            due=due.isoformat(),
            start=start.isoformat(),
        )


TASK_FIELDS = (
    "title",
    "description",
    "estimated_hours",
    "logged_hours",
    "inputs",
    "outputs",
    "start_date",
    "due_date",
    "status",
    "percent",
    "weight",
)


def _clean_task_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(TASK_FIELDS)
    if unknown:
        raise InvalidInput(N_("Unknown task field {field}."), field=sorted(unknown)[0])
    cleaners = {
        "title": text,
        "description": lambda value: storable(value, "description") if value else None,
        "estimated_hours": lambda value: task_hours(value, "estimated_hours"),
        "logged_hours": lambda value: non_negative(value, "logged_hours"),
        "inputs": lambda value: string_list(value, "inputs"),
        "outputs": lambda value: string_list(value, "outputs"),
        "start_date": lambda value: day(value, "start_date"),
        "due_date": lambda value: day(value, "due_date"),
        "status": _status,
        "percent": percent,
        "weight": weight_value,
    }
    return {name: cleaners[name](value) for name, value in values.items()}


async def add_task(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    activity_id: int,
    *,
    code: str | None = None,
    responsible_ids: Iterable[int] = (),
    **fields: Any,
) -> Task:
    """A new task at the end of the activity; without a code it is numbered under it."""
    activity = await get_activity(session, secretariat_id, activity_id)
    values = _clean_task_fields({"title": fields.pop("title", None), **fields})
    _check_dates(values.get("start_date"), values.get("due_date"))
    if values.get("status") == TaskStatus.DONE:
        values["percent"] = 100
    code, position = await place(session, Task.activity_id, activity.id, code, f"{activity.code}.")
    responsibles = await get_responsibles(
        session, secretariat_id, responsible_ids, "responsible_ids"
    )
    task = Task(
        activity_id=activity.id,
        code=code,
        position=position,
        responsibles=responsibles,
        **values,
    )
    objective = await get_objective(session, secretariat_id, activity.objective_id)
    data = {
        "code": code,
        **values,
        "responsible_ids": [person.id for person in responsibles],
    }
    await chain.about(session, task, "task.create", actor, secretariat_id, objective.plan_id, data)
    if responsibles:
        plan = await get_plan(session, secretariat_id, objective.plan_id)
        await assignments.tell_assigned(session, task, plan.title, responsibles)
    return task


async def update_task(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    task_id: int,
    *,
    expected_version: int | None = None,
    responsible_ids: Iterable[int] | None = None,
    **fields: Any,
) -> Task:
    """Change some fields of a task; ``expected_version`` guards against lost updates."""
    task, plan = await get_task(session, secretariat_id, task_id)
    check_version(task.version, expected_version)
    values = _clean_task_fields(fields)
    if values.get("status") == TaskStatus.DONE:
        values["percent"] = 100
    _check_dates(values.get("start_date", task.start_date), values.get("due_date", task.due_date))
    if task.status == TaskStatus.BLOCKED and values.get("status", task.status) != task.status:
        await help_requests.resolve_blocked(session, task.id, actor)
    change = apply_changes(task, values)
    if responsible_ids is not None:
        people = await get_responsibles(session, secretariat_id, responsible_ids, "responsible_ids")
        newcomers = replace_responsibles(task, people, change, "title")
        await assignments.tell_assigned(session, task, plan.title, newcomers)
    if change["after"]:
        await record_update(session, actor, "task", task, secretariat_id, plan.id, change)
    return task


async def delete_task(
    session: AsyncSession, secretariat_id: int, actor: Actor, task_id: int, *, version: int
) -> None:
    """Delete the task the editor last read as ``version``, with its dependencies; one with
    progress reports is refused (it is cancelled instead)."""
    task, plan = await get_task(session, secretariat_id, task_id)
    check_version(task.version, version)
    await TASK_KEPT(session, task)
    data = {"code": task.code, "title": task.title}
    await delete_item(session, actor, "task", task, secretariat_id, plan.id, data)
