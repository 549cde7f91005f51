"""The survey after a workshop end to end: of three invitees, Ana checks in with the code and
the host marks Beto present; once it ends the worker sends the workshop feedback to those two
only, its title naming the session; Ana answers it in chat without being asked the date; the
session's page shows her finished response and its figures; Carla, marked present later, is
invited too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.worker import ReminderScheduler
from core.models import Meeting, Notification, Person, TokenRole, utcnow
from tests.e2e.conftest import buttons
from tests.support.meetings import soon
from tests.support.office import MEXICO_CITY, awake


async def invited(chat) -> list[str]:
    """Who was sent a survey's invitation, by name."""
    async with chat.session_factory() as session:
        rows = await session.scalars(
            select(Person.name)
            .join(Notification, Notification.person_id == Person.id)
            .where(Notification.kind == "campaign.invitation")
            .order_by(Person.name)
        )
        return list(rows)


async def test_the_feedback_survey_reaches_only_those_who_attended(chat, office):
    now = utcnow()
    awake(chat, now)
    headers = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{await chat.secretariat()}/meetings"
    async with chat.running(), chat.admin_api() as api:
        body = soon(
            title="Taller de cierre",
            duration_minutes=60,
            audience={"roles": ["staff", "coordinator"]},
        )
        created = await api.post(base, headers=headers, json=body)
        assert created.status_code == 201, created.text
        meeting = created.json()["id"]
        for user in (office.ana, office.beto, office.carla):
            await user.next_message()  # the session's invitation
        code = (await api.post(f"{base}/{meeting}/check-in-code", headers=headers)).json()["code"]
        await office.ana.send(f"/asistencia {code}")
        assert "Quedó registrada tu asistencia" in (await office.ana.next_message())["text"]
        beto = (await chat.person(office.beto)).id
        marked = await api.put(
            f"{base}/{meeting}/attendance/{beto}", headers=headers, json={"present": True}
        )
        assert marked.status_code == 200, marked.text

        # Under way: nothing yet. Over: the worker sends it to Ana and Beto, once.
        scheduler = ReminderScheduler(chat.session_factory, chat.settings, catalog=chat.catalog)
        await scheduler.run_once()
        assert await invited(chat) == []
        async with chat.session_factory() as session, session.begin():
            await session.execute(
                update(Meeting)
                .where(Meeting.id == meeting)
                .values(starts_at=utcnow() - timedelta(hours=2))
            )
        held_on = (utcnow() - timedelta(hours=2)).astimezone(MEXICO_CITY).date()
        await scheduler.run_once()
        await scheduler.run_once()
        assert await invited(chat) == ["Ana Pérez", "Beto Pérez"]
        invitation = await office.ana.next_message()
        assert "«Evaluación del taller: Taller de cierre»" in invitation["text"]
        assert buttons(invitation) == ["Empezar"]
        assert "Taller de cierre" in (await office.beto.next_message())["text"]

        # Ana answers: the date of the workshop is known, so it is not asked.
        await office.ana.press(invitation, "Empezar")
        question = await office.ana.next_message()
        assert "¿cómo calificas el taller?" in question["text"]
        for pressed in ("5", "1. Sí, totalmente", "4", "5"):
            await office.ana.press(question, pressed)
            question = await office.ana.next_message()
        assert "recomiendes" in question["text"]
        for typed in ("9", "Los ejemplos de otros estados"):
            await office.ana.send(typed)
            question = await office.ana.next_message()
        await office.ana.press(question, "Omitir")
        question = await office.ana.next_message()
        await office.ana.press(question, "Sí")
        assert "¡Gracias por tus comentarios!" in (await office.ana.next_message())["text"]

        page = await api.get(f"{base}/{meeting}/feedback?by=sector", headers=headers)
        assert page.status_code == 200, page.text
        shown = page.json()
        assert shown["campaign"] | {"id": None, "launched_at": None} == {
            "id": None, "state": "open", "launched_at": None, "invited": 2, "finished": 1,
        }  # fmt: skip
        figures = {question["id"]: question for question in shown["results"]["questions"]}
        assert shown["results"]["respondents"] == 1
        assert figures["workshop_date"]["distribution"] == [
            {"value": held_on.isoformat(), "count": 1, "percent": 100.0}
        ]
        assert figures["overall"]["mean"] == 5.0
        assert figures["most_useful"]["texts"] == ["Los ejemplos de otros estados"]
        # One respondent is a group too small to show on its own.
        assert shown["results"]["breakdown"]["groups"] == [{"value": None, "suppressed": True}]

        # Carla, marked present after it was sent, is invited while it is open.
        carla = (await chat.person(office.carla)).id
        marked = await api.put(
            f"{base}/{meeting}/attendance/{carla}", headers=headers, json={"present": True}
        )
        assert marked.status_code == 200, marked.text
        late = await office.carla.next_message()
        assert "«Evaluación del taller: Taller de cierre»" in late["text"]
        assert await invited(chat) == ["Ana Pérez", "Beto Pérez", "Carla Pérez"]
        read = (await api.get(f"{base}/{meeting}/feedback", headers=headers)).json()
        assert (read["campaign"]["invited"], read["campaign"]["finished"]) == (3, 1)
