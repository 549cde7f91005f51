"""The national overview: each secretariat's current plan, its progress as reported and as civil
society validated it, its advances by validation state and when it last moved.

An *advance* is a progress report put to validation; it is counted by the state of its latest
validation request. Nothing here names a person.

Rolling a plan's progress up twice (as reported, as validated) reads every task, so the two
figures of each plan are kept with the sequence number of the plan's latest audit event: after
a change, only the plans it touched are rolled up again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Activity,
    AuditEvent,
    Objective,
    Plan,
    ProgressReport,
    Secretariat,
    Task,
    ValidationRequest,
    ValidationState,
)
from core.plans.progress import plan_readings
from core.public.advances import latest_requests


@dataclass(frozen=True, slots=True)
class AdvanceCounts:
    validated: int = 0
    disputed: int = 0
    waiting: int = 0
    # Closed without a verdict: too few answers in time, or answers that did not agree.
    unresolved: int = 0

    @classmethod
    def of(cls, states: Counter[ValidationState]) -> AdvanceCounts:
        return cls(
            validated=states[ValidationState.VALIDATED],
            disputed=states[ValidationState.DISPUTED],
            waiting=states[ValidationState.OPEN],
            unresolved=states[ValidationState.EXPIRED] + states[ValidationState.INCONCLUSIVE],
        )


@dataclass(frozen=True, slots=True)
class SecretariatSummary:
    slug: str
    name: str
    state: str
    plan_id: int | None = None
    plan_title: str | None = None
    plan_year: int | None = None
    reported: float | None = None
    validated: float | None = None
    advances: AdvanceCounts = field(default_factory=AdvanceCounts)
    last_activity: datetime | None = None


@dataclass(frozen=True, slots=True)
class PlanFigures:
    reported: float
    validated: float


class FiguresKept:
    """Each plan's two progress figures, with the plan's latest audit event when computed."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[int, PlanFigures]] = {}

    async def of(self, session: AsyncSession, plans: list[Plan]) -> dict[int, PlanFigures]:
        marks = await latest_events(session, [plan.id for plan in plans])
        figures = {}
        for plan in plans:
            mark = marks.get(plan.id, 0)
            kept = self._kept.get(plan.id)
            if kept is None or kept[0] != mark:
                readings = await plan_readings(session, plan.secretariat_id, plan.id)
                kept = (
                    mark,
                    PlanFigures(readings.reported.percent, readings.validated.percent),
                )
                self._kept[plan.id] = kept
            figures[plan.id] = kept[1]
        return figures


async def latest_events(session: AsyncSession, plan_ids: list[int]) -> dict[int, int]:
    """Per plan, the sequence number of its latest audit event."""
    rows = await session.execute(
        select(AuditEvent.plan_id, func.max(AuditEvent.seq))
        .where(AuditEvent.plan_id.in_(plan_ids))
        .group_by(AuditEvent.plan_id)
    )
    return {plan_id: seq for plan_id, seq in rows.all() if plan_id is not None}


def current_plan(plans: list[Plan], today: date) -> Plan | None:
    """This year's plan; else the latest of past years; else the nearest one to come. Within a
    year, the one created first: a second plan being drafted does not replace the published one."""
    past = [plan for plan in plans if plan.year <= today.year]
    if past:
        return max(past, key=lambda plan: (plan.year, -plan.id))
    return min(plans, key=lambda plan: (plan.year, plan.id), default=None)


async def advance_states(
    session: AsyncSession, plan_ids: list[int]
) -> dict[int, Counter[ValidationState]]:
    """Per plan, how many of its advances stand in each state (by their latest request)."""
    rows = await session.execute(
        select(ValidationRequest.plan_id, ValidationRequest.state, func.count())
        .where(ValidationRequest.id.in_(latest_requests(plan_ids)))
        .group_by(ValidationRequest.plan_id, ValidationRequest.state)
    )
    counted: dict[int, Counter[ValidationState]] = {plan_id: Counter() for plan_id in plan_ids}
    for plan_id, state, count in rows.all():
        counted[cast(int, plan_id)][state] = count  # a request of a plan: never None
    return counted


async def last_activity(session: AsyncSession, plan_ids: list[int]) -> dict[int, datetime]:
    """Per plan, the newest of its reports and of its validations' closings."""
    reported = await session.execute(
        select(Objective.plan_id, func.max(ProgressReport.created_at))
        .join(Task, Task.id == ProgressReport.task_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id.in_(plan_ids))
        .group_by(Objective.plan_id)
    )
    closed = await session.execute(
        select(ValidationRequest.plan_id, func.max(ValidationRequest.closed_at))
        .where(ValidationRequest.plan_id.in_(plan_ids))
        .group_by(ValidationRequest.plan_id)
    )
    newest: dict[int, datetime] = {}
    for plan_id, moment in [*reported.all(), *closed.all()]:
        plan_id = cast(int, plan_id)  # requests chosen by plan: never None
        if moment is not None and (plan_id not in newest or moment > newest[plan_id]):
            newest[plan_id] = moment
    return newest


async def national_overview(
    session: AsyncSession, today: date, kept: FiguresKept
) -> list[SecretariatSummary]:
    """Every secretariat, by name, with its current plan's figures."""
    secretariats = list(await session.scalars(select(Secretariat).order_by(Secretariat.name)))
    plans_of: dict[int, list[Plan]] = {secretariat.id: [] for secretariat in secretariats}
    for plan in await session.scalars(select(Plan)):
        plans_of[plan.secretariat_id].append(plan)
    current = {
        secretariat.id: chosen
        for secretariat in secretariats
        if (chosen := current_plan(plans_of[secretariat.id], today)) is not None
    }
    plan_ids = [plan.id for plan in current.values()]
    figures = await kept.of(session, list(current.values()))
    states = await advance_states(session, plan_ids)
    moved = await last_activity(session, plan_ids)
    summaries = []
    for secretariat in secretariats:
        if secretariat.id not in current:
            summaries.append(
                SecretariatSummary(secretariat.slug, secretariat.name, secretariat.state)
            )
            continue
        plan = current[secretariat.id]
        summaries.append(
            SecretariatSummary(
                secretariat.slug,
                secretariat.name,
                secretariat.state,
                plan_id=plan.id,
                plan_title=plan.title,
                plan_year=plan.year,
                reported=figures[plan.id].reported,
                validated=figures[plan.id].validated,
                advances=AdvanceCounts.of(states[plan.id]),
                last_activity=moved.get(plan.id),
            )
        )
    return summaries
