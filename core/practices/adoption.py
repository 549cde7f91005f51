"""Adopting another secretariat's published practice into one's own plan, and who adopted a
practice and how far they got.

An adoption creates a line of action at the end of the plan (or, given a line of action of that
plan, an activity under it) with the practice's title, citing the practice in its description,
in the national priority it serves and in the audit chain. A secretariat adopts a practice once
per plan; it never adopts its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.models import (
    Activity,
    Objective,
    Plan,
    Practice,
    PracticeAdoption,
    Secretariat,
)
from core.plans import structure
from core.plans.plans import get_plan
from core.plans.progress import items_progress
from core.practices.reading import get_published
from i18n import N_, Titled, gettext


@dataclass(frozen=True, slots=True)
class Adopted:
    """What an adoption created in the adopting secretariat's plan."""

    adoption_id: int
    practice_id: int
    plan_id: int
    objective_id: int
    activity_id: int | None
    code: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Adopter:
    """A secretariat that adopted a practice, and how far the item it created has got."""

    secretariat_id: int
    secretariat_slug: str
    secretariat_name: str
    secretariat_state: str
    plan_id: int
    plan_title: str
    plan_year: int
    level: str
    item_id: int
    code: str
    title: str
    reported_percent: float
    validated_percent: float
    tasks_total: int
    tasks_done: int
    adopted_at: datetime


def citation(practice: Practice, origin: Secretariat, language: str) -> str:
    """What the created item says of where it comes from, in ``language``."""
    return gettext(
        language,
        "Adopted from good practice {id}, {title}, of {secretariat} ({state}).",
        id=practice.id,
        title=Titled(practice.title),
        secretariat=origin.name,
        state=origin.state,
    )


async def adopt(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    practice_id: int,
    *,
    plan_id: int,
    objective_id: int | None = None,
    language: str,
) -> Adopted:
    """Adopt the published practice into the secretariat's plan: a new line of action, or an
    activity under ``objective_id`` (a line of action of that plan)."""
    practice = await get_published(session, practice_id)
    if practice.secretariat_id == secretariat_id:
        raise InvalidInput(N_("A secretariat cannot adopt its own practice."), field="practice_id")
    plan = await get_plan(session, secretariat_id, plan_id)
    await _refuse_second_adoption(session, practice, plan)
    origin = await session.get_one(Secretariat, practice.secretariat_id)
    described = citation(practice, origin, language)
    objective: Objective
    activity: Activity | None = None
    if objective_id is None:
        objective = await structure.add_objective(
            session, secretariat_id, actor, plan.id,
            title=practice.title, description=described,
            pna_priorities=[practice.pna_priority] if practice.pna_priority else None,
        )  # fmt: skip
    else:
        objective = await structure.get_objective(session, secretariat_id, objective_id)
        if objective.plan_id != plan.id:
            raise InvalidInput(
                N_("Line of action {objective} is not in plan {plan}."),
                field="objective_id",
                objective=objective.id,
                plan=plan.id,
            )
        activity = await structure.add_activity(
            session, secretariat_id, actor, objective.id,
            title=practice.title, description=described,
        )  # fmt: skip
    adoption = PracticeAdoption(
        practice_id=practice.id,
        secretariat_id=secretariat_id,
        plan_id=plan.id,
        objective_id=objective.id,
        activity_id=activity.id if activity is not None else None,
    )
    await chain.about(
        session, adoption, "practice.adopt", actor, secretariat_id, plan.id,
        data={
            "practice_id": practice.id,
            "from_secretariat_id": practice.secretariat_id,
            "objective_id": objective.id,
            "activity_id": adoption.activity_id,
        },
    )  # fmt: skip
    made = activity if activity is not None else objective
    return Adopted(
        adoption_id=adoption.id,
        practice_id=practice.id,
        plan_id=plan.id,
        objective_id=objective.id,
        activity_id=adoption.activity_id,
        code=made.code,
        title=made.title,
        description=described,
    )


async def _refuse_second_adoption(session: AsyncSession, practice: Practice, plan: Plan) -> None:
    earlier = await session.scalar(
        select(PracticeAdoption).where(
            PracticeAdoption.practice_id == practice.id, PracticeAdoption.plan_id == plan.id
        )
    )
    if earlier is None:
        return
    line = await session.get_one(Objective, earlier.objective_id)
    raise Conflict(
        N_("Practice {id} is already adopted into plan {plan}, in line of action {line}."),
        field="plan_id",
        id=practice.id,
        plan=plan.id,
        line=Titled(line.title, line.code),
    )


async def adopters(session: AsyncSession, practice_id: int) -> list[Adopter]:
    """The secretariats that adopted the practice, oldest adoption first, each with the
    progress (as reported, and as civil society validated it) of the item it created, in five
    statements whatever their number. Names institutions only, never people."""
    rows = (
        await session.execute(
            select(PracticeAdoption, Secretariat, Plan)
            .join(Secretariat, Secretariat.id == PracticeAdoption.secretariat_id)
            .join(Plan, Plan.id == PracticeAdoption.plan_id)
            .where(PracticeAdoption.practice_id == practice_id)
            .order_by(PracticeAdoption.id)
        )
    ).all()
    lines = [adoption.objective_id for adoption, *_ in rows if adoption.activity_id is None]
    activities = [adoption.activity_id for adoption, *_ in rows if adoption.activity_id]
    progress = await items_progress(session, lines, activities)
    found = []
    for adoption, secretariat, plan in rows:
        level, item_id = (
            ("objective", adoption.objective_id)
            if adoption.activity_id is None
            else ("activity", adoption.activity_id)
        )
        item = progress.get((level, item_id))
        if item is None:
            continue
        reported = item.reported
        found.append(
            Adopter(
                secretariat_id=secretariat.id,
                secretariat_slug=secretariat.slug,
                secretariat_name=secretariat.name,
                secretariat_state=secretariat.state,
                plan_id=plan.id,
                plan_title=plan.title,
                plan_year=plan.year,
                level=level,
                item_id=item_id,
                code=reported.code or "",
                title=reported.title,
                reported_percent=reported.percent,
                validated_percent=item.validated.percent,
                tasks_total=reported.tasks_total,
                tasks_done=reported.tasks_done,
                adopted_at=adoption.created_at,
            )
        )
    return found
