"""Small builders for test data, going through the real services."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Activity, Objective, Person, Plan, ProgressReport, Role, Secretariat, Task
from core.people import secretariats
from core.people.people import create_person
from core.plans import dependencies, plans, structure
from core.plans.tasks import add_task
from core.reporting import reports
from core.reporting.evidence import EvidenceItem, StoredFile

ACTOR = "test"


async def secretariat(session: AsyncSession, slug: str = "sesea-ags") -> Secretariat:
    return await secretariats.create_secretariat(
        session, ACTOR, slug=slug, name=f"Secretaría {slug}", state="Aguascalientes"
    )


async def staff(session: AsyncSession, secretariat_id: int, name: str = "Ana"):
    return await create_person(session, secretariat_id, ACTOR, roles={Role.STAFF}, name=name)


async def plan_with_activity(session: AsyncSession, secretariat_id: int, year: int = 2026):
    """A plan with one objective and one activity, and no reminder rules (tests add theirs)."""
    plan = await plans.create_plan(
        session, secretariat_id, ACTOR, year=year, title="Plan anual", reminder_rules=()
    )
    objective = await structure.add_objective(session, secretariat_id, ACTOR, plan.id, title="Obj")
    activity = await structure.add_activity(
        session, secretariat_id, ACTOR, objective.id, title="Act"
    )
    return plan, activity


async def chain(
    session: AsyncSession,
    secretariat_id: int,
    activity_id: int,
    spec: dict[str, int],
    edges: list[tuple[str, str, int]],
    start: date = date(2026, 1, 5),
) -> dict[str, Task]:
    """Tasks named by ``spec`` (name → days, all starting no earlier than ``start``) and edges."""
    tasks = {}
    for name, days in spec.items():
        tasks[name] = await add_task(
            session,
            secretariat_id,
            ACTOR,
            activity_id,
            title=name,
            estimated_hours=days * 8,
            start_date=start,
            due_date=start + timedelta(days=days - 1),
        )
    for before, after, lag in edges:
        await dependencies.add_dependency(
            session,
            secretariat_id,
            ACTOR,
            predecessor_id=tasks[before].id,
            successor_id=tasks[after].id,
            lag_days=lag,
        )
    return tasks


def document(stored: StoredFile, **fields: str) -> EvidenceItem:
    """A stored file as a report's document evidence."""
    return EvidenceItem(
        kind="document",
        sha256=stored.sha256,
        stored_name=stored.name,
        size=stored.size,
        mime_type=stored.mime_type,
        **fields,
    )


async def reported(
    session: AsyncSession,
    secretariat_id: int,
    plan_id: int,
    reporter: Person,
    evidence: list[EvidenceItem],
    **report,
) -> ProgressReport:
    """A task of the plan's first activity for ``reporter``, and their report of it with
    ``evidence``."""
    activity = await session.scalar(
        select(Activity).join(Objective).where(Objective.plan_id == plan_id).limit(1)
    )
    assert activity is not None
    task = await add_task(
        session, secretariat_id, ACTOR, activity.id, title="Acta", responsible_ids=[reporter.id]
    )
    return await reports.submit_report(session, reporter, task.id, evidence=evidence, **report)


__all__ = [
    "Plan",
    "chain",
    "document",
    "plan_with_activity",
    "reported",
    "secretariat",
    "staff",
]
