"""Changing and deleting plans, objectives, activities, indicators, secretariats and people.

Each update takes the version the editor last read (a stale one is refused), changes only the
fields given, and records what changed (before and after) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.audit import chain
from core.errors import Conflict, InvalidInput, NotFound
from core.infra.values import frequency, quantity, text
from core.infra.values import weight as weight_value
from core.models import (
    Activity,
    Indicator,
    Objective,
    Person,
    PersonRole,
    Plan,
    Role,
    Secretariat,
    Sector,
)
from core.people.people import check_person_fields
from core.plans import scope
from core.plans.plans import check_version
from i18n import N_

Cleaners = Mapping[str, Callable[[Any], Any]]
Refusal = Callable[[AsyncSession, int, Any, Mapping[str, Any]], Awaitable[None]]
T = TypeVar("T")


def _optional_text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


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
    await chain.record(
        session,
        actor=actor,
        action=f"{kind}.update",
        entity_type=kind,
        entity_id=item.id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=change,
    )


async def _delete(session, actor, kind, item, secretariat_id, plan_id, data) -> None:
    # One statement: the database's ON DELETE CASCADE removes the children, where the ORM
    # would load and delete them one by one.
    await session.execute(delete(type(item)).where(type(item).id == item.id))
    session.expunge(item)
    await chain.record(
        session,
        actor=actor,
        action=f"{kind}.delete",
        entity_type=kind,
        entity_id=item.id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=data,
    )


def _code_unique_under(parent: InstrumentedAttribute) -> Refusal:
    """Refuses a new code that a sibling (an item with the same ``parent``) already has."""
    model = parent.class_

    async def refuse(session, secretariat_id, item, values) -> None:
        code = values.get("code")
        if code is None or code == item.code:
            return
        parent_id = getattr(item, parent.key)
        if await session.scalar(
            select(model.id).where(parent == parent_id, model.code == code, model.id != item.id)
        ):
            raise Conflict(N_("The code {code} is already in use here."), field="code", code=code)

    return refuse


async def _refuse_bad_indicator_values(session, secretariat_id, indicator, values) -> None:
    """Its objective must be of its plan, its responsible of the secretariat, its name new."""
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


async def _the_plan_itself(session, secretariat_id, plan: Plan) -> int:
    return plan.id


async def _its_plan(session, secretariat_id, item: Objective | Indicator) -> int:
    return item.plan_id


async def _plan_of_activity(session, secretariat_id, activity: Activity) -> int:
    """An activity knows only its objective: one more statement finds the plan."""
    objective = await scope.get_objective(session, secretariat_id, activity.objective_id)
    return objective.plan_id


@dataclass(frozen=True)
class Editable(Generic[T]):
    """One kind of a plan's parts, and what changing or deleting one takes.

    ``load`` finds an item within a secretariat; ``refuse`` checks cleaned values against what
    is stored; ``plan_id`` names the plan its events belong to, asked only when an event is
    recorded; ``summary`` names the fields the delete event keeps.
    """

    kind: str
    load: Callable[[AsyncSession, int, int], Awaitable[T]]
    cleaners: Cleaners
    plan_id: Callable[[AsyncSession, int, T], Awaitable[int]]
    summary: tuple[str, ...]
    refuse: Refusal | None = None

    async def update(
        self,
        session: AsyncSession,
        secretariat_id: int,
        actor: str,
        item_id: int,
        version: int,
        fields: Mapping[str, Any],
    ) -> T:
        """Only the fields given change; no event is recorded when none of them differs."""
        item = await self.load(session, secretariat_id, item_id)
        check_version(item.version, version)
        values = _clean(fields, self.cleaners)
        if self.refuse is not None:
            await self.refuse(session, secretariat_id, item, values)
        change = _apply(item, values)
        if change["after"]:
            plan_id = await self.plan_id(session, secretariat_id, item)
            await _record(session, actor, self.kind, item, secretariat_id, plan_id, change)
        return item

    async def delete(
        self, session: AsyncSession, secretariat_id: int, actor: str, item_id: int, version: int
    ) -> None:
        item = await self.load(session, secretariat_id, item_id)
        check_version(item.version, version)
        plan_id = await self.plan_id(session, secretariat_id, item)
        data = {name: getattr(item, name) for name in self.summary}
        await _delete(session, actor, self.kind, item, secretariat_id, plan_id, data)


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
    "frequency": frequency,
    "method": _optional_text,
    "baseline": lambda value: quantity(value, "baseline"),
    "goal": lambda value: quantity(value, "goal"),
    "means_of_verification": _optional_text,
    "objective_id": lambda value: value,
    "responsible_id": lambda value: value,
}

PLANS = Editable(
    kind="plan",
    load=scope.get_plan,
    cleaners=PLAN_FIELDS,
    plan_id=_the_plan_itself,
    summary=("year", "title"),
)
OBJECTIVES = Editable(
    kind="objective",
    load=scope.get_objective,
    cleaners=OBJECTIVE_FIELDS,
    plan_id=_its_plan,
    summary=("code", "title"),
    refuse=_code_unique_under(Objective.plan_id),
)
ACTIVITIES = Editable(
    kind="activity",
    load=scope.get_activity,
    cleaners=ACTIVITY_FIELDS,
    plan_id=_plan_of_activity,
    summary=("code", "title"),
    refuse=_code_unique_under(Activity.objective_id),
)
INDICATORS = Editable(
    kind="indicator",
    load=scope.get_indicator,
    cleaners=INDICATOR_FIELDS,
    plan_id=_its_plan,
    summary=("name",),
    refuse=_refuse_bad_indicator_values,
)


async def update_plan(
    session: AsyncSession, secretariat_id: int, actor: str, plan_id: int, *, version: int, **fields
) -> Plan:
    return await PLANS.update(session, secretariat_id, actor, plan_id, version, fields)


async def update_objective(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    objective_id: int,
    *,
    version: int,
    **fields,
) -> Objective:
    return await OBJECTIVES.update(session, secretariat_id, actor, objective_id, version, fields)


async def update_activity(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    activity_id: int,
    *,
    version: int,
    **fields,
) -> Activity:
    return await ACTIVITIES.update(session, secretariat_id, actor, activity_id, version, fields)


async def update_indicator(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    indicator_id: int,
    *,
    version: int,
    **fields,
) -> Indicator:
    return await INDICATORS.update(session, secretariat_id, actor, indicator_id, version, fields)


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


async def delete_plan(
    session: AsyncSession, secretariat_id: int, actor: str, plan_id: int, *, version: int
) -> None:
    await PLANS.delete(session, secretariat_id, actor, plan_id, version)


async def delete_objective(
    session: AsyncSession, secretariat_id: int, actor: str, objective_id: int, *, version: int
) -> None:
    await OBJECTIVES.delete(session, secretariat_id, actor, objective_id, version)


async def delete_activity(
    session: AsyncSession, secretariat_id: int, actor: str, activity_id: int, *, version: int
) -> None:
    await ACTIVITIES.delete(session, secretariat_id, actor, activity_id, version)


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
    await INDICATORS.delete(session, secretariat_id, actor, indicator_id, version)
