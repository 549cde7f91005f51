"""A secretariat whose plan a public page shows: lines of action, activities, dated tasks with
dependencies, reports validated, disputed and waiting, and an indicator with measurements; all
made through the services, around ``today``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.audit.actor import Actor
from core.models import Role, Sector
from core.people.people import create_person
from core.plans import dependencies, indicators, measurements, plans, structure, tasks
from core.policy import pea
from core.reporting import reports
from core.validation.requests import request_validation
from core.validation.votes import cast_vote
from tests.core.validation_world import asked, validator
from tests.support import factories

ACTOR = factories.ACTOR


@dataclass
class PublicPlan:
    slug: str
    plan_id: int
    older_plan_id: int
    foreign_plan_id: int
    validated_report: int
    disputed_report: int
    waiting_report: int
    # Values that identify people: no public page may show any of them.
    personal: list[str] = field(default_factory=list)


async def build(session_factory, today: date) -> PublicPlan:
    """Line 1 (priority "P1.2" of the state policy, mapped to priority 31 of the national one,
    of axis 4): activity 1.1 with tasks A (done, validated) then B (in progress, disputed);
    activity 1.2 with task C, past its due date (its report waiting); the indicator measures it.
    Line 2, naming priority 1 of the national policy (axis 1): activity 2.1 with task D after B.
    A → B → D is the critical path; C has slack."""
    days = lambda n: today + timedelta(days=n)  # noqa: E731
    async with session_factory() as session, session.begin():
        own = await factories.secretariat(session, "sesea-ags")
        other = await factories.secretariat(session, "sesea-zac")
        foreign = await plans.create_plan(
            session, other.id, ACTOR, year=today.year, title="Plan ajeno", reminder_rules=()
        )
        older = await plans.create_plan(
            session, own.id, ACTOR, year=today.year - 1, title="Plan anterior", reminder_rules=()
        )
        plan = await plans.create_plan(
            session, own.id, ACTOR, year=today.year, title="Programa de trabajo", reminder_rules=()
        )
        ana = await create_person(
            session, own.id, ACTOR, roles={Role.STAFF}, name="Anastasia Reportera",
            telegram_id=5_550_001, email="anastasia@sesea.example",
        )  # fmt: skip
        coordinator = await create_person(
            session, own.id, ACTOR, roles={Role.COORDINATOR}, name="Coralia Coordinadora",
            telegram_id=5_550_002,
        )  # fmt: skip
        pool = {
            "olga": await validator(session, own.id, "Olga", Sector.OSC, "Transparencia AC"),
            "alma": await validator(session, own.id, "Alma", Sector.ACADEMIA, "UAA"),
            "beto": await validator(session, own.id, "Beto", Sector.BUSINESS, "Cámara"),
        }
        await pea.add_pea_priority(
            session, own.id, ACTOR, code="P1.2", title="Contrataciones", pna_priorities=[31]
        )
        line1 = await structure.add_objective(
            session, own.id, ACTOR, plan.id, title="Contrataciones abiertas", pea_priority="P1.2"
        )
        line2 = await structure.add_objective(
            session, own.id, ACTOR, plan.id, title="Participación ciudadana", pna_priorities=[1]
        )
        act11 = await structure.add_activity(
            session, own.id, ACTOR, line1.id, title="Publicar contratos"
        )
        act12 = await structure.add_activity(
            session, own.id, ACTOR, line1.id, title="Capacitar compradores"
        )
        act21 = await structure.add_activity(
            session, own.id, ACTOR, line2.id, title="Comité ciudadano"
        )
        spans = {
            "A": (act11, -60, -30),
            "B": (act11, -29, 30),
            "C": (act12, -40, -10),
            "D": (act21, 31, 60),
        }
        made = {}
        for name, (activity, start, due) in spans.items():
            made[name] = await tasks.add_task(
                session, own.id, ACTOR, activity.id, title=f"Tarea {name}",
                start_date=days(start), due_date=days(due), estimated_hours=16,
                responsible_ids=[ana.id],
            )  # fmt: skip
        for before, after in (("A", "B"), ("B", "D")):
            await dependencies.add_dependency(
                session, own.id, ACTOR,
                predecessor_id=made[before].id, successor_id=made[after].id,
            )  # fmt: skip
        indicator = await indicators.create_indicator(
            session, own.id, ACTOR, plan.id, name="Contratos publicados", unit="porcentaje",
            frequency="monthly", baseline=10, goal=50, objective_id=line1.id,
            starts_on=date(today.year - 1, 1, 1),
        )  # fmt: skip
        # Monthly from last year on: each day falls in a month of its own, whatever today is.
        for offset, value in ((-90, 12), (-45, 20.5), (-5, 31)):
            await measurements.record_measurement(
                session, own.id, ACTOR, indicator.id, period=days(offset), value=value
            )
        ids = {name: task.id for name, task in made.items()}
        world = PublicPlan("sesea-ags", plan.id, older.id, foreign.id, 0, 0, 0)
        world.personal = [
            "Anastasia", "Coralia", "anastasia@sesea.example", "5550001", "5550002",
            *(person.name for person in pool.values()),
            *(person.email for person in pool.values() if person.email),
            *(str(person.telegram_id) for person in pool.values()),
        ]  # fmt: skip
    coordinating = Actor.person(coordinator.id)
    world.validated_report = await _put_to_validation(
        session_factory, ana, ids["A"], coordinating, pool, "done", None,
        {"olga": "confirm", "alma": "confirm", "beto": "confirm"},
    )  # fmt: skip
    world.disputed_report = await _put_to_validation(
        session_factory, ana, ids["B"], coordinating, pool, "in_progress", 40,
        {"olga": "dispute", "alma": "confirm", "beto": "dispute"},
    )  # fmt: skip
    world.waiting_report = await _put_to_validation(
        session_factory, ana, ids["C"], coordinating, pool, "in_progress", 10, {}
    )
    return world


async def _put_to_validation(
    session_factory, reporter, task_id, actor, pool, status, percent, votes
) -> int:
    """A report on the task, a request to validate it, and each named validator's vote."""
    async with session_factory() as session, session.begin():
        reporter = await session.merge(reporter)
        report = await reports.submit_report(
            session, reporter, task_id, status=status, percent_done=percent
        )
        request = await request_validation(session, reporter.secretariat_id, actor, report.id)
        chosen = await asked(session, request.id)
        for name, choice in votes.items():
            person = await session.merge(pool[name])
            await cast_vote(session, person, chosen[name].id, choice)
        return report.id
