"""Sessions end to end: a coordinator schedules a workshop through the API; its invitees get the
invitation with a calendar file and answer on its buttons; /sesiones shows their answers; the
reminders reach those who did not decline at the right time; a change and a cancellation are
announced with their calendar files, and an answer after the cancellation is refused."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from babel.dates import format_time
from sqlalchemy import func, select

from bot.worker import ReminderScheduler
from core.models import AuditEvent, Notification, Person, TokenRole, utcnow
from tests.e2e.conftest import Chat, Clock, buttons, send_outbox
from tests.support.meetings import soon
from tests.support.office import MEXICO_CITY, awake

ANSWERS = ["Asistiré", "No podré", "Tal vez"]


async def calendar_of(chat: Chat, message: dict) -> icalendar.Event:
    """The calendar file under ``message``, parsed back; its METHOD on the event's ``method``."""
    assert message["document"]["file_name"].endswith(".ics")
    parsed = icalendar.Calendar.from_ical(await chat.client.file(message["document"]["file_id"]))
    (event,) = parsed.walk("VEVENT")
    event["method"] = parsed["METHOD"]
    return event


async def test_a_workshop_from_invitation_to_cancellation(chat, office):
    now = utcnow()
    awake(chat, now)
    local_start = (
        (now + timedelta(days=3))
        .astimezone(MEXICO_CITY)
        .replace(second=0, microsecond=0, tzinfo=None)
    )
    headers = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{await chat.secretariat()}/meetings"
    async with chat.running(), chat.admin_api() as api:
        created = await api.post(
            base,
            headers=headers,
            json={
                "kind": "workshop",
                "title": "Primer taller de enfoque",
                "step": "priorizacion",
                "starts_at": local_start.isoformat(),
                "time_zone": "America/Mexico_City",
                "duration_minutes": 120,
                "place": "Sala de juntas",
                "audience": {"roles": ["staff"]},
                "agenda": "1. Bienvenida\n2. Problemas priorizados",
                "capacity": 1,
            },
        )
        assert created.status_code == 201, created.text
        meeting = created.json()
        assert meeting["answers"] == {"yes": 0, "no": 0, "maybe": 0, "unanswered": 2}

        invitations = {}
        for name, user in (("ana", office.ana), ("beto", office.beto)):
            invitations[name] = await user.next_message()
            message = invitations[name]
            assert "te invita a esta sesión" in message["caption"]
            assert "Taller «Primer taller de enfoque»" in message["caption"]
            assert "Paso de la metodología: Priorización" in message["caption"]
            # es-MX reads the clock in twelve hours: "1:02 p.m.".
            assert format_time(local_start, "short", locale="es_MX") in message["caption"]
            assert "(hora central)" in message["caption"]  # the zone by its name, not its id
            assert buttons(message) == ANSWERS
            event = await calendar_of(chat, message)
            assert event["method"] == "REQUEST"
            assert event["sequence"] == 0
            assert str(event["summary"]) == "Primer taller de enfoque"
            assert str(event["location"]) == "Sala de juntas"
            start = event.decoded("dtstart")
            assert start.replace(tzinfo=None) == local_start
            assert str(start.tzinfo) == "America/Mexico_City"
            assert event.decoded("dtend") - start == timedelta(hours=2)
            uid = str(event["uid"])

        # Ana takes the only seat; Beto is told it is full, and declines.
        await office.ana.press(invitations["ana"], "Asistiré")
        assert "Anotado: asistirás" in (await office.ana.next_message())["text"]
        await office.ana.press(invitations["ana"], "Asistiré")  # twice: nothing more recorded
        assert "Anotado: asistirás" in (await office.ana.next_message())["text"]
        await office.beto.press(invitations["beto"], "Asistiré")
        full = await office.beto.next_event(kinds=("callback_answer",))
        assert "ya está llena" in full["answer"]["text"] and full["answer"]["show_alert"]
        await office.beto.press(invitations["beto"], "No podré")
        assert "no podrás" in (await office.beto.next_message())["text"]
        # Carla, not invited, forges a press on Ana's button.
        chat.forge_press(office.carla, invitations["ana"], f"rsvp:{meeting['id']}:yes")
        refused = await office.carla.next_event(kinds=("callback_answer",))
        assert "No tienes invitación" in refused["answer"]["text"]

        await office.ana.send("/sesiones")
        assert "Tus próximas sesiones" in (await office.ana.next_message())["text"]
        listed = await office.ana.next_message()
        assert "Primer taller de enfoque" in listed["text"]
        assert "Tu respuesta: Asistiré" in listed["text"]
        assert buttons(listed) == ANSWERS

        read = (await api.get(f"{base}/{meeting['id']}", headers=headers)).json()
        assert read["answers"] == {"yes": 1, "no": 1, "maybe": 0, "unanswered": 0}
        async with chat.session_factory() as session:
            answers = await session.scalar(
                select(func.count()).where(AuditEvent.action == "meeting.rsvp")
            )
            assert answers == 2

        # The day before and an hour before: Ana is reminded, Beto, who declined, is not.
        starts_at = local_start.replace(tzinfo=MEXICO_CITY)
        for before in (timedelta(days=1), timedelta(hours=1)):
            clock = Clock(starts_at - before + timedelta(minutes=2))
            await ReminderScheduler(chat.session_factory, chat.settings, clock=clock).run_once()
            await send_outbox(chat, clock)
        async with chat.session_factory() as session:
            reminders = (
                await session.execute(
                    select(Person.name, Notification.scheduled_at)
                    .join(Person, Person.id == Notification.person_id)
                    .where(Notification.kind == "meeting.reminder")
                    .order_by(Notification.id)
                )
            ).all()
        assert [(name, at.astimezone(MEXICO_CITY)) for name, at in reminders] == [
            ("Ana Pérez", starts_at - timedelta(days=1) + timedelta(minutes=2)),
            ("Ana Pérez", starts_at - timedelta(hours=1) + timedelta(minutes=2)),
        ]
        assert (await office.ana.next_message())["text"].startswith("Mañana: Taller")
        assert (await office.ana.next_message())["text"].startswith("En una hora: Taller")

        # Moved by a day: both hear of it, with the calendar file's next SEQUENCE.
        moved = await api.patch(
            f"{base}/{meeting['id']}",
            headers=headers,
            json={
                "version": read["version"],
                "starts_at": (local_start + timedelta(days=1)).isoformat(),
            },
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["sequence"] == 1
        for user in (office.ana, office.beto):
            change = await user.next_message()
            assert "Esta sesión cambió" in change["caption"]
            event = await calendar_of(chat, change)
            assert (event["method"], event["sequence"], str(event["uid"])) == ("REQUEST", 1, uid)
            assert event.decoded("dtstart").replace(tzinfo=None) == local_start + timedelta(days=1)

        cancelled = await api.post(
            f"{base}/{meeting['id']}/cancel",
            headers=headers,
            json={"version": moved.json()["version"]},
        )
        assert cancelled.status_code == 200, cancelled.text
        for user in (office.ana, office.beto):
            notice = await user.next_message()
            assert (
                "Se canceló esta sesión: Taller «Primer taller de enfoque» (" in notice["caption"]
            )
            assert ".." not in notice["caption"]
            assert buttons(notice) == []
            event = await calendar_of(chat, notice)
            assert (event["method"], event["status"], event["sequence"]) == (
                "CANCEL",
                "CANCELLED",
                2,
            )
            assert str(event["uid"]) == uid

        await office.beto.press(invitations["beto"], "Tal vez")
        late = await office.beto.next_event(kinds=("callback_answer",))
        assert "se canceló" in late["answer"]["text"]
        await office.beto.send("/sesiones")
        assert "No tienes sesiones próximas" in (await office.beto.next_message())["text"]
    async with chat.session_factory() as session:
        assert (
            await session.scalar(select(func.count()).where(AuditEvent.action == "meeting.rsvp"))
            == 2
        )


async def test_someone_who_joins_later_is_invited_to_the_sessions_to_come(chat, office):
    awake(chat, utcnow())  # at night the invitation of those already there waits for morning
    headers = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{await chat.secretariat()}/meetings"
    async with chat.running(), chat.admin_api() as api:
        body = soon(
            3 * 24 * 60,
            kind="working_session",
            title="Sesión de planeación",
            place=None,
            video_url="https://meet.example.org/planeacion",
            audience={"roles": ["staff"]},
        )
        created = await api.post(base, headers=headers, json=body)
        assert created.status_code == 201, created.text
        assert "Sesión de planeación" in (await office.ana.next_message())["caption"]

        diana = await chat.client.user("Diana", language_code="es")
        await diana.send(f"/start {await chat.invitation()}")
        await diana.next_message()  # greeting
        await diana.press(await diana.next_message(), "Acepto")
        await diana.next_message()  # name
        await diana.send("Diana Luna")
        # The bot's replies and the invitation from the outbox, in whichever order they come.
        received = [await diana.next_message() for _ in range(3)]
        (invitation,) = [message for message in received if "document" in message]
        assert "Sesión de planeación" in invitation["caption"]
        assert buttons(invitation) == ANSWERS
        await diana.press(invitation, "Asistiré")
        assert "Anotado: asistirás" in (await diana.next_message())["text"]
        read = (await api.get(f"{base}/{created.json()['id']}", headers=headers)).json()
        assert read["answers"] == {"yes": 1, "no": 0, "maybe": 0, "unanswered": 2}
