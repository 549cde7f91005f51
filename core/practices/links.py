"""What backs a practice's results: indicators of the secretariat's plans and its public
evidence, checked to be the secretariat's own and replaced as a whole when edited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.models import (
    Activity,
    Evidence,
    Indicator,
    Objective,
    PeaPriority,
    Plan,
    Practice,
    PracticeEvidence,
    PracticeIndicator,
    ProgressReport,
    Task,
)
from i18n import N_


async def refuse_foreign_links(
    session: AsyncSession, secretariat_id: int, values: dict[str, Any]
) -> None:
    """Every indicator and evidence linked is the secretariat's; evidence is public; the PEA
    priority cited is one of its own."""
    if values.get("pea_priority") is not None:
        known = await session.scalar(
            select(PeaPriority.id).where(
                PeaPriority.secretariat_id == secretariat_id,
                PeaPriority.code == values["pea_priority"],
            )
        )
        if known is None:
            raise InvalidInput(
                N_("The secretariat has no PEA priority {code}."),
                field="pea_priority",
                code=values["pea_priority"],
            )
    if wanted := values.get("indicator_ids"):
        own = set(
            await session.scalars(
                select(Indicator.id)
                .join(Plan, Plan.id == Indicator.plan_id)
                .where(Indicator.id.in_(wanted), Plan.secretariat_id == secretariat_id)
            )
        )
        if missing := [item for item in wanted if item not in own]:
            raise NotFound(N_("Indicator {id} not found."), field="indicator_ids", id=missing[0])
    if wanted := values.get("evidence_ids"):
        public = set(
            await session.scalars(
                select(Evidence.id)
                .join(ProgressReport, ProgressReport.id == Evidence.report_id)
                .join(Task, Task.id == ProgressReport.task_id)
                .join(Activity, Activity.id == Task.activity_id)
                .join(Objective, Objective.id == Activity.objective_id)
                .join(Plan, Plan.id == Objective.plan_id)
                .where(
                    Evidence.id.in_(wanted),
                    Evidence.public.is_(True),
                    Plan.secretariat_id == secretariat_id,
                )
            )
        )
        if missing := [item for item in wanted if item not in public]:
            raise InvalidInput(
                N_("Evidence {id} is not public evidence of this secretariat."),
                field="evidence_ids",
                id=missing[0],
            )


async def replace_links(session: AsyncSession, practice: Practice, values: dict[str, Any]) -> None:
    """Replace the practice's links with those ``values`` name."""
    for field, model, column in (
        ("indicator_ids", PracticeIndicator, "indicator_id"),
        ("evidence_ids", PracticeEvidence, "evidence_id"),
    ):
        if field not in values:
            continue
        for row in await session.scalars(select(model).where(model.practice_id == practice.id)):
            await session.delete(row)
        await session.flush()
        session.add_all(model(practice_id=practice.id, **{column: item}) for item in values[field])
    await session.flush()
