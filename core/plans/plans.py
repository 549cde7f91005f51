"""Plans: created, read and listed within a secretariat, changed, deleted, and their audit log.

An id of another secretariat's plan is treated as missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.infra.listing import Page, Sorting, given_filters, paginate
from core.infra.lookup import of_secretariat, one
from core.infra.values import Cleaners, non_negative, text
from core.models import AuditEvent, Plan
from core.models.base import HeldByPlan
from core.notify.rule_values import start_rules
from core.plans.editable import Editable, optional_text
from core.plans.records import PLAN_KEPT
from i18n import N_


async def get_plan(session: AsyncSession, secretariat_id: int, plan_id: int) -> Plan:
    """The secretariat's plan ``plan_id``, or NotFound."""
    missing = N_("Plan {id} not found.")
    return await of_secretariat(session, Plan, secretariat_id, plan_id, missing)


Held = TypeVar("Held", bound=HeldByPlan)


async def in_plans(
    session: AsyncSession, model: type[Held], secretariat_id: int, item_id: int, missing: str
) -> Held:
    """The ``model`` row ``item_id`` of one of the secretariat's plans; ``missing`` names the id
    when there is none, or it is in another secretariat's plan."""
    query = (
        select(model)
        .join(Plan, Plan.id == model.plan_id)
        .where(model.id == item_id, Plan.secretariat_id == secretariat_id)
    )
    return await one(session, query, missing, item_id)


PLAN_SORTING = Sorting(
    {"id": Plan.id, "year": Plan.year, "title": Plan.title}, default="-year", tie_breaker=Plan.id
)


async def list_plans(
    session: AsyncSession,
    secretariat_id: int,
    *,
    year: int | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Plan]:
    """The secretariat's plans, newest year first unless ``sort`` says otherwise."""
    query = select(Plan).where(
        Plan.secretariat_id == secretariat_id, *given_filters((Plan.year, year))
    )
    return await paginate(session, query, PLAN_SORTING, sort=sort, limit=limit, offset=offset)


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise InvalidInput(N_("The year must be between 2000 and 2100."), field="year")
    return value


async def create_plan(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    year: int,
    title: str,
    description: str | None = None,
    reminder_rules: Sequence[Mapping[str, Any]] | None = None,
) -> Plan:
    """A new plan; its title is unique within the secretariat's plans of the year. It is
    reminded by ``reminder_rules`` if given (none if empty), else by the default rules."""
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
    # The event names the plan as its own plan, by an id known only once the plan is stored.
    session.add(plan)
    await session.flush()
    data = {"year": year, "title": title}
    await chain.about(session, plan, "plan.create", actor, secretariat_id, plan.id, data)
    await start_rules(session, secretariat_id, actor, plan, reminder_rules)
    return plan


async def _the_plan_itself(session: AsyncSession, secretariat_id: int, plan: Plan) -> int:
    return plan.id


def _grace_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 90:
        raise InvalidInput(
            N_("The grace must be a whole number of days from 0 to 90."),
            field="measurement_grace_days",
        )
    return value


def _jump_factor(value: Any) -> Decimal:
    # Stored with two decimals: 1.001 would be kept as 1, which is no jump at all.
    factor = non_negative(value, "measurement_jump_factor").quantize(Decimal("0.01"))
    if not 1 < factor <= 1000:
        raise InvalidInput(
            N_("The jump factor must be greater than 1 and at most 1000."),
            field="measurement_jump_factor",
        )
    return factor


PLAN_FIELDS: Cleaners = {
    "title": text,
    "description": optional_text,
    "year": _year,
    "measurement_grace_days": _grace_days,
    "measurement_jump_factor": _jump_factor,
}
PLANS = Editable(
    kind="plan",
    load=get_plan,
    cleaners=PLAN_FIELDS,
    plan_id=_the_plan_itself,
    summary=("year", "title"),
    kept=PLAN_KEPT,
)


update_plan = PLANS.update
delete_plan = PLANS.delete


AUDIT_SORTING = Sorting({"seq": AuditEvent.seq}, default="-seq", tie_breaker=AuditEvent.id)


async def plan_audit_log(
    session: AsyncSession, secretariat_id: int, plan_id: int, *, limit: int = 50, offset: int = 0
) -> Page[AuditEvent]:
    """The events of one plan, newest first. Deleted plans keep their events in the chain."""
    plan = await get_plan(session, secretariat_id, plan_id)
    query = select(AuditEvent).where(
        AuditEvent.plan_id == plan.id, AuditEvent.secretariat_id == secretariat_id
    )
    return await paginate(session, query, AUDIT_SORTING, limit=limit, offset=offset)
