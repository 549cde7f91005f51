"""Two secretariats with published plans, built through the services: Aguascalientes with tasks
(one titled like a formula), a dependency, an indicator and a measurement, a report civil
society validated and one it disputed, a survey everyone answered whose results it published;
Zacatecas with a plan of its own, into which it adopted Aguascalientes' published practice (a
draft one stays unpublished). Every person has a name, an email and a Telegram id that no
public output may show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from conversations.engine.inputs import TextInput
from core.audit import chain
from core.audit.actor import Actor
from core.chat import campaigns
from core.chat.definitions import DefinitionCatalog
from core.models import Campaign, Objective, Person, Plan, Role, Sector, ValidationAssignment
from core.people.people import create_person
from core.plans import dependencies, indicators, measurements, structure, tasks
from core.policy import pea
from core.practices import adoption
from core.reporting import reports
from core.validation.requests import request_validation
from core.validation.votes import cast_vote
from tests.support import factories, practices, surveys

ACTOR = Actor.system()
FORMULA_TITLE = '=HYPERLINK("http://ejemplo.mx")'
# Text that an exact JavaScript rendition of Python's canonical JSON must get right.
TRICKY_DATA = {
    "nota": 'Ñandú en Mérida 🦜 «comillas» "dobles" \\ barra\ttab\u2028línea\u007f',
    # The database's JSON holds 64-bit integers at most; JavaScript's numbers, 53 bits.
    "grande": 2**63 - 1,
    "negativo": -(2**63),
    "flotantes": [0.1, 1e16, 1e15, 1e-05, 0.0001, 1e22, 123.456, 5e-324, 1.7976931348623157e308],
    "anidado": {"z": [1, {"b": None, "a": True}], "é": False, "E": "", "𝄞": 1, "\uffff": 2},
}


@dataclass
class PublicWorld:
    own: int
    other: int
    own_slug: str
    other_slug: str
    plan_id: int
    task_ids: list[int]
    validated_report: int
    disputed_report: int
    reporter: int
    coordinator: int
    validators: list[int]
    practice_id: int = 0
    draft_practice_id: int = 0
    personal: list[str] = field(default_factory=list)


_ids = iter(range(9_100_000, 9_200_000))


async def _person(session, secretariat_id, name, roles, sector=None):
    return await create_person(
        session,
        secretariat_id,
        "t",
        roles=roles,
        name=name,
        sector=sector,
        organisation=f"Organización de {name}",
        telegram_id=next(_ids),
        email=f"{name.split()[0].lower()}@ejemplo.mx",
    )


async def _vote(session, request_id, person, choice):
    assignment = await session.scalar(
        select(ValidationAssignment).where(
            ValidationAssignment.request_id == request_id,
            ValidationAssignment.person_id == person.id,
        )
    )
    await cast_vote(session, person, assignment.id, choice)


async def build(session_factory) -> PublicWorld:
    async with session_factory() as session, session.begin():
        own = await factories.secretariat(session, "sesea-ags")
        other = await factories.secretariat(session, "sesea-zac")
        ana = await _person(session, own.id, "Anastasia Quiñones", {Role.STAFF})
        coordinator = await _person(session, own.id, "Coralia Benítez", {Role.COORDINATOR})
        pool = [
            await _person(session, own.id, "Olga Treviño", {Role.CIVIL_SOCIETY}, Sector.OSC),
            await _person(session, own.id, "Alma Uribe", {Role.CIVIL_SOCIETY}, Sector.ACADEMIA),
            await _person(session, own.id, "Beto Zárate", {Role.CIVIL_SOCIETY}, Sector.BUSINESS),
        ]
        plan, activity = await factories.plan_with_activity(session, own.id)
        second = await structure.add_activity(
            session, own.id, "t", activity.objective_id, title="Difusión"
        )
        made = [
            await tasks.add_task(
                session, own.id, "t", activity.id, title=FORMULA_TITLE,
                description="-2 avisos; @todos", estimated_hours=8,
                inputs=["+Padrón"], outputs=["Informe «final» 📄"],
                start_date=date(2026, 2, 2), due_date=date(2026, 2, 20),
                responsible_ids=[ana.id],
            ),
            await tasks.add_task(
                session, own.id, "t", activity.id, title="Minuta de la sesión",
                estimated_hours=4, responsible_ids=[ana.id],
            ),
            await tasks.add_task(
                session, own.id, "t", second.id, title="Publicar resultados", estimated_hours=2
            ),
        ]  # fmt: skip
        await dependencies.add_dependency(
            session, own.id, "t", predecessor_id=made[0].id, successor_id=made[1].id, lag_days=2
        )
        indicator = await indicators.create_indicator(
            session, own.id, "t", plan.id, name="Sesiones celebradas", unit="sesiones",
            frequency="quarterly", baseline=0, goal="12.5", responsible_ids=[ana.id],
            objective_id=activity.objective_id,
        )  # fmt: skip
        await measurements.record_measurement(
            session, own.id, "t", indicator.id, period=date(2026, 3, 31), value=3,
            note="Primer trimestre", reported_by_id=ana.id,
        )  # fmt: skip
        other_plan, other_activity = await factories.plan_with_activity(session, other.id)
        await tasks.add_task(session, other.id, "t", other_activity.id, title="Tarea de Zacatecas")
        practice_id = await practices.published_in(session, own.id)
        draft_practice_id = await practices.draft_in(session, own.id, title="Práctica en borrador")
        await adoption.adopt(
            session, other.id, "t", practice_id, plan_id=other_plan.id, language="es"
        )
        await chain.record(
            session, actor=Actor.system(), action="test.tricky", entity_type="plan",
            entity_id=plan.id, secretariat_id=own.id, plan_id=plan.id, data=TRICKY_DATA,
        )  # fmt: skip
    reported = []
    for task, status in ((made[0], "done"), (made[1], "in_progress")):
        async with session_factory() as session, session.begin():
            reporter = await session.get_one(Person, ana.id)
            report = await reports.submit_report(
                session, reporter, task.id, status=status, percent_done=40, hours=3,
                note="Entregado al comité",
            )  # fmt: skip
            request = await request_validation(
                session, own.id, Actor.person(coordinator.id), report.id
            )
            reported.append((report.id, request.id))
    async with session_factory() as session, session.begin():
        voters = [await session.get_one(Person, someone.id) for someone in pool]
        for request_id, choices in (
            (reported[0][1], ["confirm", "confirm", "dispute"]),
            (reported[1][1], ["dispute", "dispute", "confirm"]),
        ):
            for voter, choice in zip(voters, choices, strict=True):
                await _vote(session, request_id, voter, choice)
    people = [ana, coordinator, *pool]
    async with session_factory() as session, session.begin():
        await _published_survey(session, own.id, coordinator.id, [p.id for p in people])
    personal = [p.name for p in people] + [p.email for p in people if p.email]
    personal += [str(p.telegram_id) for p in people]
    return PublicWorld(
        own.id, other.id, own.slug, other.slug, plan.id, [t.id for t in made],
        reported[0][0], reported[1][0], ana.id, coordinator.id, [p.id for p in pool],
        practice_id, draft_practice_id, personal,
    )  # fmt: skip


async def _published_survey(session, secretariat_id, coordinator_id, people_ids) -> None:
    """The prioritisation survey everyone answered (writing their own name), closed and its
    results published."""
    catalog = DefinitionCatalog("2026-01")
    campaign = Campaign(
        secretariat_id=secretariat_id, definition_id="problem_prioritisation", audience={}
    )
    session.add(campaign)
    await session.flush()
    for person_id in people_ids:
        person = await session.get_one(Person, person_id)
        script = {"evidence": [TextInput(f"Lo dice {person.name}")]}
        await surveys.answer(session, catalog, campaign, person, script)
    coordinator = Actor.person(coordinator_id)
    for step in (campaigns.CLOSE, campaigns.PUBLISH_RESULTS):
        await campaigns.move(session, secretariat_id, coordinator, campaign.id, step)


async def validate_again(session_factory, world: PublicWorld, task_id: int) -> int:
    """Another report on ``task_id``, which every validator confirms; the report's id."""
    async with session_factory() as session, session.begin():
        reporter = await session.get_one(Person, world.reporter)
        report = await reports.submit_report(session, reporter, task_id, status="done", hours=1)
        request = await request_validation(
            session, world.own, Actor.person(world.coordinator), report.id
        )
    async with session_factory() as session, session.begin():
        for validator in world.validators:
            await _vote(session, request.id, await session.get_one(Person, validator), "confirm")
    return report.id


async def cite_the_national_policy(session_factory, world: PublicWorld) -> None:
    """Aguascalientes' line of action cites priority 31 (axis 4) through its state policy's
    priority P7; Zacatecas' names priority 12 (axis 2)."""
    async with session_factory() as session, session.begin():
        await pea.add_pea_priority(
            session, world.own, ACTOR, code="P7", title="Participación", pna_priorities=[31]
        )
        for secretariat_id, fields in (
            (world.own, {"pea_priority": "P7"}),
            (world.other, {"pna_priorities": [12]}),
        ):
            line = await session.scalar(
                select(Objective).join(Plan).where(Plan.secretariat_id == secretariat_id)
            )
            await structure.update_objective(
                session, secretariat_id, ACTOR, line.id, version=line.version, **fields
            )
