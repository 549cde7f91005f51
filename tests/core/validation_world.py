"""A secretariat with a reported task and a pool of validators, shared by the validation tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.models import (
    EvidenceKind,
    Notification,
    Person,
    ProgressReport,
    Role,
    Sector,
    ValidationAssignment,
    ValidationRequest,
)
from core.people.people import create_person
from core.plans import tasks
from core.reporting import reports
from core.validation.pool import pause_validator
from core.validation.requests import request_validation
from tests.support import factories


@dataclass
class World:
    secretariat_id: int
    plan_id: int
    task_id: int
    reporter: Person
    coordinator: Person
    validators: dict[str, Person] = field(default_factory=dict)
    report: ProgressReport | None = None


_telegram_ids = iter(range(7_000_000, 8_000_000))


async def validator(
    session: AsyncSession,
    secretariat_id: int,
    name: str,
    sector: Sector,
    organisation: str | None = None,
) -> Person:
    return await create_person(
        session,
        secretariat_id,
        "t",
        roles={Role.CIVIL_SOCIETY},
        name=name,
        sector=sector,
        organisation=organisation,
        telegram_id=next(_telegram_ids),
        email=f"{name.lower()}@example.org",
    )


async def build(session: AsyncSession) -> World:
    """Ana (of the secretariat) reports her task done with a photo, a document and a link.

    The pool: two OSC members, one academic, one business person; Eva works where Ana does;
    Fede paused; Gil belongs to another secretariat.
    """
    async with session.begin():
        sec = await factories.secretariat(session)
        other = await factories.secretariat(session, "sesea-bc")
        ana = await create_person(
            session, sec.id, "t", roles={Role.STAFF}, name="Ana", organisation="SESEA Ags",
            telegram_id=next(_telegram_ids),
        )  # fmt: skip
        coordinator = await create_person(
            session, sec.id, "t", roles={Role.COORDINATOR}, name="Coral",
            telegram_id=next(_telegram_ids),
        )  # fmt: skip
        plan, activity = await factories.plan_with_activity(session, sec.id)
        task = await tasks.add_task(
            session, sec.id, "t", activity.id, title="Informe", responsible_ids=[ana.id]
        )
        world = World(sec.id, plan.id, task.id, ana, coordinator)
        pool = {
            "olga": (Sector.OSC, "Transparencia AC"),
            "oscar": (Sector.OSC, "Ciudadanos AC"),
            "alma": (Sector.ACADEMIA, "UAA"),
            "beto": (Sector.BUSINESS, "Cámara"),
            "eva": (Sector.MEDIA, " sesea  AGS "),
            "fede": (Sector.MEDIA, "Diario"),
        }
        for name, (sector, organisation) in pool.items():
            world.validators[name] = await validator(
                session, sec.id, name.capitalize(), sector, organisation
            )
        world.validators["gil"] = await validator(session, other.id, "Gil", Sector.CITIZEN)
        await pause_validator(session, world.validators["fede"])
    return world


async def report_done(session: AsyncSession, world: World) -> ProgressReport:
    async with session.begin():
        world.report = await reports.submit_report(
            session, world.reporter, world.task_id, status="done", note="Entregado al comité",
            evidence=[
                reports.EvidenceItem(
                    EvidenceKind.PHOTO, "a" * 64, "photo-file-1", "a" * 64 + ".jpg", caption="Foto"
                ),
                reports.EvidenceItem(
                    EvidenceKind.DOCUMENT, "b" * 64, "doc-file-1", "b" * 64 + ".pdf"
                ),
                reports.EvidenceItem(EvidenceKind.LINK, "c" * 64, url="https://ejemplo.mx/acta"),
            ],
        )  # fmt: skip
    return world.report


async def request(
    session: AsyncSession, world: World, now: datetime | None = None
) -> ValidationRequest:
    if world.report is None:
        await report_done(session, world)
    async with session.begin():
        return await request_validation(
            session, world.secretariat_id, Actor.person(world.coordinator.id), world.report.id,
            now=now,
        )  # fmt: skip


async def assignment_of(session: AsyncSession, request_id: int, person: Person):
    return await session.scalar(
        select(ValidationAssignment).where(
            ValidationAssignment.request_id == request_id,
            ValidationAssignment.person_id == person.id,
        )
    )


async def asked(session: AsyncSession, request_id: int) -> dict[str, ValidationAssignment]:
    """The request's assignments by validator name (lowercase)."""
    rows = await session.execute(
        select(ValidationAssignment, Person.name)
        .join(Person, Person.id == ValidationAssignment.person_id)
        .where(ValidationAssignment.request_id == request_id)
        .execution_options(populate_existing=True)
    )
    return {name.lower(): assignment for assignment, name in rows.all()}


async def messages_to(session: AsyncSession, person: Person, kind: str) -> list[Notification]:
    return list(
        await session.scalars(
            select(Notification)
            .where(Notification.person_id == inspect(person).identity[0], Notification.kind == kind)
            .order_by(Notification.id)
        )
    )
