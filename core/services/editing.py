"""Changing and deleting plans, objectives, activities, indicators, secretariats and people.

Each update takes the version the editor last read (a stale one is refused), changes only the
fields given, and records what changed (before and after) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.i18n import N_
from core.errors import Conflict, InvalidInput, NotFound
from core.models import (
    Activity,
    Frequency,
    Indicator,
    Objective,
    Person,
    PersonRole,
    Plan,
    Role,
    Secretariat,
    Sector,
)
from core.services import audit, scope
from core.services.people import check_person_fields
from core.services.plans import check_version
from core.services.values import quantity, text
from core.services.values import weight as weight_value

Cleaners = Mapping[str, Callable[[Any], Any]]


def _optional_text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _frequency(value: Any) -> Frequency:
    try:
        return Frequency(value)
    except ValueError:
        raise InvalidInput(
            N_("Unknown frequency {value}; use one of: {choices}."),
            field="frequency",
            value=value,
            choices=", ".join(item.value for item in Frequency),
        ) from None


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise InvalidInput(N_("The year must be between 2000 and 2100."), field="year")
    return value


def _code(value: Any) -> str:
    code = text(value, "code")
    if len(code) > 32:
        raise InvalidInput(
            N_("The {field} is longer than {limit} characters."), field="code", limit=32
        )
    return code


def _clean(values: Mapping[str, Any], cleaners: Cleaners) -> dict[str, Any]:
    unknown = set(values) - set(cleaners)
    if unknown:
        raise InvalidInput(N_("Unknown field {field}."), field=sorted(unknown)[0])
    return {name: cleaners[name](value) for name, value in values.items()}


def _apply(item: Any, values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the values that differ; the before/after of what changed."""
    before = {name: getattr(item, name) for name in values if getattr(item, name) != values[name]}
    after = {name: values[name] for name in before}
    for name, value in after.items():
        setattr(item, name, value)
    return {"before": before, "after": after}


async def _record(session, actor, kind, item, secretariat_id, plan_id, change) -> None:
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action=f"{kind}.update",
        entity_type=kind,
        entity_id=item.id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=change,
    )


async def _refuse_taken_code(session, model, parent_column, parent_id, item, values) -> None:
    code = values.get("code")
    if code is None or code == item.code:
        return
    if await session.scalar(
        select(model.id).where(parent_column == parent_id, model.code == code, model.id != item.id)
    ):
        raise Conflict(N_("The code {code} is already in use here."), field="code", code=code)


PLAN_FIELDS: Cleaners = {"title": text, "description": _optional_text, "year": _year}
OBJECTIVE_FIELDS: Cleaners = {
    "code": _code,
    "title": text,
    "description": _optional_text,
    "pea_priority": _optional_text,
    "weight": weight_value,
}
ACTIVITY_FIELDS: Cleaners = {
    "code": _code,
    "title": text,
    "description": _optional_text,
    "weight": weight_value,
}
INDICATOR_FIELDS: Cleaners = {
    "name": lambda value: text(value, "name"),
    "unit": lambda value: text(value, "unit"),
    "frequency": _frequency,
    "method": _optional_text,
    "baseline": lambda value: quantity(value, "baseline"),
    "goal": lambda value: quantity(value, "goal"),
    "means_of_verification": _optional_text,
    "objective_id": lambda value: value,
    "responsible_id": lambda value: value,
}


async def update_plan(
    session: AsyncSession, secretariat_id: int, actor: str, plan_id: int, *, version: int, **fields
) -> Plan:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    check_version(plan.version, version)
    change = _apply(plan, _clean(fields, PLAN_FIELDS))
    if change["after"]:
        await _record(session, actor, "plan", plan, secretariat_id, plan.id, change)
    return plan


async def update_objective(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    objective_id: int,
    *,
    version: int,
    **fields,
) -> Objective:
    objective = await scope.get_objective(session, secretariat_id, objective_id)
    check_version(objective.version, version)
    values = _clean(fields, OBJECTIVE_FIELDS)
    await _refuse_taken_code(
        session, Objective, Objective.plan_id, objective.plan_id, objective, values
    )
    change = _apply(objective, values)
    if change["after"]:
        await _record(
            session, actor, "objective", objective, secretariat_id, objective.plan_id, change
        )
    return objective


async def update_activity(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    activity_id: int,
    *,
    version: int,
    **fields,
) -> Activity:
    activity = await scope.get_activity(session, secretariat_id, activity_id)
    check_version(activity.version, version)
    values = _clean(fields, ACTIVITY_FIELDS)
    await _refuse_taken_code(
        session, Activity, Activity.objective_id, activity.objective_id, activity, values
    )
    change = _apply(activity, values)
    if change["after"]:
        objective = await scope.get_objective(session, secretariat_id, activity.objective_id)
        await _record(
            session, actor, "activity", activity, secretariat_id, objective.plan_id, change
        )
    return activity


async def update_indicator(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    indicator_id: int,
    *,
    version: int,
    **fields,
) -> Indicator:
    indicator = await scope.get_indicator(session, secretariat_id, indicator_id)
    check_version(indicator.version, version)
    values = _clean(fields, INDICATOR_FIELDS)
    if values.get("objective_id") is not None:
        objective = await scope.get_objective(session, secretariat_id, values["objective_id"])
        if objective.plan_id != indicator.plan_id:
            raise InvalidInput(
                N_("Objective {id} is not part of this plan."),
                field="objective_id",
                id=objective.id,
            )
    if values.get("responsible_id") is not None:
        await scope.get_person(session, secretariat_id, values["responsible_id"])
    name = values.get("name")
    if (
        name is not None
        and name != indicator.name
        and await session.scalar(
            select(Indicator.id).where(
                Indicator.plan_id == indicator.plan_id, Indicator.name == name
            )
        )
    ):
        raise Conflict(N_("This plan already has an indicator named {name}."), name=name)
    change = _apply(indicator, values)
    if change["after"]:
        await _record(
            session, actor, "indicator", indicator, secretariat_id, indicator.plan_id, change
        )
    return indicator


def _time_zone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(N_("Unknown time zone {zone}."), field="time_zone", zone=value) from None
    return str(value)


SECRETARIAT_FIELDS: Cleaners = {
    "name": lambda value: text(value, "name"),
    "state": lambda value: text(value, "state"),
    "time_zone": _time_zone,
}


async def get_secretariat(session: AsyncSession, secretariat_id: int) -> Secretariat:
    secretariat = await session.get(Secretariat, secretariat_id)
    if secretariat is None:
        raise NotFound(N_("Secretariat {id} not found."), id=secretariat_id)
    return secretariat


async def update_secretariat(
    session: AsyncSession, actor: str, secretariat_id: int, **fields
) -> Secretariat:
    secretariat = await get_secretariat(session, secretariat_id)
    change = _apply(secretariat, _clean(fields, SECRETARIAT_FIELDS))
    if change["after"]:
        await _record(session, actor, "secretariat", secretariat, secretariat.id, None, change)
    return secretariat


PERSON_FIELDS = (
    "name",
    "roles",
    "sector",
    "organisation",
    "email",
    "language",
    "time_zone",
    "reachable",
)


async def update_person(
    session: AsyncSession, secretariat_id: int, actor: str, person_id: int, **fields
) -> Person:
    person = await scope.get_person(session, secretariat_id, person_id)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(N_("Unknown field {field}."), field=sorted(unknown)[0])
    roles = {Role(role) for role in fields.pop("roles", person.roles)}
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower() if fields["email"] else None
    if "sector" in fields and fields["sector"] is not None:
        fields["sector"] = Sector(fields["sector"])
    merged = {name: fields.get(name, getattr(person, name)) for name in PERSON_FIELDS[2:]}
    check_person_fields(
        roles, merged["sector"], merged["language"], merged["time_zone"], merged["email"]
    )
    email = fields.get("email")
    if (
        email
        and email != person.email
        and await session.scalar(
            select(Person.id).where(Person.secretariat_id == secretariat_id, Person.email == email)
        )
    ):
        raise Conflict(N_("Someone with the email {email} already exists."), email=email)
    change = _apply(person, fields)
    if roles != person.roles:
        change["before"]["roles"] = sorted(person.roles)
        change["after"]["roles"] = sorted(roles)
        person.role_links = [PersonRole(role=role) for role in sorted(roles)]
    if change["after"]:
        # Personal data stays out of the audit log: only which fields changed, and roles.
        data = {
            "fields": sorted(change["after"]),
            "roles": change["after"].get("roles"),
            "reachable": change["after"].get("reachable"),
        }
        await _record(session, actor, "person", person, secretariat_id, None, data)
    return person


async def _delete(session, actor, kind, item, secretariat_id, plan_id, data) -> None:
    # One statement: the database's ON DELETE CASCADE removes the children, where the ORM
    # would load and delete them one by one.
    await session.execute(delete(type(item)).where(type(item).id == item.id))
    session.expunge(item)
    await audit.record(
        session,
        actor=actor,
        action=f"{kind}.delete",
        entity_type=kind,
        entity_id=item.id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=data,
    )


async def delete_plan(
    session: AsyncSession, secretariat_id: int, actor: str, plan_id: int, *, version: int
) -> None:
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    check_version(plan.version, version)
    data = {"year": plan.year, "title": plan.title}
    await _delete(session, actor, "plan", plan, secretariat_id, plan.id, data)


async def delete_objective(
    session: AsyncSession, secretariat_id: int, actor: str, objective_id: int, *, version: int
) -> None:
    objective = await scope.get_objective(session, secretariat_id, objective_id)
    check_version(objective.version, version)
    data = {"code": objective.code, "title": objective.title}
    await _delete(session, actor, "objective", objective, secretariat_id, objective.plan_id, data)


async def delete_activity(
    session: AsyncSession, secretariat_id: int, actor: str, activity_id: int, *, version: int
) -> None:
    activity = await scope.get_activity(session, secretariat_id, activity_id)
    check_version(activity.version, version)
    objective = await scope.get_objective(session, secretariat_id, activity.objective_id)
    data = {"code": activity.code, "title": activity.title}
    await _delete(session, actor, "activity", activity, secretariat_id, objective.plan_id, data)


async def delete_task(
    session: AsyncSession, secretariat_id: int, actor: str, task_id: int, *, version: int
) -> None:
    task, plan = await scope.get_task(session, secretariat_id, task_id)
    check_version(task.version, version)
    data = {"code": task.code, "title": task.title}
    await _delete(session, actor, "task", task, secretariat_id, plan.id, data)


async def delete_indicator(
    session: AsyncSession, secretariat_id: int, actor: str, indicator_id: int, *, version: int
) -> None:
    indicator = await scope.get_indicator(session, secretariat_id, indicator_id)
    check_version(indicator.version, version)
    data = {"name": indicator.name}
    await _delete(session, actor, "indicator", indicator, secretariat_id, indicator.plan_id, data)
