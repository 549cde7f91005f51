"""A demo secretariat with a realistic annual plan, for trying the product and for its tour."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core.db import SessionFactory
from core.models import Frequency, Role, Secretariat, Sector
from core.services import dependencies, indicators, plans, secretariats
from core.services.people import create_person
from core.settings import Settings

DEMO_SLUG = "sesea-demo"
ACTOR = "system:seed-demo"

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

# Objective (PEA priority) → activities → tasks: (title, hours, days, inputs, outputs).
PLAN = [
    (
        "Fortalecer la participación ciudadana en el combate a la corrupción",
        "PEA Prioridad 29",
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
        [
            (
                "Mapa de riesgos en compras públicas",
                [
                    ("Recopilar datos de contratos 2025", 24, 15, [], ["Base de contratos"]),
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

INDICATORS = [
    ("Organizaciones de la sociedad civil participantes", "Conteo de OSC registradas", "OSC", 12,
     40, Frequency.QUARTERLY, "Listas de asistencia y registros de la red"),
    ("Recomendaciones atendidas", "Atendidas / emitidas × 100", "%", 0, 60, Frequency.SEMIANNUAL,
     "Oficios de respuesta de los entes públicos"),
    ("Indicadores de la PEA con datos publicados", "Conteo en el tablero", "indicadores", 0, 25,
     Frequency.QUARTERLY, "Tablero público"),
]  # fmt: skip


async def seed_demo(session_factory: SessionFactory, settings: Settings) -> str:
    """Create the demo data once; a second run changes nothing."""
    async with session_factory() as session, session.begin():
        existing = await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))
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
        people = []
        for number, (name, roles, sector, organisation) in enumerate(PEOPLE, start=1):
            people.append(
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
            )
        staff = [person for person in people if Role.STAFF in person.roles]
        plan = await plans.create_plan(
            session,
            sid,
            ACTOR,
            year=2026,
            title="Programa Anual de Trabajo 2026",
            description="Acciones acordadas con la sociedad civil para implementar la PEA.",
        )
        tasks_by_output: dict[str, int] = {}
        pending_inputs: list[tuple[int, list[str]]] = []
        day = date(2026, 1, 12)
        count = 0
        for objective_title, priority, activities in PLAN:
            objective = await plans.add_objective(
                session, sid, ACTOR, plan.id, title=objective_title, pea_priority=priority
            )
            start = day
            for activity_title, tasks in activities:
                activity = await plans.add_activity(
                    session, sid, ACTOR, objective.id, title=activity_title
                )
                for title, hours, days, inputs, outputs in tasks:
                    task = await plans.add_task(
                        session,
                        sid,
                        ACTOR,
                        activity.id,
                        title=title,
                        estimated_hours=hours,
                        inputs=inputs,
                        outputs=outputs,
                        start_date=start,
                        due_date=start + timedelta(days=days - 1),
                        responsible_ids=[staff[count % len(staff)].id],
                    )
                    count += 1
                    start += timedelta(days=days)
                    pending_inputs.append((task.id, inputs))
                    for output in outputs:
                        tasks_by_output[output] = task.id
            day += timedelta(days=14)
        # A task that needs another's output depends on it (finish-to-start, two days to hand over).
        edges = 0
        for task_id, inputs in pending_inputs:
            for needed in inputs:
                await dependencies.add_dependency(
                    session,
                    sid,
                    ACTOR,
                    predecessor_id=tasks_by_output[needed],
                    successor_id=task_id,
                    lag_days=2,
                )
                edges += 1
        for name, method, unit, baseline, goal, frequency, verification in INDICATORS:
            await indicators.create_indicator(
                session,
                sid,
                ACTOR,
                plan.id,
                name=name,
                method=method,
                unit=unit,
                baseline=baseline,
                goal=goal,
                frequency=frequency,
                means_of_verification=verification,
            )
        return (
            f"demo secretariat {DEMO_SLUG} (id {sid}): {len(people)} people, plan {plan.id} "
            f"with {len(PLAN)} objectives, {count} tasks, {edges} dependencies"
        )
