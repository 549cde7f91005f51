"""Indicators in chat, end to end: /indicadores, the button that reports a period's value, the
value checked against the indicator's scale and its last value, evidence checked against the
means of verification, corrections, and presses that are not the presser's to make."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from bot.worker import ReminderScheduler
from core.audit.actor import Actor
from core.models import (
    AuditEvent,
    Evidence,
    Indicator,
    Measurement,
    Notification,
    Person,
    ReminderKind,
    ReminderRule,
)
from core.plans import indicators, measurements
from tests.e2e.conftest import Clock, buttons, send_outbox, work
from tests.e2e.test_tasks import photo_with_location, stored_files
from tests.support.documents import blank_pdf
from tests.support.office import MEXICO_CITY


async def _indicator(
    chat, office, *, language: str = "es", today: date | None = None
) -> tuple[Indicator, list[date]]:
    """Ana's indicator, measured on three dates around today: the first period has a value,
    the second ended without one (due today, with the plan's grace of 10 days), the third is
    under way."""
    today = today or datetime.now(MEXICO_CITY).date()
    ends = [today - timedelta(days=100), today - timedelta(days=10), today + timedelta(days=80)]
    async with chat.session_factory() as session, session.begin():
        ana = await session.scalar(select(Person).where(Person.telegram_id == office.ana.id))
        ana.language = language
        indicator = await indicators.create_indicator(
            session,
            chat.secretariat_id,
            Actor.system(),
            office.plan,
            name="Organizaciones participantes",
            unit="organizaciones",
            scale="count",
            frequency="dates",
            starts_on=today - timedelta(days=200),
            ends_on=ends[-1],
            due_dates=ends,
            goal=400,
            means_of_verification="Listas de asistencia firmadas",
            evidence_kinds=["document", "link"],
            responsible_ids=[ana.id],
        )
        await measurements.record_measurement(
            session, chat.secretariat_id, Actor.system(), indicator.id, period=ends[0], value=100
        )
    return indicator, ends


async def value_alone(user, value: str, skip: str, done: str) -> list[str]:
    """At the value's question: the value sent, the note skipped and no evidence; the two
    closing messages. ``skip`` and ``done`` are the buttons in the person's language."""
    await user.next_message()  # the value's question
    await user.send(value)
    await user.press(await user.next_message(), skip)
    await user.press(await user.next_message(), done)
    return [(await user.next_message())["text"] for _ in range(2)]


async def test_a_value_reported_from_my_indicators_is_checked_then_recorded_with_evidence(
    chat, office
):
    _indicator_made, ends = await _indicator(chat, office)
    async with chat.running():
        await office.ana.send("/indicadores")
        listing = await office.ana.next_message()
        line = listing["text"].splitlines()[1]
        assert "«Organizaciones participantes»" in line and "(plan «Plan anual»)" not in line
        assert "último valor 100 organizaciones" in line
        assert "1 periodo sin valor" in line
        [report] = buttons(listing)
        assert report.startswith("Reportar ") and ": Organizaci" in report  # the name cut short
        await office.ana.press(listing, report)

        intro = (await office.ana.next_message())["text"]
        assert "Indicador «Organizaciones participantes»: su valor de" in intro
        assert "en organizaciones" in intro and "Su meta: 400 organizaciones." in intro
        assert "Medio de verificación: Listas de asistencia firmadas." in intro
        assert "Como evidencia admite documentos y enlaces." in intro
        assert "valor del indicador en este periodo" in (await office.ana.next_message())["text"]

        await office.ana.send("12,5")  # a count is whole
        assert "es un conteo" in (await office.ana.next_message())["text"]
        await office.ana.send("1 mil")  # ten times the last value
        far = (await office.ana.next_message())["text"]
        assert "1,000 organizaciones está muy lejos del último valor, 100 organizaciones" in far
        assert "valor del indicador en este periodo" in far  # the same question again
        await office.ana.send("1 mil")  # sent again: confirmed
        note = await office.ana.next_message()
        assert "nota" in note["text"]
        await office.ana.send("Conteo de las listas de los cuatro talleres")

        await office.ana.next_message()  # the means of verification
        await office.ana.upload_photo(photo_with_location())
        refused = (await office.ana.next_message())["text"]
        assert "solo admite documentos y enlaces" in refused
        await office.ana.send("https://transparencia.example.mx/listas.pdf")
        last = await office.ana.next_message()
        await office.ana.press(last, "Listo")
        closing = [(await office.ana.next_message())["text"] for _ in range(2)]
        assert "la medición quedó registrada" in closing[0]
        assert "Indicador «Organizaciones participantes»: 1,000 organizaciones." in closing[1]
        assert "1 evidencia" in closing[1]

    assert stored_files(chat) == []  # the refused photo was never downloaded
    async with chat.session_factory() as session:
        measured = (
            await session.scalars(select(Measurement).order_by(Measurement.measured_on))
        ).all()
        [link] = (await session.scalars(select(Evidence))).all()
        event = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "measurement.create")
                .order_by(AuditEvent.id)
            )
        ).all()[-1]
    assert [(m.measured_on, m.value, m.revision) for m in measured] == [
        (ends[0], 100, 1),
        (ends[1], 1000, 1),
    ]
    assert measured[1].note == "Conteo de las listas de los cuatro talleres"
    assert measured[1].reported_by_id is not None
    assert (link.measurement_id, link.report_id, link.kind) == (measured[1].id, None, "link")
    assert event.data["evidence"] == [{"kind": "link", "sha256": link.sha256}]
    assert event.actor == f"person:{measured[1].reported_by_id}"


async def test_a_reminder_of_a_missing_value_leads_to_its_report(chat, office):
    # Yesterday, when the second period's value was due: the reminder is sent at once.
    yesterday = datetime.now(MEXICO_CITY).date() - timedelta(days=1)
    indicator, ends = await _indicator(chat, office, today=yesterday)
    async with chat.session_factory() as session, session.begin():
        session.add(ReminderRule(plan_id=office.plan, kind=ReminderKind.ON_DUE))
    morning = Clock(datetime.combine(yesterday, time(11), MEXICO_CITY).astimezone(UTC))
    async with chat.running():
        await ReminderScheduler(chat.session_factory, chat.settings, clock=morning).run_once()
        reminder = await office.ana.next_message()
        assert (
            "El indicador «Organizaciones participantes» debe reportar su valor"
            in (reminder["text"])
        )
        assert buttons(reminder) == ["Reportar medición"]
        await office.ana.press(reminder, "Reportar medición")
        intro = (await office.ana.next_message())["text"]
        assert "Indicador «Organizaciones participantes»: su valor de" in intro
        closing = await value_alone(office.ana, "110", "Omitir", "Listo")
        assert "110 organizaciones" in closing[1]
        # The value is in: the same day's run writes nothing more.
        await ReminderScheduler(chat.session_factory, chat.settings, clock=morning).run_once()
    async with chat.session_factory() as session:
        value = await session.scalar(select(Measurement).where(Measurement.measured_on == ends[1]))
        reminders = (
            await session.scalars(
                select(Notification).where(Notification.subject_type == "indicator")
            )
        ).all()
    assert (value.value, value.indicator_id) == (110, indicator.id)
    assert len(reminders) == 1


async def test_a_reported_period_is_offered_as_a_correction_that_keeps_both(chat, office):
    indicator, ends = await _indicator(chat, office, language="en")
    async with chat.session_factory() as session, session.begin():
        await measurements.record_measurement(
            session, chat.secretariat_id, Actor.system(), indicator.id, period=ends[1], value=120
        )
    async with chat.running():
        await office.ana.send("/indicators")
        listing = await office.ana.next_message()
        assert "last value 120 organizaciones" in listing["text"]
        [correct] = buttons(listing)
        assert correct.startswith("Correct ") and ": Organizaciones" in correct
        await office.ana.press(listing, correct)
        intro = (await office.ana.next_message())["text"]
        assert "This period already has a value, 120 organizaciones" in intro
        closing = await value_alone(office.ana, "130", "Skip", "Done")
        assert "It replaces the period's earlier value; the record keeps both." in closing[1]
    async with chat.session_factory() as session:
        revisions = (
            await session.scalars(
                select(Measurement)
                .where(Measurement.measured_on == ends[1])
                .order_by(Measurement.revision)
            )
        ).all()
    assert [(m.revision, m.value) for m in revisions] == [(1, 120), (2, 130)]


async def test_presses_that_are_not_the_pressers_to_make_change_nothing(chat, office):
    indicator, ends = await _indicator(chat, office)
    async with chat.session_factory() as session, session.begin():
        other = await indicators.create_indicator(
            session,
            chat.secretariat_id,
            Actor.system(),
            office.plan,
            name="Indicador de otra persona",
            unit="%",
            frequency="annual",
        )
    async with chat.running():
        await office.ana.send("/indicadores")
        listing = await office.ana.next_message()
        for forged, refusal in (
            (f"measure:{other.id}:{ends[1]:%Y%m%d}", "no está asignado a ti"),
            (f"measure:{indicator.id}:20261301", "no es para ti"),
            (
                f"measure:{indicator.id}:{ends[2] + timedelta(days=1):%Y%m%d}",
                "fuera de los periodos",
            ),
            (f"measure:{indicator.id + 1000}:{ends[1]:%Y%m%d}", "No se encontró el indicador"),
        ):
            chat.forge_press(office.ana, listing, forged)
            answer = await office.ana.next_event(kinds=("callback_answer", "message"))
            shown = answer.get("answer", {}).get("text") or answer.get("text", "")
            assert refusal in shown, (forged, shown)
        await office.beto.send("/indicadores")
        assert "No reportas ningún indicador" in (await office.beto.next_message())["text"]
    async with chat.session_factory() as session:
        count = len((await session.scalars(select(Measurement))).all())
    assert count == 1


async def test_a_quarterly_indicator_through_its_year(chat, office):
    """Reminded on its due day at 8:00 in Mexico City, reported with a document, escalated to
    the coordination when a later quarter is late, and corrected from the first reminder."""
    with time_machine.travel(datetime(2026, 4, 10, 13, tzinfo=UTC), tick=True) as traveller:
        async with chat.session_factory() as session, session.begin():
            ana = await session.scalar(select(Person).where(Person.telegram_id == office.ana.id))
            indicator = await indicators.create_indicator(
                session,
                chat.secretariat_id,
                Actor.system(),
                office.plan,
                name="Quejas atendidas",
                unit="quejas",
                scale="count",
                frequency="quarterly",
                evidence_kinds=["document"],
                responsible_ids=[ana.id],
            )
            session.add_all(
                [
                    ReminderRule(plan_id=office.plan, kind=ReminderKind.ON_DUE),
                    ReminderRule(
                        plan_id=office.plan,
                        kind=ReminderKind.OVERDUE,
                        days=5,
                        escalate_after_days=4,
                    ),
                ]
            )
        # 7:00 in Mexico City on the first quarter's due day (its end and 10 days of grace):
        # the reminder waits for the end of the quiet hours.
        clock = Clock(datetime(2026, 4, 10, 13, tzinfo=UTC))
        assert await work(chat, clock) == 0
        async with chat.session_factory() as session:
            note = await session.scalar(
                select(Notification).where(Notification.subject_type == "indicator")
            )
        assert note.scheduled_at == datetime(2026, 4, 10, 14, tzinfo=UTC)  # 8:00 local
        traveller.move_to(datetime(2026, 4, 10, 14, 1, tzinfo=UTC))
        clock.now = datetime(2026, 4, 10, 14, 1, tzinfo=UTC)
        assert await send_outbox(chat, clock) == 1
        first = await office.ana.next_message()
        assert "«Quejas atendidas» debe reportar su valor de ene–mar de 2026 hoy" in first["text"]

        async with chat.running():
            await office.ana.press(first, "Reportar medición")
            await office.ana.next_message()  # the indicator and the period
            await office.ana.next_message()  # the value
            await office.ana.send("18")
            note_question = await office.ana.next_message()
            await office.ana.press(note_question, "Omitir")
            await office.ana.next_message()  # the evidence
            await office.ana.upload_document(blank_pdf(), "quejas.pdf", "application/pdf")
            received = await office.ana.next_message()
            await office.ana.press(received, "Listo")
            closing = [(await office.ana.next_message())["text"] for _ in range(2)]
            assert "18 quejas" in closing[1] and "1 evidencia" in closing[1]

        # The second quarter was due on 10 July; on the 25th it is 15 days late.
        late = datetime(2026, 7, 25, 16, tzinfo=UTC)
        traveller.move_to(late)
        await work(chat, Clock(late))
        overdue = await office.ana.next_message()
        assert "abr–jun de 2026" in overdue["text"] and buttons(overdue) == ["Reportar medición"]
        escalation = await office.carla.next_message()
        assert "«Quejas atendidas»" in escalation["text"] and "Ana Pérez" in escalation["text"]

        # The first reminder's button again: the reported quarter is offered as a correction.
        async with chat.running():
            await office.ana.press(first, "Reportar medición")
            intro = (await office.ana.next_message())["text"]
            assert "Este periodo ya tiene un valor, 18 quejas" in intro
            await office.ana.next_message()  # the value
            await office.ana.send("21")
            note_question = await office.ana.next_message()
            await office.ana.send("Faltaban las quejas recibidas por correo")
            evidence_question = await office.ana.next_message()
            await office.ana.press(evidence_question, "Listo")
            closing = [(await office.ana.next_message())["text"] for _ in range(2)]
            assert "Sustituye el valor anterior del periodo" in closing[1]

    async with chat.session_factory() as session:
        first_quarter = (
            await session.scalars(
                select(Measurement)
                .where(Measurement.indicator_id == indicator.id)
                .order_by(Measurement.revision)
            )
        ).all()
        [document] = (await session.scalars(select(Evidence))).all()
    assert [(m.measured_on, m.revision, m.value) for m in first_quarter] == [
        (date(2026, 3, 31), 1, 18),
        (date(2026, 3, 31), 2, 21),
    ]
    assert (document.measurement_id, document.kind) == (first_quarter[0].id, "document")
