"""A secretariat's office in chat: Ana and Beto (staff) and Carla (coordinator) registered with
the emulator, and a plan with their tasks, for the end-to-end tests of tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.worker import ReminderScheduler
from core.models import ReminderKind, ReminderRule, Role, Task
from core.people.people import create_person
from core.plans import dependencies, tasks
from emulator.client import SimulatedUser
from tests.e2e.conftest import Chat, Clock, buttons, send_outbox
from tests.support import factories

MEXICO_CITY = ZoneInfo("America/Mexico_City")
MORNING = datetime(2026, 5, 18, 17, tzinfo=UTC)  # 11:00 in Mexico City


@dataclass
class Office:
    ana: SimulatedUser
    beto: SimulatedUser
    carla: SimulatedUser
    report: int  # Ana's, due the day after MORNING; its output is the input of ``publish``
    publish: int  # Beto's, waiting for ``report``
    other: int  # Beto's alone, with no due date
    finished: int  # Ana's, already done
    plan: int


async def open_office(chat: Chat) -> Office:
    """Ana and Beto (staff) and Carla (coordinator), registered; a plan with their tasks."""
    secretariat_id = await chat.secretariat()
    users, people = {}, {}
    async with chat.session_factory() as session, session.begin():
        for name, role in (("Ana", Role.STAFF), ("Beto", Role.STAFF), ("Carla", Role.COORDINATOR)):
            users[name] = await chat.client.user(name, language_code="es")
            people[name] = await create_person(
                session,
                secretariat_id,
                "test",
                roles={role},
                name=f"{name} Pérez",
                telegram_id=users[name].id,
                consent_version=chat.settings.privacy_notice_version,
            )
    ana, beto, carla = users.values()
    people = {"ana": people["Ana"], "beto": people["Beto"]}
    due = MORNING.astimezone(MEXICO_CITY).date() + timedelta(days=1)
    async with chat.session_factory() as session, session.begin():
        plan, activity = await factories.plan_with_activity(session, secretariat_id)

        async def task(title: str, who: str, **fields) -> Task:
            return await tasks.add_task(
                session,
                secretariat_id,
                "test",
                activity.id,
                title=title,
                responsible_ids=[people[who].id],
                **fields,
            )

        report = await task("Informe trimestral", "ana", due_date=due, outputs=["Informe firmado"])
        publish = await task("Publicar el informe", "beto", inputs=["Informe firmado"])
        other = await task("Tarea de Beto", "beto")
        finished = await task("Tarea cerrada", "ana", due_date=due)
        await tasks.update_task(session, secretariat_id, "test", finished.id, status="done")
        await dependencies.add_dependency(
            session, secretariat_id, "test", predecessor_id=report.id, successor_id=publish.id
        )
        session.add(ReminderRule(plan_id=plan.id, kind=ReminderKind.BEFORE_DUE, days=1))
    # Each of them has heard of their two tasks.
    assert await send_outbox(chat) == 4
    for user in (ana, beto):
        for _ in range(2):
            assert "Ahora eres responsable de la tarea" in (await user.next_message())["text"]
    return Office(ana, beto, carla, report.id, publish.id, other.id, finished.id, plan.id)


async def reminded(chat: Chat, user: SimulatedUser) -> dict:
    """The reminder of a task due tomorrow, written on the morning before; the running bot's
    worker sends it."""
    await ReminderScheduler(chat.session_factory, chat.settings, clock=Clock(MORNING)).run_once()
    reminder = await user.next_message()
    assert "Informe trimestral" in reminder["text"]
    assert buttons(reminder) == ["Reportar avance", "Ya terminé", "Necesito ayuda"]
    return reminder


def awake(chat: Chat, now: datetime) -> None:
    """Quiet hours far from ``now`` in Mexico City, so that what is sent now is not held back."""
    quiet_from = (now + timedelta(hours=6)).astimezone(MEXICO_CITY)
    chat.settings = chat.settings.model_copy(
        update={
            "quiet_hours_start": quiet_from.time().replace(second=0, microsecond=0),
            "quiet_hours_end": (quiet_from + timedelta(hours=1))
            .time()
            .replace(second=0, microsecond=0),
        }
    )
