"""A field-by-field change to an entity: what differs, before and after, in the audit chain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor


def apply_changes(item: Any, values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the values that differ; the before/after of what changed."""
    before = {name: getattr(item, name) for name in values if getattr(item, name) != values[name]}
    after = {name: values[name] for name in before}
    for name, value in after.items():
        setattr(item, name, value)
    return {"before": before, "after": after}


async def record_update(
    session: AsyncSession,
    actor: Actor,
    kind: str,
    item: Any,
    secretariat_id: int,
    plan_id: int | None,
    change: dict[str, Any],
) -> None:
    """Record ``kind.update`` for ``item`` with what changed."""
    await session.flush()
    await chain.about(session, item, f"{kind}.update", actor, secretariat_id, plan_id, change)
