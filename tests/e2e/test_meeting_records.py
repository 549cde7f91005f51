"""A session's agreements and minutes end to end: a coordinator schedules a workshop, it takes
place, an agreement becomes a task whose responsible hears of it and is then reminded of it by
the plan's rules as of any task; the minutes reach the attendee as a document, not the absent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update

from core.models import Meeting, Person, Task, TokenRole, utcnow
from tests.e2e.conftest import Clock, buttons, send_outbox, work
from tests.support.documents import blank_pdf
from tests.support.meetings import soon
from tests.support.office import MEXICO_CITY, awake


async def test_an_agreement_becomes_a_reminded_task_and_the_minutes_reach_the_attendees(
    chat, office
):
    awake(chat, utcnow())
    headers = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{await chat.secretariat()}/meetings"
    async with chat.session_factory() as session:
        activity = (await session.get_one(Task, office.report)).activity_id
        ana, beto = [
            await session.scalar(select(Person.id).where(Person.telegram_id == user.id))
            for user in (office.ana, office.beto)
        ]
    async with chat.admin_api() as api:
        created = await api.post(
            base,
            headers=headers,
            json=soon(title="Taller de seguimiento", audience={"roles": ["staff"]}),
        )
        assert created.status_code == 201, created.text
        meeting = created.json()["id"]
        assert await send_outbox(chat) == 2
        for user in (office.ana, office.beto):
            assert "te invita a esta sesión" in (await user.next_message())["caption"]
        marked = await api.put(
            f"{base}/{meeting}/attendance/{ana}", headers=headers, json={"present": True}
        )
        assert marked.status_code == 200, marked.text
        # The workshop takes place.
        async with chat.session_factory() as session, session.begin():
            await session.execute(
                update(Meeting)
                .where(Meeting.id == meeting)
                .values(starts_at=utcnow() - timedelta(hours=1))
            )

        due = utcnow().astimezone(MEXICO_CITY).date() + timedelta(days=3)
        agreed = await api.post(
            f"{base}/{meeting}/agreements",
            headers=headers,
            json={
                "text": "Publicar el directorio de OSC",
                "responsible_id": beto,
                "due_date": due.isoformat(),
                "activity_id": activity,
            },
        )
        assert agreed.status_code == 201, agreed.text
        code = agreed.json()["task"]["code"]
        assert await send_outbox(chat) == 1
        told = await office.beto.next_message()
        assert "Ahora eres responsable de la tarea" in told["text"]
        assert code in told["text"] and "Publicar el directorio de OSC" in told["text"]

        # The morning before it is due, the plan's rule reminds it as any task (and Ana, who
        # was there, gets the workshop's survey).
        the_day_before = datetime.combine(due - timedelta(days=1), time(17), UTC)
        assert await work(chat, Clock(the_day_before)) == 2
        assert "Evaluación del taller" in (await office.ana.next_message())["text"]
        reminder = await office.beto.next_message()
        assert "Publicar el directorio de OSC" in reminder["text"]
        assert buttons(reminder) == ["Reportar avance", "Ya terminé", "Necesito ayuda"]

        pdf = blank_pdf()
        uploaded = await api.put(
            f"{base}/{meeting}/minutes", headers=headers, files={"file": ("acta.pdf", pdf)}
        )
        assert uploaded.status_code == 200, uploaded.text
        assert await send_outbox(chat) == 1
        minutes = await office.ana.next_message()
        assert minutes["document"]["file_name"] == "acta.pdf"
        assert await chat.client.file(minutes["document"]["file_id"]) == pdf
        assert (
            "Te enviamos el acta de la sesión Taller «Taller de seguimiento»"
            in (minutes["caption"])
        )
    sent_to_beto = await office.beto.messages()
    assert not any("el acta" in message.get("caption", "") for message in sent_to_beto)
    async with chat.session_factory() as session:
        task = await session.scalar(select(Task).where(Task.code == code))
        assert task is not None and task.responsible_ids == [beto]
