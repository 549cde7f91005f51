"""An indicator's missing values are reminded by the plan's rules, as tasks are: in each
person's time zone and outside quiet hours, not to the absent, late ones escalated, and one
reminder a day for an indicator however many values it lacks."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event, select

from core.models import Absence, Notification, ReminderKind, ReminderRule, Role
from core.notify import reminders
from core.notify.quiet_hours import QuietHours
from core.people.people import create_person
from core.plans import indicators, measurements, plans
from tests.support import factories

QUIET = QuietHours(time(21), time(8))
ACTOR = factories.ACTOR


@pytest.fixture
async def setup(session):
    """A quarterly indicator of 2026 answered for by Ana (Mexico City, Spanish) and Ben
    (Tijuana, English); its plan's grace of 10 days makes the first quarter due on Friday 10
    April."""
    async with session.begin():
        sec = await factories.secretariat(session)
        ana = await create_person(session, sec.id, ACTOR, roles={Role.STAFF}, name="Ana",
                                  telegram_id=1, time_zone="America/Mexico_City")  # fmt: skip
        ben = await create_person(session, sec.id, ACTOR, roles={Role.STAFF}, name="Ben",
                                  telegram_id=2, time_zone="America/Tijuana",
                                  language="en")  # fmt: skip
        coordinator = await create_person(session, sec.id, ACTOR, roles={Role.COORDINATOR},
                                          name="Coord", telegram_id=3)  # fmt: skip
        plan, _ = await factories.plan_with_activity(session, sec.id)
        indicator = await indicators.create_indicator(
            session, sec.id, ACTOR, plan.id, name="Quejas atendidas", unit="quejas",
            frequency="quarterly", responsible_ids=[ana.id, ben.id],
        )  # fmt: skip
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
    return {
        "secretariat": sec.id,
        "plan": plan.id,
        "indicator": indicator.id,
        "ana": ana.id,
        "ben": ben.id,
        "coordinator": coordinator.id,
    }


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


def utc(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def by_person(notes: list[Notification]) -> dict[int, Notification]:
    return {note.person_id: note for note in notes}


async def test_due_day_reminds_each_responsible_in_the_morning_of_their_zone_once(session, setup):
    # 07:00 UTC on 10 April is 01:00 in Mexico City and 00:00 in Tijuana: quiet in both.
    notes = by_person(await run(session, utc(4, 10, 7)))
    assert {person: note.scheduled_at for person, note in notes.items()} == {
        setup["ana"]: utc(4, 10, 14),
        setup["ben"]: utc(4, 10, 15),
    }
    assert notes[setup["ana"]].text == (
        "El indicador «Quejas atendidas» debe reportar su valor de ene–mar de 2026 hoy "
        "(10 de abril de 2026)."
    )
    assert notes[setup["ben"]].text == (
        "Indicator “Quejas atendidas” must report its value for Jan\u2009–\u2009Mar 2026 today "
        "(April 10, 2026)."
    )
    assert notes[setup["ana"]].markup == {
        "inline_keyboard": [
            [
                {
                    "text": "Reportar medición",
                    "callback_data": f"measure:{setup['indicator']}:20260331",
                }
            ]
        ]
    }
    assert notes[setup["ben"]].markup["inline_keyboard"][0][0]["text"] == "Report measurement"
    assert (notes[setup["ana"]].subject_type, notes[setup["ana"]].subject_id) == (
        "indicator",
        setup["indicator"],
    )
    assert len(await run(session, utc(4, 10, 20))) == 2


async def test_two_days_before_the_due_day(session, setup):
    notes = by_person(await run(session, utc(4, 8, 17)))
    assert notes[setup["ana"]].text == (
        "El indicador «Quejas atendidas» debe reportar su valor de ene–mar de 2026 en 2 días "
        "(10 de abril de 2026)."
    )
    assert notes[setup["ana"]].scheduled_at == utc(4, 8, 17)
    assert await run(session, utc(4, 9, 17)) == list(notes.values())  # no rule the day between


async def test_the_absent_are_not_reminded(session, setup):
    async with session.begin():
        session.add(Absence(person_id=setup["ana"], starts_on=date(2026, 4, 6),
                            ends_on=date(2026, 4, 17)))  # fmt: skip
    assert [n.person_id for n in await run(session, utc(4, 10, 17))] == [setup["ben"]]


async def test_a_period_with_a_value_is_no_longer_reminded(session, setup):
    async with session.begin():
        await measurements.record_measurement(
            session, setup["secretariat"], ACTOR, setup["indicator"],
            period=date(2026, 3, 31), value=12,
        )  # fmt: skip
    assert await run(session, utc(4, 10, 17)) == []
    assert await run(session, utc(4, 14, 17), "escalation:") == []


async def test_a_late_value_escalates_to_the_coordinators_once_a_day(session, setup):
    late = by_person(await run(session, utc(4, 12, 17)))  # 2 days late
    assert set(late) == {setup["ana"], setup["ben"]}
    assert late[setup["ben"]].text == (
        "The value of indicator “Quejas atendidas” for Jan\u2009–\u2009Mar 2026 is overdue by "
        "2 days (it was due April 10, 2026)."
    )
    assert await run(session, utc(4, 12, 17), "escalation:") == []
    await run(session, utc(4, 14, 17))  # 4 days late: the coordinator hears too, once
    await run(session, utc(4, 14, 20))
    (escalation,) = await run(session, utc(4, 14, 20), "escalation:")
    assert escalation.person_id == setup["coordinator"]
    assert escalation.text == (
        "El valor del indicador «Quejas atendidas» de ene–mar de 2026 lleva 4 días de retraso. "
        "A cargo de: Ana, Ben."
    )
    assert escalation.markup is None


async def test_an_indicator_without_responsibles_is_only_escalated(session, setup):
    async with session.begin():
        await indicators.create_indicator(
            session, setup["secretariat"], ACTOR, setup["plan"], name="Sin responsable",
            unit="casos", frequency="quarterly",
        )  # fmt: skip
    await run(session, utc(4, 14, 17))
    notes = await run(session, utc(4, 14, 17), "")
    assert all(
        "Sin responsable" not in n.text for n in notes if n.person_id != setup["coordinator"]
    )
    escalations = [n.text for n in notes if n.person_id == setup["coordinator"]]
    assert (
        "El valor del indicador «Sin responsable» de ene–mar de 2026 lleva 4 días de retraso. "
        "A cargo de: nadie."
    ) in escalations


async def test_years_of_missing_values_make_one_reminder_naming_how_many(session, setup):
    async with session.begin():
        old = await indicators.create_indicator(
            session, setup["secretariat"], ACTOR, setup["plan"], name="Auditorías",
            unit="auditorías", frequency="monthly", starts_on=date(2023, 1, 1),
            ends_on=date(2026, 12, 31), responsible_ids=[setup["ana"]],
        )  # fmt: skip
        await measurements.record_measurement(
            session, setup["secretariat"], ACTOR, old.id, period=date(2026, 2, 1), value=3
        )
    # 10 May: April's value is due. Of the earlier months, those due within the year (April 2025
    # to March 2026) lack theirs but February 2026; older ones are past reminding.
    notes = [n for n in await run(session, utc(5, 10, 17)) if "Auditorías" in n.text]
    assert [n.person_id for n in notes] == [setup["ana"]]
    assert notes[0].text == (
        "El indicador «Auditorías» debe reportar su valor de abr 2026 hoy (10 de mayo de 2026). "
        "Tampoco tienen valor 11 periodos anteriores."
    )
    assert notes[0].markup["inline_keyboard"][0][0]["callback_data"] == (
        f"measure:{old.id}:20260430"
    )
    # 14 May, 4 days late: one escalation for the indicator; April 2025's value, due 10 May
    # 2025, is now past reminding too.
    await run(session, utc(5, 14, 17))
    escalations = [
        n.text for n in await run(session, utc(5, 14, 17), "escalation:") if "Auditorías" in n.text
    ]
    assert escalations == [
        "El valor del indicador «Auditorías» de abr 2026 lleva 4 días de retraso. "
        "A cargo de: Ana. Tampoco tienen valor 10 periodos anteriores."
    ]


async def test_an_indicator_of_a_plan_without_rules_is_not_reminded(session, setup):
    async with session.begin():
        other = await plans.create_plan(
            session, setup["secretariat"], ACTOR, year=2026, title="Otro plan", reminder_rules=()
        )
        await indicators.create_indicator(
            session, setup["secretariat"], ACTOR, other.id, name="Sin reglas", unit="casos",
            frequency="quarterly", responsible_ids=[setup["ana"]],
        )  # fmt: skip
    await run(session, utc(4, 14, 17))
    notes = await run(session, utc(4, 14, 17), "")
    assert notes and all("Sin reglas" not in n.text for n in notes)


async def test_monday_digest_lists_the_values_of_periods_that_are_over(session, setup):
    await run(session, utc(4, 13, 17))  # Monday 13 April
    digests = by_person(await run(session, utc(4, 13, 17), "digest:"))
    assert digests[setup["ana"]].text == (
        "Valores de indicadores por reportar:\n"
        "• «Quejas atendidas», ene–mar de 2026 — 10 de abril de 2026"
    )
    assert digests[setup["ben"]].text == (
        "Indicator values to report:\n"
        "• “Quejas atendidas”, Jan\u2009–\u2009Mar 2026 — April 10, 2026"
    )


async def test_the_statements_do_not_grow_with_the_indicators(session, setup):
    async def statements() -> int:
        counted: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany) -> None:
            counted.append(statement)

        event.listen(session.bind.sync_engine, "before_cursor_execute", count)
        try:
            await run(session, utc(4, 11, 17))  # a day late, an odd one: no rule writes
        finally:
            event.remove(session.bind.sync_engine, "before_cursor_execute", count)
        return len(counted)

    one = await statements()
    async with session.begin():
        for name in ("Denuncias", "Sanciones", "Capacitaciones"):
            await indicators.create_indicator(
                session, setup["secretariat"], ACTOR, setup["plan"], name=name, unit="casos",
                frequency="monthly", responsible_ids=[setup["ana"], setup["ben"]],
            )  # fmt: skip
    assert await statements() == one
    assert await run(session, utc(4, 11, 17)) == []
