"""A plan's reminder rules, as coordinators set them: which reminders its tasks and its
indicators' values send."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict
from core.models import ReminderKind, ReminderRule
from core.notify.rule_values import FIELDS, check, make_rule, record
from core.plans.editable import check_version
from core.plans.plans import get_plan, in_plans
from i18n import N_


async def _refuse_duplicate(
    session: AsyncSession, plan_id: int, kind: ReminderKind, days: int, rule_id: int | None = None
) -> None:
    query = select(ReminderRule.id).where(
        ReminderRule.plan_id == plan_id, ReminderRule.kind == kind, ReminderRule.days == days
    )
    if rule_id is not None:
        query = query.where(ReminderRule.id != rule_id)
    if await session.scalar(query) is not None:
        raise Conflict(N_("The plan already has that reminder rule."), field="kind")


async def list_rules(
    session: AsyncSession, secretariat_id: int, plan_id: int
) -> list[ReminderRule]:
    plan = await get_plan(session, secretariat_id, plan_id)
    return list(
        await session.scalars(
            select(ReminderRule)
            .where(ReminderRule.plan_id == plan.id)
            .order_by(ReminderRule.kind, ReminderRule.days, ReminderRule.id)
        )
    )


async def get_rule(session: AsyncSession, secretariat_id: int, rule_id: int) -> ReminderRule:
    missing = N_("Reminder rule {id} not found.")
    return await in_plans(session, ReminderRule, secretariat_id, rule_id, missing)


async def add_rule(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    kind: ReminderKind | str,
    days: int = 0,
    **options: Any,
) -> ReminderRule:
    """A new rule of the plan, unless it has one of that kind and days; ``options`` are
    ``make_rule``'s (``escalate_after_days``, ``active``)."""
    plan = await get_plan(session, secretariat_id, plan_id)
    await _refuse_duplicate(session, plan.id, ReminderKind(kind), days)
    return await make_rule(session, secretariat_id, actor, plan.id, kind=kind, days=days, **options)


async def update_rule(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    rule_id: int,
    *,
    expected_version: int | None = None,
    **fields: Any,
) -> ReminderRule:
    rule = await get_rule(session, secretariat_id, rule_id)
    check_version(rule.version, expected_version)
    # Only the escalation can be taken away with null; a null elsewhere leaves the field as is.
    values = {
        name: fields[name]
        for name in FIELDS
        if name in fields and (fields[name] is not None or name == "escalate_after_days")
    }
    if "kind" in values:
        values["kind"] = ReminderKind(values["kind"])
    merged = {**record(rule), **values}
    check(merged["kind"], merged["days"], merged["escalate_after_days"])
    await _refuse_duplicate(session, rule.plan_id, merged["kind"], merged["days"], rule.id)
    before = record(rule)
    for name, value in values.items():
        setattr(rule, name, value)
    if record(rule) == before:
        return rule
    await session.flush()
    change = {"before": before, "after": record(rule)}
    await chain.about(
        session, rule, "reminder_rule.update", actor, secretariat_id, rule.plan_id, change
    )
    return rule


async def delete_rule(
    session: AsyncSession, secretariat_id: int, actor: Actor, rule_id: int, *, version: int | None
) -> None:
    rule = await get_rule(session, secretariat_id, rule_id)
    check_version(rule.version, version)
    gone = {"before": record(rule)}
    await chain.about(
        session, rule, "reminder_rule.delete", actor, secretariat_id, rule.plan_id, gone
    )
    await session.delete(rule)
    await session.flush()
