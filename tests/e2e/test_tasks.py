"""Tasks in chat, end to end: reminders sent by the worker, their buttons, the report
conversation with evidence, replies to reminders, /tareas, /ausente and quiet hours (asking
for help: test_help_requests)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from PIL import Image
from sqlalchemy import select, update

from core.models import (
    Absence,
    AuditEvent,
    Notification,
    NotificationState,
    Person,
    ProgressReport,
    Task,
    TaskStatus,
)
from core.plans import tasks
from core.reporting import evidence
from tests.e2e.conftest import Clock, buttons, send_outbox, work
from tests.support.office import MEXICO_CITY, reminded


def photo_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 52.0, 48.0), 3: "W", 4: (102.0, 17.0, 46.0)}  # GPS
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(output, "JPEG", exif=exif)
    return output.getvalue()


def stored_files(chat) -> list:
    folder = chat.settings.evidence_dir
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


async def test_reminder_button_report_with_a_photo_finishes_the_task(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Ya terminé")
        header = await office.ana.next_message()
        assert "Reporte de avance de la tarea" in header["text"]
        hours = await office.ana.next_message()
        assert "horas" in hours["text"]
        await office.ana.send("3.5")
        note = await office.ana.next_message()
        assert "comentario" in note["text"]
        await office.ana.send("Entregado a la Dirección")
        ask = await office.ana.next_message()
        assert "evidencia" in ask["text"]
        await office.ana.upload_photo(photo_with_location(), caption="Acuse")
        await office.ana.next_message()
        await office.ana.send("https://transparencia.example.mx/informe")
        last = await office.ana.next_message()
        assert "2 mensajes o archivos" in last["text"]
        await office.ana.press(last, "Listo")
        closing = [(await office.ana.next_message())["text"] for _ in range(2)]
        assert "quedó registrado" in closing[0]
        assert "terminada, 100%" in closing[1] and "2 evidencias" in closing[1]

        async with chat.session_factory() as session:
            task = await session.get(Task, office.report)
            assert (task.status, task.percent, task.logged_hours) == (TaskStatus.DONE, 100, 3.5)
            report = await session.scalar(
                select(ProgressReport).where(ProgressReport.task_id == office.report)
            )
            photo, link = report.evidence
            event = await session.scalar(
                select(AuditEvent).where(AuditEvent.action == "report.create")
            )
        assert report.note == "Entregado a la Dirección"
        assert (photo.kind, photo.caption, photo.mime_type) == ("photo", "Acuse", "image/jpeg")
        assert photo.telegram_file_id
        kept = evidence.path_of(chat.settings.evidence_dir, photo.stored_name).read_bytes()
        assert hashlib.sha256(kept).hexdigest() == photo.sha256
        assert not Image.open(io.BytesIO(kept)).getexif()  # the location is gone
        assert (link.kind, link.url) == ("link", "https://transparencia.example.mx/informe")
        assert [item["sha256"] for item in event.data["evidence"]] == [photo.sha256, link.sha256]

        # The successor's responsible is told their input is ready.
        handed = await office.beto.next_message()
        assert "Publicar el informe" in handed["text"] and "Informe firmado" in handed["text"]


async def test_done_sent_while_a_file_downloads_waits_for_it(chat, office):
    """A person who sends a photo and "listo" at once gets a report with the photo: the slow
    download is stored before "listo" is read."""
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Ya terminé")
        await office.ana.next_message()  # the task
        await office.ana.next_message()  # hours
        await office.ana.send("2")
        await office.ana.next_message()  # note
        await office.ana.send("-")
        assert "evidencia" in (await office.ana.next_message())["text"]
        await chat.client.set_faults(delay=1.5, delayed_calls=1, methods=["getFile"])
        await office.ana.upload_photo(photo_with_location(), caption="Acuse")
        await office.ana.send("listo")
        texts = [(await office.ana.next_message())["text"] for _ in range(3)]
        assert "1 mensaje o archivo" in texts[0]
        assert "quedó registrado" in texts[1] and "1 evidencia" in texts[2]
        async with chat.session_factory() as session:
            report = await session.scalar(
                select(ProgressReport).where(ProgressReport.task_id == office.report)
            )
            (photo,) = report.evidence
        assert (photo.kind, photo.caption) == ("photo", "Acuse")


async def test_refused_reports_store_nothing(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        for task_id, refusal in (
            (office.other, "no está asignada a ti"),
            (office.finished, "ya está terminada"),
        ):
            chat.forge_press(office.ana, reminder, f"task:{task_id}:report")
            answer = await office.ana.next_event(kinds=("callback_answer",))
            assert refusal in answer["answer"]["text"] and answer["answer"]["show_alert"]

        await office.ana.press(reminder, "Reportar avance")
        await office.ana.next_message()  # which task
        status = await office.ana.next_message()
        await office.ana.press(status, "1. En curso")
        await office.ana.next_message()  # percent
        await office.ana.send("250")
        assert "entre 0 y 100" in (await office.ana.next_message())["text"]
        await office.ana.send("40")
        await office.ana.next_message()  # hours
        await office.ana.send("-2")
        assert "entre 0 y 744" in (await office.ana.next_message())["text"]
        await office.ana.send("2")
        note = await office.ana.next_message()
        await office.ana.press(note, "Omitir")
        await office.ana.next_message()  # evidence
        await office.ana.upload_document(
            b"%PDF-1.4 " + b"0" * 50_000_000, "acta.pdf", "application/pdf"
        )
        assert "pesa más de 20 MB" in (await office.ana.next_message())["text"]
        program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8
        await office.ana.upload_document(program, "acta.pdf", "application/pdf")
        refused = await office.ana.next_message()
        assert "no se acepta" in refused["text"]
        await office.ana.press(refused, "Listo")
        await office.ana.next_message()
        summary = await office.ana.next_message()
        assert "en curso, 40%" in summary["text"]

    assert stored_files(chat) == []
    async with chat.session_factory() as session:
        reports = (await session.scalars(select(ProgressReport))).all()
        assert [(r.task_id, r.percent, r.hours, r.evidence) for r in reports] == [
            (office.report, 40, 2, [])
        ]
        assert (await session.get(Task, office.other)).status == TaskStatus.PENDING


async def test_a_reply_to_a_reminder_is_evidence_without_questions(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.upload_photo(photo_with_location(), reply_to=reminder)
        added = await office.ana.next_message()
        assert "Lo agregué como evidencia de la tarea" in added["text"]
        await office.ana.send("Ya envié el borrador a revisión", reply_to=reminder)
        await office.ana.next_message()
    async with chat.session_factory() as session:
        reports = (await session.scalars(select(ProgressReport).order_by(ProgressReport.id))).all()
        task = await session.get(Task, office.report)
    assert [[item.kind for item in report.evidence] for report in reports] == [["photo"], ["text"]]
    assert reports[1].evidence[0].caption == "Ya envié el borrador a revisión"
    assert task.status == TaskStatus.IN_PROGRESS and task.percent == 0
    assert len(stored_files(chat)) == 1


async def test_my_tasks_overdue_first_and_a_report_from_the_list(chat, office):
    today = datetime.now(MEXICO_CITY).date()
    async with chat.session_factory() as session, session.begin():
        task = await session.get(Task, office.report)
        task.due_date = today + timedelta(days=3)
        late = await tasks.add_task(
            session,
            chat.secretariat_id,
            "test",
            task.activity_id,
            title="Minuta atrasada",
            due_date=today - timedelta(days=2),
            responsible_ids=[person.id for person in task.responsibles],
        )
    await send_outbox(chat)
    assert "Minuta atrasada" in (await office.ana.next_message())["text"]  # assigned to her
    async with chat.running():
        await office.ana.send("/tareas")
        listing = await office.ana.next_message()
        lines = listing["text"].splitlines()
        assert "Minuta atrasada" in lines[1] and "vencida desde el" in lines[1]
        assert "(plan «Plan anual»)" in lines[1]  # which plan each task belongs to
        assert "Informe trimestral" in lines[2] and "pendiente, 0%" in lines[2]
        assert "vence el" in lines[2]
        assert "Tarea cerrada" not in listing["text"]
        assert buttons(listing)[0].startswith(f"Reportar: {late.code}")
        await office.ana.press(listing, buttons(listing)[0])
        header = await office.ana.next_message()
        assert "Minuta atrasada" in header["text"]


async def test_absence_set_in_chat(chat, office):
    today = datetime.now(MEXICO_CITY).date()
    first, last = today + timedelta(days=1), today + timedelta(days=5)
    async with chat.running():
        await office.ana.send("/ausente")
        ask = await office.ana.next_message()
        assert "Desde qué día" in ask["text"]
        await office.ana.send(first.strftime("%d/%m/%Y"))
        await office.ana.next_message()
        await office.ana.send(today.strftime("%d/%m/%Y"))
        assert "mismo día del inicio" in (await office.ana.next_message())["text"]
        await office.ana.send(last.strftime("%d/%m/%Y"))
        await office.ana.next_message()
        summary = await office.ana.next_message()
        assert "Sin recordatorios del" in summary["text"]
    async with chat.session_factory() as session:
        absence = await session.scalar(select(Absence))
    assert (absence.starts_on, absence.ends_on) == (first, last)


@pytest.mark.parametrize("local_time", [time(23, 30), time(0, 30)])
async def test_tomorrow_is_the_day_after_the_persons_today_late_at_night_too(
    chat, office, local_time
):
    """At 23:30 in Mexico City it is already tomorrow in UTC; "mañana" is still the next day
    on the person's calendar, and a date "today" is not refused as past."""
    moment = datetime.combine(date.today() + timedelta(days=1), local_time, MEXICO_CITY)
    tomorrow = moment.date() + timedelta(days=1)
    # The machine's clock is in UTC, as a server's is.
    with time_machine.travel(moment.astimezone(UTC), tick=True):
        async with chat.running():
            await office.ana.send("/ausente")
            assert "Desde qué día" in (await office.ana.next_message())["text"]
            await office.ana.send("hoy")
            assert "último día fuera" in (await office.ana.next_message())["text"]
            await office.ana.send("mañana")
            await office.ana.next_message()
            assert "Sin recordatorios del" in (await office.ana.next_message())["text"]
    async with chat.session_factory() as session:
        absence = await session.scalar(select(Absence))
    assert (absence.starts_on, absence.ends_on) == (moment.date(), tomorrow)


async def test_an_absence_ends_early_or_is_cancelled_from_chat_by_its_owner_alone(chat, office):
    today = datetime.now(MEXICO_CITY).date()
    async with chat.session_factory() as session, session.begin():
        ana, beto = [
            await session.scalar(select(Person.id).where(Person.telegram_id == user.id))
            for user in (office.ana, office.beto)
        ]
        under_way = Absence(
            person_id=ana, starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=4)
        )
        later = Absence(
            person_id=ana, starts_on=today + timedelta(days=9), ends_on=today + timedelta(days=12)
        )
        betos = Absence(person_id=beto, starts_on=today, ends_on=today + timedelta(days=2))
        session.add_all([under_way, later, betos])
    async with chat.running():
        await office.ana.send("/ausente")
        listing = await office.ana.next_message()
        assert "Ya tienes registradas estas ausencias" in listing["text"]
        back, cancel = buttons(listing)
        assert back.startswith("Ya regresé (") and cancel.startswith("Cancelar ")
        assert "Desde qué día" in (await office.ana.next_message())["text"]
        # Beto's absence, forged into Ana's chat, or nonsense (no button of ours): refused,
        # nothing changes.
        refusals = [
            (f"absence:end:{betos.id}", "Esa ausencia ya no está programada."),
            ("absence:end:x", "Este botón ya no es válido."),
            ("absence:drop:1", "Este botón ya no es válido."),
        ]
        for forged, reason in refusals:
            chat.forge_press(office.ana, listing, forged)
            refused = await office.ana.next_event(kinds=("callback_answer",))
            assert refused["answer"]["text"] == reason
        await office.ana.press(listing, back)
        assert "Desde hoy te llegan otra vez" in (await office.ana.next_message())["text"]
        await office.ana.send("/ausente")
        listing = await office.ana.next_message()
        assert buttons(listing) == [cancel]
        await office.ana.next_message()
        await office.ana.press(listing, cancel)
        assert "quedó cancelada" in (await office.ana.next_message())["text"]
    async with chat.session_factory() as session:
        left = (await session.scalars(select(Absence).order_by(Absence.id))).all()
    # Ana's absence under way ended yesterday; the later one is gone; Beto's is untouched.
    assert [(a.person_id, a.starts_on, a.ends_on) for a in left] == [
        (ana, today - timedelta(days=3), today - timedelta(days=1)),
        (beto, today, today + timedelta(days=2)),
    ]


async def test_an_absence_that_began_today_is_under_way_and_ending_it_welcomes_back(chat, office):
    today = datetime.now(MEXICO_CITY).date()
    async with chat.session_factory() as session, session.begin():
        ana = await session.scalar(select(Person.id).where(Person.telegram_id == office.ana.id))
        session.add(Absence(person_id=ana, starts_on=today, ends_on=today + timedelta(days=2)))
    async with chat.running():
        await office.ana.send("/ausente")
        listing = await office.ana.next_message()
        [back] = buttons(listing)
        assert back.startswith("Ya regresé (")
        await office.ana.next_message()
        await office.ana.press(listing, back)
        assert "Desde hoy te llegan otra vez" in (await office.ana.next_message())["text"]
    async with chat.session_factory() as session:
        assert await session.scalar(select(Absence)) is None  # no day of it is left


async def test_quiet_hours_hold_in_each_time_zone(chat, office):
    async with chat.session_factory() as session, session.begin():
        await session.execute(
            update(Person)
            .where(Person.telegram_id == office.beto.id)
            .values(time_zone="America/Tijuana")
        )
        await session.execute(
            update(Task).where(Task.id == office.other).values(due_date=date(2026, 5, 19))
        )
    # Only the worker runs (the bot's own runs on the real clock), sending through the emulator.
    clock = Clock(datetime(2026, 5, 18, 8, tzinfo=UTC))  # 02:00 in Mexico City, 01:00 Tijuana
    assert await work(chat, clock) == 0
    clock.now = datetime(2026, 5, 18, 14, tzinfo=UTC)  # 08:00 Mexico City, 07:00 Tijuana
    assert await work(chat, clock) == 1
    assert "Informe trimestral" in (await office.ana.next_message())["text"]
    clock.now = datetime(2026, 5, 18, 15, tzinfo=UTC)  # 08:00 in Tijuana
    assert await work(chat, clock) == 1
    assert "Tarea de Beto" in (await office.beto.next_message())["text"]
    async with chat.session_factory() as session:
        states = (
            await session.scalars(select(Notification.state).where(Notification.kind == "reminder"))
        ).all()
    assert states == [NotificationState.SENT, NotificationState.SENT]


async def test_a_task_finished_meanwhile_refuses_the_report_and_keeps_nothing(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Ya terminé")
        await office.ana.next_message()  # which task
        await office.ana.next_message()  # hours
        await office.ana.send("1")
        note = await office.ana.next_message()
        await office.ana.press(note, "Omitir")
        evidence_question = await office.ana.next_message()
        async with chat.session_factory() as session, session.begin():
            await tasks.update_task(
                session, chat.secretariat_id, "test", office.report, status="done"
            )
        await office.ana.press(evidence_question, "Listo")
        refused = await office.ana.next_message()
        assert "ya está terminada" in refused["text"]
    async with chat.session_factory() as session:
        assert (await session.scalars(select(ProgressReport))).all() == []
        task = await session.get(Task, office.report)
    assert task.logged_hours == 0


async def test_cancelling_a_report_says_nothing_was_saved(chat, office):
    async with chat.running():
        await office.ana.send("/tareas")
        listing = await office.ana.next_message()
        await office.ana.press(listing, buttons(listing)[0])
        await office.ana.next_message()  # the report's header
        await office.ana.next_message()  # its first question
        await office.ana.send("/cancelar")
        said = (await office.ana.next_message())["text"]
    assert said == "Reporte cancelado: no se guardó nada de él."
    async with chat.session_factory() as session:
        assert (await session.scalars(select(ProgressReport))).all() == []
