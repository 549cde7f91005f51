"""Reminders follow the plan's rules, each person's time zone, quiet hours and absences."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from core.models import Absence, Notification, ReminderKind, ReminderRule, Role
from core.notify import reminders
from core.notify.quiet_hours import QuietHours
from core.people.people import create_person
from core.plans import tasks
from tests.support import factories

QUIET = QuietHours(time(21), time(8))
DUE = date(2026, 5, 20)  # a Wednesday


@pytest.fixture
async def setup(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        ana = await create_person(session, sec.id, "t", roles={Role.STAFF}, name="Ana",
                                  telegram_id=1, time_zone="America/Mexico_City")  # fmt: skip
        ben = await create_person(session, sec.id, "t", roles={Role.STAFF}, name="Ben",
                                  telegram_id=2, time_zone="America/Tijuana",
                                  language="en")  # fmt: skip
        coordinator = await create_person(session, sec.id, "t", roles={Role.COORDINATOR},
                                          name="Coord", telegram_id=3)  # fmt: skip
        plan, activity = await factories.plan_with_activity(session, sec.id)
        task = await tasks.add_task(session, sec.id, "t", activity.id, title="Informe",
                                    due_date=DUE, responsible_ids=[ana.id, ben.id])  # fmt: skip
        session.add_all(
            [
                ReminderRule(plan_id=plan.id, kind=ReminderKind.BEFORE_DUE, days=2),
                ReminderRule(plan_id=plan.id, kind=ReminderKind.ON_DUE),
                ReminderRule(
                    plan_id=plan.id, kind=ReminderKind.OVERDUE, days=2, escalate_after_days=4
                ),
                ReminderRule(plan_id=plan.id, kind=ReminderKind.WEEKLY_DIGEST),
            ]
        )
    return {"ana": ana.id, "ben": ben.id, "coordinator": coordinator.id, "task": task.id}


async def run(session, moment: datetime, prefix: str = "reminder:") -> list[Notification]:
    async with session.begin():
        await reminders.schedule_reminders(session, moment, QUIET)
    async with session.begin():
        return (
            await session.scalars(
                select(Notification)
                .where(Notification.key.startswith(prefix))
                .order_by(Notification.id)
            )
        ).all()


def utc(day: int, hour: int) -> datetime:
    return datetime(2026, 5, day, hour, tzinfo=UTC)


async def test_two_days_before_in_each_language_once(session, setup):
    first = await run(session, utc(18, 16))  # 10:00 in Mexico City, 09:00 in Tijuana
    again = await run(session, utc(18, 18))
    assert len(first) == len(again) == 2
    by_person = {n.person_id: n for n in first}
    assert "vence en 2 días (20 de mayo de 2026)" in by_person[setup["ana"]].text
    assert by_person[setup["ben"]].text.startswith("Task 1.1.1 “Informe” is due in 2 days")
    buttons = by_person[setup["ana"]].markup["inline_keyboard"]
    assert [row[0]["text"] for row in buttons] == ["Reportar avance", "Ya terminé",
                                                   "Necesito ayuda"]  # fmt: skip
    assert buttons[0][0]["callback_data"] == f"task:{setup['task']}:report"


async def test_quiet_hours_delay_to_the_morning_of_each_zone(session, setup):
    # 07:00 UTC on the 20th is 01:00 in Mexico City (UTC-6) and 00:00 in Tijuana (UTC-7 in May):
    # due today for both, but quiet: each hears at 08:00 of their own zone.
    notes = await run(session, utc(20, 7))
    when = {n.person_id: n.scheduled_at for n in notes}
    assert when == {
        setup["ana"]: datetime(2026, 5, 20, 14, tzinfo=UTC),
        setup["ben"]: datetime(2026, 5, 20, 15, tzinfo=UTC),
    }
    assert "vence hoy" in next(n.text for n in notes if n.person_id == setup["ana"])


async def test_outside_quiet_hours_a_reminder_is_due_at_once(session, setup):
    notes = await run(session, utc(20, 17))
    assert {n.scheduled_at for n in notes} == {utc(20, 17)}


async def test_overdue_reminders_escalate_to_the_coordinator(session, setup):
    notes = await run(session, utc(22, 18))  # 2 days late
    assert {n.person_id for n in notes} == {setup["ana"], setup["ben"]}
    assert await run(session, utc(22, 18), "escalation:") == []
    await run(session, utc(24, 18))  # 4 days late: the coordinator hears too, once
    await run(session, utc(24, 20))
    (escalation,) = await run(session, utc(24, 20), "escalation:")
    assert escalation.person_id == setup["coordinator"]
    assert (
        escalation.text == "La tarea 1.1.1 «Informe» lleva 4 días de retraso. A cargo de: Ana, Ben."
    )


async def test_absent_people_are_not_reminded(session, setup):
    async with session.begin():
        session.add(Absence(person_id=setup["ana"], starts_on=date(2026, 5, 15),
                            ends_on=date(2026, 5, 25)))  # fmt: skip
    notes = await run(session, utc(18, 16))
    assert [n.person_id for n in notes] == [setup["ben"]]


async def test_monday_digest_lists_open_tasks_once_a_week(session, setup):
    assert await run(session, utc(19, 16), "digest:") == []  # a Tuesday
    await run(session, utc(18, 16))  # Monday 18 May
    digests = await run(session, utc(18, 20), "digest:")
    assert {n.person_id for n in digests} == {setup["ana"], setup["ben"]}
    ana = next(n for n in digests if n.person_id == setup["ana"])
    assert ana.text == "Tus tareas abiertas esta semana:\n• 1.1.1 «Informe» — 20 de mayo de 2026"
    ben = next(n for n in digests if n.person_id == setup["ben"])
    assert ben.text == "Your open tasks this week:\n• 1.1.1 “Informe” — May 20, 2026"
