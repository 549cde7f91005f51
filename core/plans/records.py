"""What keeps a part of a plan from being deleted: the record people made of their work.

Progress reports (with their evidence, validation requests and votes) and indicator
measurements are what the audit chain speaks of, so a part that holds any of them is never
deleted: a task is cancelled instead. The database refuses such a deletion too (its foreign
keys restrict); the check here names what holds the part, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.errors import Conflict
from core.models import Activity, Indicator, Measurement, Objective, Plan, ProgressReport, Task
from i18n import N_, Titled

Keeper = Callable[[AsyncSession, Any], Awaitable[None]]


async def reports_under(
    session: AsyncSession, column: InstrumentedAttribute[int], item_id: int
) -> int:
    """How many progress reports the tasks whose ``column`` is ``item_id`` have."""
    query = (
        select(func.count(ProgressReport.id))
        .join(Task, Task.id == ProgressReport.task_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(column == item_id)
    )
    return int(await session.scalar(query) or 0)


async def measurements_under(
    session: AsyncSession, column: InstrumentedAttribute[int], item_id: int
) -> int:
    """How many measurements the indicators whose ``column`` is ``item_id`` have."""
    query = (
        select(func.count(Measurement.id))
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(column == item_id)
    )
    return int(await session.scalar(query) or 0)


def _label(item: Plan | Objective | Activity | Task | Indicator) -> Titled:
    if isinstance(item, Plan):
        return Titled(item.title)
    if isinstance(item, Indicator):
        return Titled(item.name)
    return Titled(item.title, item.code)


Count = Callable[[AsyncSession, InstrumentedAttribute[int], int], Awaitable[int]]


def kept_by(count: Count, column: InstrumentedAttribute[int], message: str, held: str) -> Keeper:
    """Refuses deleting an item under which ``count`` (by ``column``) finds records; ``message``
    names how many as ``held``."""

    async def refuse(session: AsyncSession, item: Any) -> None:
        found: dict[str, Any] = {held: await count(session, column, item.id)}
        if found[held]:
            raise Conflict(message, label=_label(item), **found)

    return refuse


def kept_by_reports(column: InstrumentedAttribute[int], message: str) -> Keeper:
    """Refuses deleting an item whose tasks (by ``column``) have progress reports."""
    return kept_by(reports_under, column, message, "reports")


def kept_by_measurements(column: InstrumentedAttribute[int], message: str) -> Keeper:
    """Refuses deleting an item whose indicators (by ``column``) have measurements."""
    return kept_by(measurements_under, column, message, "measurements")


def kept_by_all(*keepers: Keeper) -> Keeper:
    """Each refusal in turn: the first that holds the item answers."""

    async def refuse(session: AsyncSession, item: Any) -> None:
        for keeper in keepers:
            await keeper(session, item)

    return refuse


TASK_KEPT = kept_by_reports(
    Task.id,
    N_(
        "Task {label} has progress reports ({reports}), kept as a record: it cannot be "
        "deleted. Set its status to cancelled instead."
    ),
)
ACTIVITY_KEPT = kept_by_reports(
    Task.activity_id,
    N_(
        "Activity {label} has tasks with progress reports ({reports}), kept as a record: it "
        "cannot be deleted. Set those tasks' status to cancelled instead."
    ),
)
OBJECTIVE_KEPT = kept_by_reports(
    Activity.objective_id,
    N_(
        "Objective {label} has tasks with progress reports ({reports}), kept as a record: it "
        "cannot be deleted. Set those tasks' status to cancelled instead."
    ),
)
PLAN_KEPT = kept_by_all(
    kept_by_reports(
        Objective.plan_id,
        N_(
            "Plan {label} has tasks with progress reports ({reports}), kept as a record: it "
            "cannot be deleted. Set those tasks' status to cancelled instead."
        ),
    ),
    kept_by_measurements(
        Indicator.plan_id,
        N_(
            "Plan {label} has indicators with measurements ({measurements}), kept as a "
            "record: it cannot be deleted. Leave it in place."
        ),
    ),
)
INDICATOR_KEPT = kept_by_measurements(
    Measurement.indicator_id,
    N_(
        "Indicator {label} has measurements ({measurements}), kept as a record: it cannot be "
        "deleted. Leave it in its plan."
    ),
)
