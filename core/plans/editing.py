"""Changing and deleting plans, objectives, activities, tasks and indicators.

Each update takes the version the editor last read (a stale one is refused), changes only the
fields given, and records what changed (before and after) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.audit import chain
from core.audit.changes import apply_changes, record_update
from core.errors import Conflict, InvalidInput
from core.infra.values import Cleaners, clean_fields, frequency, quantity, text
from core.infra.values import weight as weight_value
from core.models import (
    Activity,
    Indicator,
    Objective,
    Plan,
)
from core.people import people
from core.plans import scope
from core.plans.plans import check_version
from i18n import N_

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
        await people.get_person(session, secretariat_id, values["responsible_id"])
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
        values = clean_fields(fields, self.cleaners)
        if self.refuse is not None:
            await self.refuse(session, secretariat_id, item, values)
        change = apply_changes(item, values)
        if change["after"]:
            plan_id = await self.plan_id(session, secretariat_id, item)
            await record_update(session, actor, self.kind, item, secretariat_id, plan_id, change)
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
