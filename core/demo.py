"""A demo secretariat with a realistic annual plan, for trying the product and for its tour.

The plan is dated from the day it is seeded, so that it can be lived in: tasks done (each with
its progress report), tasks under way, tasks due this week, a few overdue, later ones pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.engine.inputs import ChoiceInput, CommandInput, Input
from core.audit.actor import Actor
from core.chat import campaigns, endings, responses
from core.chat.definitions import DefinitionCatalog
from core.infra.db import SessionFactory
from core.infra.settings import Settings
from core.models import (
    Campaign,
    Frequency,
    Person,
    ProgressReport,
    ResponseStatus,
    Role,
    Scale,
    Secretariat,
    Sector,
    TaskStatus,
    ValidationRequest,
    VoteChoice,
    utcnow,
)
from core.people import secretariats
from core.people.people import create_person, local_date
from core.plans import dependencies, indicators, plans, structure
from core.plans.tasks import add_task
from core.policy import pea
from core.practices import practices, reading
from core.reporting import reports
from core.validation import votes
from core.validation.requests import request_validation

DEMO_SLUG = "sesea-demo"
SURVEY = "problem_prioritisation"
# What each civil-society member answered: the three most urgent problems in order, how serious
# corruption is (1 to 5), and who it hurts the most.
SURVEY_ANSWERS = [
    (("procurement", "impunity", "opacity"), "4", ("poor", "small_business")),
    (("impunity", "procurement", "civil_service"), "5", ("poor",)),
    (("procurement", "services", "impunity"), "4", ("small_business",)),
    (("opacity", "procurement", "impunity"), "3", ("poor", "youth")),
    (("services", "impunity", "procurement"), "5", ("poor", "women")),
]
ACTOR = Actor.system("seed-demo")

PEOPLE = [
    ("Mariana López Ruiz", {Role.ADMIN, Role.COORDINATOR}, None, None),
    ("Jorge Hernández Díaz", {Role.COORDINATOR}, None, None),
    ("Lucía Ramírez Soto", {Role.STAFF}, None, None),
    ("Andrés Castillo Vega", {Role.STAFF}, None, None),
    ("Paola Méndez Ortega", {Role.STAFF}, None, None),
    ("Ricardo Flores Núñez", {Role.STAFF}, None, None),
    ("Sofía Aguilar Campos", {Role.CIVIL_SOCIETY}, Sector.OSC, "Observatorio Ciudadano"),
    ("Dr. Héctor Salinas", {Role.CIVIL_SOCIETY}, Sector.ACADEMIA, "Universidad Autónoma"),
    ("Claudia Reyes Mora", {Role.CIVIL_SOCIETY}, Sector.BUSINESS, "Consejo Empresarial"),
    ("Tomás Ibarra León", {Role.CIVIL_SOCIETY}, Sector.MEDIA, "Radio Comunitaria"),
    ("Elena Cruz Paredes", {Role.CIVIL_SOCIETY}, Sector.CITIZEN, None),
]

# Objective (PEA priority, days before the seeding day its first task started) → activities →
# tasks: (title, hours, days, inputs, outputs).
PLAN = [
    (
        "Fortalecer la participación ciudadana en el combate a la corrupción",
        "PEA Prioridad 29",
        100,
        [
            (
                "Diagnóstico de la relación con la sociedad civil",
                [
                    ("Diseñar la encuesta de diagnóstico", 16, 5, [], ["Cuestionario"]),
                    ("Aplicar la encuesta a OSC y academia", 40, 20, ["Cuestionario"],
                     ["Respuestas"]),
                    ("Analizar resultados y priorizar problemas", 24, 10, ["Respuestas"],
                     ["Informe de diagnóstico"]),
                ],
            ),
            (
                "Mesas de trabajo con el Comité de Participación Ciudadana",
                [
                    ("Convocar a las mesas de trabajo", 8, 5, ["Informe de diagnóstico"],
                     ["Convocatoria"]),
                    ("Realizar tres mesas temáticas", 36, 30, ["Convocatoria"],
                     ["Relatorías"]),
                    ("Sistematizar propuestas de solución", 20, 10, ["Relatorías"],
                     ["Catálogo de propuestas"]),
                ],
            ),
            (
                "Red estatal de contraloría social",
                [
                    ("Elaborar lineamientos de la red", 24, 15, ["Catálogo de propuestas"],
                     ["Lineamientos"]),
                    ("Capacitar a personas contraloras sociales", 48, 30, ["Lineamientos"],
                     ["Personas capacitadas"]),
                    ("Publicar el directorio de la red", 6, 5, ["Personas capacitadas"],
                     ["Directorio público"]),
                ],
            ),
        ],
    ),
    (
        "Mejorar el seguimiento de la Política Estatal Anticorrupción",
        "PEA Eje 1",
        73,
        [
            (
                "Tablero de indicadores de la PEA",
                [
                    ("Definir fichas técnicas de indicadores", 30, 15, [], ["Fichas técnicas"]),
                    ("Integrar fuentes de datos de los entes públicos", 40, 25,
                     ["Fichas técnicas"], ["Base de datos"]),
                    ("Publicar el tablero en el portal", 16, 10, ["Base de datos"],
                     ["Tablero público"]),
                ],
            ),
            (
                "Informe anual de avances",
                [
                    ("Solicitar información a los entes públicos", 12, 20, [],
                     ["Oficios de solicitud"]),
                    ("Redactar el informe anual", 40, 20, ["Oficios de solicitud"],
                     ["Borrador del informe"]),
                    ("Aprobar el informe en el Comité Coordinador", 6, 5,
                     ["Borrador del informe"], ["Informe aprobado"]),
                ],
            ),
            (
                "Capacitación a entes públicos",
                [
                    ("Diagnosticar necesidades de capacitación", 12, 10, [],
                     ["Diagnóstico de capacitación"]),
                    ("Diseñar el curso en línea de ética pública", 40, 25,
                     ["Diagnóstico de capacitación"], ["Curso en línea"]),
                    ("Impartir el curso a enlaces institucionales", 30, 30, ["Curso en línea"],
                     ["Constancias"]),
                    ("Evaluar la satisfacción de participantes", 8, 10, ["Constancias"],
                     ["Reporte de evaluación"]),
                ],
            ),
        ],
    ),
    (
        "Prevenir riesgos de corrupción en contrataciones públicas",
        "PEA Prioridad 12",
        72,
        [
            (
                "Mapa de riesgos en compras públicas",
                [
                    ("Recopilar datos de contratos {last_year}", 24, 15, [], ["Base de contratos"]),
                    ("Identificar banderas rojas", 32, 15, ["Base de contratos"],
                     ["Matriz de riesgos"]),
                    ("Validar la matriz con especialistas", 12, 10, ["Matriz de riesgos"],
                     ["Matriz validada"]),
                    ("Publicar el mapa de riesgos en datos abiertos", 10, 5,
                     ["Matriz validada"], ["Mapa de riesgos publicado"]),
                ],
            ),
            (
                "Recomendaciones no vinculantes",
                [
                    ("Redactar recomendaciones", 20, 10, ["Matriz validada"],
                     ["Proyecto de recomendaciones"]),
                    ("Presentar recomendaciones al Comité Coordinador", 4, 5,
                     ["Proyecto de recomendaciones"], ["Recomendaciones emitidas"]),
                    ("Dar seguimiento a la atención de recomendaciones", 24, 60,
                     ["Recomendaciones emitidas"], ["Reporte de seguimiento"]),
                ],
            ),
        ],
    ),
    (
        "Comunicar y transparentar el trabajo de la Secretaría Ejecutiva",
        "PEA Eje 4",
        60,
        [
            (
                "Estrategia de comunicación",
                [
                    ("Diseñar la estrategia anual de comunicación", 16, 10, [],
                     ["Estrategia de comunicación"]),
                    ("Producir materiales de difusión", 40, 30,
                     ["Estrategia de comunicación"], ["Materiales"]),
                    ("Campaña en redes y medios comunitarios", 30, 45, ["Materiales"],
                     ["Campaña publicada"]),
                    ("Medir el alcance de la campaña", 8, 5, ["Campaña publicada"],
                     ["Reporte de alcance"]),
                ],
            ),
            (
                "Buenas prácticas",
                [
                    ("Documentar dos buenas prácticas", 20, 20, ["Informe aprobado"],
                     ["Fichas de buenas prácticas"]),
                    ("Compartir prácticas con otras secretarías", 8, 10,
                     ["Fichas de buenas prácticas"], ["Prácticas publicadas"]),
                ],
            ),
        ],
    ),
]  # fmt: skip

# The PEA priorities the lines of action cite, each mapped to national priorities in the eje
# its theme belongs to (the national policy's wording is in core/policy).
PEA_PRIORITIES = [
    ("PEA Prioridad 29", "Participación ciudadana en el control de la corrupción", [31, 32]),
    ("PEA Eje 1", "Coordinación y seguimiento de la política estatal", [1]),
    ("PEA Prioridad 12", "Integridad en las contrataciones públicas", [27, 28]),
    ("PEA Eje 4", "Transparencia y socialización de la política", [38]),
]
# What civil society answered on the first finished tasks, in plan order: per validator, the
# answer, the comment and whether they let it be published. The first advance is validated,
# the second disputed, the third still waits for two of its validators.
VERDICTS: list[list[tuple[VoteChoice, str | None, bool]]] = [
    [
        (VoteChoice.CONFIRM, "Revisamos el cuestionario y coincide con lo reportado.", True),
        (VoteChoice.CONFIRM, None, False),
        (VoteChoice.CONFIRM, "Conforme con la entrega.", False),
    ],
    [
        (VoteChoice.DISPUTE, "La encuesta no llegó a las organizaciones del sur del estado.", True),
        (VoteChoice.DISPUTE, None, False),
        (VoteChoice.CONFIRM, None, False),
    ],
    [(VoteChoice.CONFIRM, "El informe está completo y se puede consultar.", True)],
]

# The good practice the demo secretariat shares with the others.
PRACTICE: dict[str, Any] = {
    "title": "Testigos sociales en las licitaciones del estado",
    "problem": (
        "Las licitaciones públicas de obra se adjudicaban sin que nadie ajeno al gobierno "
        "observara el proceso, y las quejas de los participantes llegaban tarde."
    ),
    "pna_priority": 27,
    "pea_priority": "PEA Prioridad 12",
    "actions": (
        "Se acreditó a organizaciones de la sociedad civil como testigos sociales en cada "
        "licitación mayor a 5 millones de pesos; asisten a la junta de aclaraciones, a la "
        "apertura de propuestas y al fallo, y publican su testimonio."
    ),
    "results": (
        "En un año, 38 de 40 licitaciones mayores contaron con testigo social y las "
        "inconformidades bajaron a la mitad."
    ),
    "contact_role": "Coordinación de Vinculación con la Sociedad Civil",
    "theme": "procurement",
}
LAG_DAYS = 2  # to hand over a task's outputs to the tasks that need them

# Tasks that fell behind: the percent their responsible reported, and why. A task that waits
# for one of them has not begun, even once its start date has come.
BEHIND = {
    "Publicar el tablero en el portal": (60, "Faltan los datos de dos entes públicos."),
    "Publicar el mapa de riesgos en datos abiertos": (
        80,
        "La unidad de transparencia revisa el formato de los datos.",
    ),
    "Presentar recomendaciones al Comité Coordinador": (50, "El Comité pospuso su sesión."),
}

# The percent's scale follows from its unit.
INDICATORS = [
    ("Organizaciones de la sociedad civil participantes", "Conteo de OSC registradas", "OSC", 12,
     40, Frequency.QUARTERLY, Scale.COUNT, "Listas de asistencia y registros de la red"),
    ("Recomendaciones atendidas", "Atendidas / emitidas × 100", "%", 0, 60, Frequency.SEMIANNUAL,
     None, "Oficios de respuesta de los entes públicos"),
    ("Indicadores de la PEA con datos publicados", "Conteo en el tablero", "indicadores", 0, 25,
     Frequency.QUARTERLY, Scale.COUNT, "Tablero público"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoTask:
    """A task as the demo laid it out: its dates, who answers for it, what it waits for."""

    id: int
    title: str
    start: date
    due: date
    hours: int
    outputs: list[str]
    responsible: Person
    predecessors: list[int]


def reported_by(task: DemoTask, today: date, done: set[int]) -> tuple[TaskStatus, int, str] | None:
    """What the task's responsible has reported by ``today`` (status, percent and note), or
    None for a task not begun: one starts only once the tasks it waits for are done."""
    if not done.issuperset(task.predecessors) or task.start >= today:
        return None
    if task.title in BEHIND:
        percent, reason = BEHIND[task.title]
        return TaskStatus.IN_PROGRESS, percent, reason
    if task.due < today:
        return TaskStatus.DONE, 100, f"Entregado: {', '.join(task.outputs)}."
    elapsed = (today - task.start).days / ((task.due - task.start).days + 1)
    percent = max(5, int(elapsed * 20) * 5)  # a rounded figure, as people report it
    return TaskStatus.IN_PROGRESS, percent, "Avanza conforme a lo previsto."


async def demo_secretariat(session: AsyncSession) -> Secretariat | None:
    """The demo secretariat, if it was seeded into this database."""
    return await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))


async def seed_demo(
    session_factory: SessionFactory, settings: Settings, now: datetime | None = None
) -> str:
    """Create the demo data once, its plan dated around the day ``now`` falls on in the demo
    secretariat's time zone; a second run changes nothing."""
    async with session_factory() as session, session.begin():
        existing = await demo_secretariat(session)
        if existing:
            return f"demo secretariat already present (id {existing.id})"
        secretariat = await secretariats.create_secretariat(
            session,
            ACTOR,
            slug=DEMO_SLUG,
            name="Secretaría Ejecutiva del Sistema Estatal Anticorrupción (demostración)",
            state="Aguascalientes",
            time_zone="America/Mexico_City",
        )
        sid = secretariat.id
        # Plan views judge what is due and overdue by the secretariat's day, not UTC's.
        today = local_date(secretariat, now or utcnow())
        people = [
            await create_person(
                session,
                sid,
                ACTOR,
                roles=roles,
                name=name,
                sector=sector,
                organisation=organisation,
                email=f"persona{number}@demo.incorruptible.mx",
                time_zone=settings.default_time_zone,
            )
            for number, (name, roles, sector, organisation) in enumerate(PEOPLE, start=1)
        ]
        staff = [person for person in people if Role.STAFF in person.roles]
        plan = await plans.create_plan(
            session,
            sid,
            ACTOR,
            year=today.year,
            title=f"Programa Anual de Trabajo {today.year}",
            description="Acciones acordadas con la sociedad civil para implementar la PEA.",
        )
        for code, title, numbers in PEA_PRIORITIES:
            await pea.add_pea_priority(
                session, sid, ACTOR, code=code, title=title, pna_priorities=numbers
            )
        tasks = await _lay_out(session, sid, plan.id, staff, today)
        edges = await _link(session, sid, tasks)
        made = await _report_progress(session, tasks, today)
        civil_society = [person for person in people if Role.CIVIL_SOCIETY in person.roles]
        await _validate(session, sid, made, civil_society)
        measured = []
        for index, (
            name,
            method,
            unit,
            baseline,
            goal,
            frequency,
            scale,
            verification,
        ) in enumerate(INDICATORS):
            indicator = await indicators.create_indicator(
                session,
                sid,
                ACTOR,
                plan.id,
                name=name,
                method=method,
                unit=unit,
                scale=scale,
                baseline=baseline,
                goal=goal,
                frequency=frequency,
                means_of_verification=verification,
                responsible_ids=[staff[index % len(staff)].id],
            )
            measured.append(indicator.id)
        await _practice(session, sid, measured[:1], civil_society)
        catalog = DefinitionCatalog(settings.privacy_notice_version)
        await _survey(session, sid, catalog, civil_society)
        return (
            f"demo secretariat {DEMO_SLUG} (id {sid}): {len(people)} people, plan {plan.id} "
            f"with {len(PLAN)} objectives, {len(tasks)} tasks, {edges} dependencies, "
            f"{len(made)} progress reports, {len(VERDICTS)} of them put to validation, "
            f"a survey of {len(civil_society)} answers with its results published, "
            "a good practice validated by civil society and published"
        )


async def _practice(
    session: AsyncSession, sid: int, indicator_ids: list[int], civil_society: list[Person]
) -> None:
    """A good practice the secretariat documented, that three people of civil society
    confirmed, published in the catalogue shared between states."""
    practice = await practices.create_practice(
        session, sid, ACTOR, **PRACTICE, indicator_ids=indicator_ids
    )
    await practices.submit(
        session, sid, ACTOR, practice.id, practice.version, validators=civil_society[:3]
    )
    request = await session.scalar(
        select(ValidationRequest).where(ValidationRequest.practice_id == practice.id)
    )
    assert request is not None  # submitting asked the three
    for assignment in request.assignments:
        person = next(p for p in civil_society if p.id == assignment.person_id)
        await votes.cast_vote(session, person, assignment.id, VoteChoice.CONFIRM)
    validated = await reading.load_practice(session, sid, practice.id)
    await practices.publish(session, sid, ACTOR, practice.id, validated.version)


async def _survey(
    session: AsyncSession, sid: int, catalog: DefinitionCatalog, people: list[Person]
) -> None:
    """The prioritisation of problems each civil-society member answered in chat, closed, its
    results published on the public page."""
    definition = catalog.get(SURVEY)
    campaign = Campaign(
        secretariat_id=sid,
        definition_id=SURVEY,
        definition_version=definition.version,
        title=dict(definition.title),
        audience={"roles": [Role.CIVIL_SOCIETY.value]},
        launched_at=utcnow(),
    )
    session.add(campaign)
    await session.flush()
    for person, (problems, severity, affected) in zip(people, SURVEY_ANSWERS, strict=True):
        script: dict[str, list[Input]] = {
            "problems": [ChoiceInput(problem) for problem in problems],
            "severity": [ChoiceInput(severity)],
            "affected": [*map(ChoiceInput, affected), CommandInput("done")],
            "missing_problem": [ChoiceInput("no")],
            "evidence": [CommandInput("skip")],
        }
        response = await responses.start(
            session, catalog, SURVEY, person.language, secretariat_id=sid, person=person,
            campaign_id=campaign.id,
        )  # fmt: skip
        while response.status == ResponseStatus.ACTIVE:
            asked = (await responses.current_step(session, catalog, response)).question_id
            turn = await endings.answer(
                session, catalog, response, script[asked or ""].pop(0), person=person,
                telegram_username=None,
            )  # fmt: skip
            response = turn.response
    for move in (campaigns.CLOSE, campaigns.PUBLISH_RESULTS):
        await campaigns.move(session, sid, ACTOR, campaign.id, move)


async def _lay_out(
    session: AsyncSession, sid: int, plan_id: int, staff: list[Person], today: date
) -> list[DemoTask]:
    """Objectives, activities and tasks, dated from ``today``: within an objective one task
    after another, and never before the tasks whose outputs it needs are due, plus the lag."""
    tasks: list[DemoTask] = []
    producers: dict[str, DemoTask] = {}
    for objective_title, priority, days_ago, activities in PLAN:
        objective = await structure.add_objective(
            session, sid, ACTOR, plan_id, title=objective_title, pea_priority=priority
        )
        free_from = today - timedelta(days=days_ago)
        for activity_title, activity_tasks in activities:
            activity = await structure.add_activity(
                session, sid, ACTOR, objective.id, title=activity_title
            )
            for title, hours, days, inputs, outputs in activity_tasks:
                predecessors = [producers[needed] for needed in inputs]
                start = max(
                    [free_from]
                    + [before.due + timedelta(days=1 + LAG_DAYS) for before in predecessors]
                )
                due = start + timedelta(days=days - 1)
                responsible = staff[len(tasks) % len(staff)]
                title = title.format(last_year=today.year - 1)
                task = await add_task(
                    session,
                    sid,
                    ACTOR,
                    activity.id,
                    title=title,
                    estimated_hours=hours,
                    inputs=inputs,
                    outputs=outputs,
                    start_date=start,
                    due_date=due,
                    responsible_ids=[responsible.id],
                )
                laid = DemoTask(
                    task.id,
                    title,
                    start,
                    due,
                    hours,
                    outputs,
                    responsible,
                    [before.id for before in predecessors],
                )
                tasks.append(laid)
                producers.update(dict.fromkeys(outputs, laid))
                free_from = due + timedelta(days=1)
    return tasks


async def _link(session: AsyncSession, sid: int, tasks: list[DemoTask]) -> int:
    """A task that needs another's output depends on it (finish-to-start, with the lag)."""
    for task in tasks:
        for predecessor_id in task.predecessors:
            await dependencies.add_dependency(
                session,
                sid,
                ACTOR,
                predecessor_id=predecessor_id,
                successor_id=task.id,
                lag_days=LAG_DAYS,
            )
    return sum(len(task.predecessors) for task in tasks)


async def _report_progress(
    session: AsyncSession, tasks: list[DemoTask], today: date
) -> list[ProgressReport]:
    """Each begun task's responsible reports on it as they would in chat, in plan order so that
    a task is done before the ones waiting for it report."""
    done: set[int] = set()
    made = []
    for task in tasks:
        report = reported_by(task, today, done)
        if report is None:
            continue
        status, percent, note = report
        made.append(
            await reports.submit_report(
                session,
                task.responsible,
                task.id,
                status=status,
                percent_done=percent,
                hours=task.hours * percent // 100,
                note=note,
            )
        )
        if status == TaskStatus.DONE:
            done.add(task.id)
    return made


async def _validate(
    session: AsyncSession, sid: int, made: list[ProgressReport], civil_society: list[Person]
) -> None:
    """The first finished tasks put before civil society, who answer as ``VERDICTS`` says;
    each advance is asked of three people of different sectors, a different three each time."""
    finished = [report for report in made if report.status == TaskStatus.DONE]
    for number, (report, verdicts) in enumerate(zip(finished, VERDICTS, strict=False)):
        asked = [civil_society[(number + k) % len(civil_society)] for k in range(3)]
        request = await request_validation(session, sid, ACTOR, report.id, validators=asked)
        for assignment, (choice, comment, public) in zip(
            request.assignments, verdicts, strict=False
        ):
            person = next(p for p in asked if p.id == assignment.person_id)
            await votes.cast_vote(session, person, assignment.id, choice, comment=comment)
            if comment:
                await votes.consent_to_publish(session, person, assignment.id, publish=public)
