"""A plan's validation policy: how many validators, from how many sectors, within what time;
which reports and which indicators' values are put to validation on their own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import InvalidInput
from core.infra.values import one_of
from core.models import (
    POLICY_DEFAULTS,
    MeasurementValidation,
    ValidationPolicy,
)
from core.plans.plans import get_plan
from i18n import N_


async def get_policy(session: AsyncSession, secretariat_id: int, plan_id: int) -> ValidationPolicy:
    """The plan's policy; the defaults (not stored) when it has none."""
    await get_plan(session, secretariat_id, plan_id)
    policy = await session.get(ValidationPolicy, plan_id)
    return policy or ValidationPolicy(plan_id=plan_id, **POLICY_DEFAULTS)


async def set_policy(
    session: AsyncSession, secretariat_id: int, actor: Actor, plan_id: int, **changes: Any
) -> ValidationPolicy:
    unknown = set(changes) - set(POLICY_DEFAULTS)
    if unknown:
        raise InvalidInput(N_("Unknown policy setting {name}."), name=sorted(unknown)[0])
    current = await get_policy(session, secretariat_id, plan_id)
    values = {name: getattr(current, name) for name in POLICY_DEFAULTS} | changes
    _check_policy(values)
    policy = await session.get(ValidationPolicy, plan_id)
    if policy is None:
        policy = ValidationPolicy(plan_id=plan_id)
        session.add(policy)
    for name, value in values.items():
        setattr(policy, name, value)
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="validation_policy.set",
        entity_type="plan",
        entity_id=plan_id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=values,
    )
    return policy


def _check_policy(values: dict[str, Any]) -> None:
    def whole(name: str, low: int, high: int) -> int:
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(
                N_("The {field} must be a whole number from {low} to {high}."),
                field=name,
                low=low,
                high=high,
            )
        return value

    wanted = whole("validators_per_request", 1, 20)
    confirmations = whole("min_confirmations", 1, wanted)
    whole("min_sectors", 1, confirmations)
    whole("deadline_days", 1, 90)
    whole("reply_days", 1, 90)
    whole("remind_days_before", 0, 90)
    for name in ("disputes_at_most_confirmations", "auto_request_on_done"):
        if not isinstance(values[name], bool):
            raise InvalidInput(N_("The {field} must be true or false."), field=name)
    values["validate_measurements"] = one_of(
        MeasurementValidation,
        values["validate_measurements"],
        "validate_measurements",
        N_("Unknown choice {value} of indicators to validate; use one of: {choices}."),
    )
