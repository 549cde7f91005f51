"""Creating and changing plans, objectives, activities and tasks.

Every function checks the secretariat's ownership, validates values with a precise error, and
writes its audit event in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.errors import Conflict, InvalidInput, NotFound
from core.infra.values import day, non_negative, one_of, percent, string_list, text
from core.infra.values import weight as weight_value
from core.models import Activity, Objective, Person, Plan, Task, TaskStatus
from core.plans import scope
from i18n import N_


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


def check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise Conflict(
            N_("It was changed by someone else (version {current}, not {expected}); reload it."),
            current=current,
            expected=expected,
        )


async def _next_code(session: AsyncSession, column, parent_column, parent_id: int, prefix: str):
    count = await session.scalar(select(func.count(column)).where(parent_column == parent_id))
    return f"{prefix}{(count or 0) + 1}"


async def create_plan(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    *,
    year: int,
    title: str,
    description: str | None = None,
) -> Plan:
    if not 2000 <= year <= 2100:
        raise InvalidInput(N_("The year must be between 2000 and 2100."), field="year")
    title = text(title)
    duplicate = await session.scalar(
        select(Plan.id).where(
            Plan.secretariat_id == secretariat_id, Plan.year == year, Plan.title == title
        )
    )
    if duplicate:
        raise Conflict(N_("A plan with that title already exists for {year}."), year=year)
    plan = Plan(secretariat_id=secretariat_id, year=year, title=title, description=description)
    session.add(plan)
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="plan.create",
        entity_type="plan",
        entity_id=plan.id,
        secretariat_id=secretariat_id,
        plan_id=plan.id,
        data={"year": year, "title": title},
    )
    return plan


async def add_objective(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    plan_id: int,
    *,
    title: str,
    code: str | None = None,
    description: str | None = None,
    pea_priority: str | None = None,
    weight: Any = None,
) -> Objective:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    code = code or await _next_code(session, Objective.id, Objective.plan_id, plan.id, "")
    await _refuse_duplicate_code(session, Objective, Objective.plan_id, plan.id, code)
    objective = Objective(
        plan_id=plan.id,
        code=code,
        title=text(title),
        description=description,
        pea_priority=pea_priority,
        weight=weight_value(weight),
        position=int(
            await session.scalar(select(func.count()).where(Objective.plan_id == plan.id))
        ),
    )
    session.add(objective)
    await session.flush()
    await _record_created(session, actor, "objective", objective, plan, ("code", "title"))
    return objective


async def add_activity(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    objective_id: int,
    *,
    title: str,
    code: str | None = None,
    description: str | None = None,
    weight: Any = None,
) -> Activity:
    objective = await scope.get_objective(session, secretariat_id, objective_id)
    code = code or await _next_code(
        session, Activity.id, Activity.objective_id, objective.id, f"{objective.code}."
    )
    await _refuse_duplicate_code(session, Activity, Activity.objective_id, objective.id, code)
    activity = Activity(
        objective_id=objective.id,
        code=code,
        title=text(title),
        description=description,
        weight=weight_value(weight),
        position=int(
            await session.scalar(select(func.count()).where(Activity.objective_id == objective.id))
        ),
    )
    session.add(activity)
    await session.flush()
    plan = await scope.get_plan(session, secretariat_id, objective.plan_id)
    await _record_created(session, actor, "activity", activity, plan, ("code", "title"))
    return activity


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
        "description": lambda value: value or None,
        "estimated_hours": lambda value: non_negative(value, "estimated_hours"),
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
    actor: str,
    activity_id: int,
    *,
    code: str | None = None,
    responsible_ids: Iterable[int] = (),
    **fields: Any,
) -> Task:
    activity = await scope.get_activity(session, secretariat_id, activity_id)
    values = _clean_task_fields({"title": fields.pop("title", None), **fields})
    _check_dates(values.get("start_date"), values.get("due_date"))
    if values.get("status") == TaskStatus.DONE:
        values["percent"] = 100
    code = code or await _next_code(
        session, Task.id, Task.activity_id, activity.id, f"{activity.code}."
    )
    await _refuse_duplicate_code(session, Task, Task.activity_id, activity.id, code)
    responsibles = await _people(session, secretariat_id, responsible_ids)
    task = Task(
        activity_id=activity.id,
        code=code,
        position=int(
            await session.scalar(select(func.count()).where(Task.activity_id == activity.id))
        ),
        responsibles=responsibles,
        **values,
    )
    session.add(task)
    await session.flush()
    objective = await scope.get_objective(session, secretariat_id, activity.objective_id)
    await chain.record(
        session,
        actor=actor,
        action="task.create",
        entity_type="task",
        entity_id=task.id,
        secretariat_id=secretariat_id,
        plan_id=objective.plan_id,
        data={
            "code": code,
            **values,
            "responsible_ids": [person.id for person in responsibles],
        },
    )
    return task


async def update_task(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    task_id: int,
    *,
    expected_version: int | None = None,
    responsible_ids: Iterable[int] | None = None,
    **fields: Any,
) -> Task:
    """Change some fields of a task; ``expected_version`` guards against lost updates."""
    task, plan = await scope.get_task(session, secretariat_id, task_id)
    check_version(task.version, expected_version)
    values = _clean_task_fields(fields)
    if values.get("status") == TaskStatus.DONE:
        values["percent"] = 100
    _check_dates(values.get("start_date", task.start_date), values.get("due_date", task.due_date))
    before = {name: getattr(task, name) for name in values if getattr(task, name) != values[name]}
    after = {name: values[name] for name in before}
    for name, value in after.items():
        setattr(task, name, value)
    if responsible_ids is not None:
        people = await _people(session, secretariat_id, responsible_ids)
        old_ids = [person.id for person in task.responsibles]
        new_ids = [person.id for person in people]
        if sorted(old_ids) != sorted(new_ids):
            before["responsible_ids"], after["responsible_ids"] = old_ids, new_ids
            task.responsibles = people
    if not after:
        return task
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="task.update",
        entity_type="task",
        entity_id=task.id,
        secretariat_id=secretariat_id,
        plan_id=plan.id,
        data={"before": before, "after": after},
    )
    return task


async def _people(session: AsyncSession, secretariat_id: int, ids: Iterable[int]) -> list[Person]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    people = (
        await session.scalars(
            select(Person).where(Person.id.in_(wanted), Person.secretariat_id == secretariat_id)
        )
    ).all()
    found = {person.id for person in people}
    for person_id in wanted:
        if person_id not in found:
            raise NotFound(N_("Person {id} not found."), field="responsible_ids", id=person_id)
    return sorted(people, key=lambda person: wanted.index(person.id))


async def _refuse_duplicate_code(session, model, parent_column, parent_id: int, code: str) -> None:
    taken = await session.scalar(
        select(model.id).where(parent_column == parent_id, model.code == code)
    )
    if taken:
        raise Conflict(N_("The code {code} is already in use here."), field="code", code=code)


async def _record_created(session, actor: str, kind: str, item, plan: Plan, fields) -> None:
    await chain.record(
        session,
        actor=actor,
        action=f"{kind}.create",
        entity_type=kind,
        entity_id=item.id,
        secretariat_id=plan.secretariat_id,
        plan_id=plan.id,
        data={name: getattr(item, name) for name in fields},
    )
