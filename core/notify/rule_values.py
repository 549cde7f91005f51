"""What a reminder rule may be, and the rules a new plan starts with.

Unless whoever creates a plan gives its rules, it is reminded by ``DEFAULT_RULES``: each
responsible three days before a task's due date and on the day, and every week while it is
overdue, the coordinators too from two weeks late.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.models import Plan, ReminderKind, ReminderRule
from i18n import N_

FIELDS = ("kind", "days", "escalate_after_days", "active")
DEFAULT_RULES: tuple[Mapping[str, Any], ...] = (
    {"kind": ReminderKind.BEFORE_DUE, "days": 3},
    {"kind": ReminderKind.ON_DUE},
    {"kind": ReminderKind.OVERDUE, "days": 7, "escalate_after_days": 14},
)


def check(kind: ReminderKind, days: int, escalate_after_days: int | None) -> None:
    """Refuses a rule whose days or escalation do not fit its kind."""
    if not 0 <= days <= 365:
        raise InvalidInput(N_("The days must be from 0 to 365."), field="days")
    if kind == ReminderKind.BEFORE_DUE and days < 1:
        raise InvalidInput(N_("A reminder before the due date needs at least 1 day."), field="days")
    if kind == ReminderKind.OVERDUE and days < 1:
        raise InvalidInput(N_("Overdue reminders repeat every 1 day or more."), field="days")
    if escalate_after_days is not None:
        if kind != ReminderKind.OVERDUE:
            raise InvalidInput(
                N_("Only overdue reminders reach the coordinators."), field="escalate_after_days"
            )
        if escalate_after_days < 1:
            raise InvalidInput(
                N_("The coordinators can be told after 1 day or more."),
                field="escalate_after_days",
            )


def record(rule: ReminderRule) -> dict[str, Any]:
    """The rule's fields, as the audit log records them."""
    return {name: getattr(rule, name) for name in FIELDS}


async def make_rule(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    kind: ReminderKind | str,
    days: int = 0,
    escalate_after_days: int | None = None,
    active: bool = True,
) -> ReminderRule:
    """A new rule of the plan, checked and audited (the caller refuses one it already has)."""
    kind = ReminderKind(kind)
    check(kind, days, escalate_after_days)
    rule = ReminderRule(
        plan_id=plan_id,
        kind=kind,
        days=days,
        escalate_after_days=escalate_after_days,
        active=active,
    )
    data = {"after": record(rule)}
    await chain.about(session, rule, "reminder_rule.create", actor, secretariat_id, plan_id, data)
    return rule


async def start_rules(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan: Plan,
    rules: Sequence[Mapping[str, Any]] | None = None,
) -> list[ReminderRule]:
    """A new plan's reminder rules: ``rules`` as given (none for an empty list), else the
    defaults."""
    made: list[ReminderRule] = []
    for fields in DEFAULT_RULES if rules is None else rules:
        if any(
            (rule.kind, rule.days) == (ReminderKind(fields["kind"]), fields.get("days", 0))
            for rule in made
        ):
            raise Conflict(N_("The plan already has that reminder rule."), field="kind")
        made.append(await make_rule(session, secretariat_id, actor, plan.id, **fields))
    return made
