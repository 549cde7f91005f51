"""Checking in end to end: a coordinator issues a session's code; Ana checks in typing it, Beto
by opening the deep link; a second check-in, a wrong code, a code of a session Carla is not
invited to, an expired code and too many wrong tries are each answered and change nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from core.meetings.attendance import TRIES
from core.models import AuditEvent, Meeting, MeetingInvitee, TokenRole, utcnow
from tests.support.meetings import soon


async def recorded(chat) -> tuple[int, int]:
    """People recorded present, and check-ins in the audit chain."""
    async with chat.session_factory() as session:
        present = await session.scalar(
            select(func.count()).where(MeetingInvitee.attended_at.is_not(None))
        )
        events = await session.scalar(
            select(func.count()).where(AuditEvent.action == "meeting.attendance")
        )
        return int(present or 0), int(events or 0)


async def test_invitees_check_in_by_code_and_by_link(chat, office):
    headers = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{await chat.secretariat()}/meetings"
    async with chat.running(), chat.admin_api() as api:
        body = soon(title="Segundo taller de enfoque", audience={"roles": ["staff"]})
        created = await api.post(base, headers=headers, json=body)
        assert created.status_code == 201, created.text
        meeting = created.json()["id"]
        for user in (office.ana, office.beto):
            await user.next_message()  # the invitation
        issued = (await api.post(f"{base}/{meeting}/check-in-code", headers=headers)).json()
        code, link = issued["code"], issued["deep_link"]

        await office.ana.send(f"/asistencia {code.lower()}")
        assert "Quedó registrada tu asistencia" in (await office.ana.next_message())["text"]
        await office.ana.send(f"/asistencia {code}")
        assert "Ya habías registrado tu asistencia" in (await office.ana.next_message())["text"]
        await office.beto.send(f"/start {link.split('?start=')[1]}")
        assert "Quedó registrada tu asistencia" in (await office.beto.next_message())["text"]
        assert await recorded(chat) == (2, 2)

        await office.carla.send(f"/asistencia {code}")
        assert "no tienes invitación" in (await office.carla.next_message())["text"]
        await office.carla.send("/asistencia")
        assert "/asistencia CÓDIGO" in (await office.carla.next_message())["text"]
        for _ in range(TRIES - 1):
            await office.carla.send("/asistencia ZZZZZZZZ")
            assert "no es válido" in (await office.carla.next_message())["text"]
        await office.carla.send(f"/asistencia {code}")
        assert "Demasiados códigos" in (await office.carla.next_message())["text"]

        # The session ends: its code with it.
        async with chat.session_factory() as session, session.begin():
            await session.execute(
                update(Meeting)
                .where(Meeting.id == meeting)
                .values(starts_at=utcnow() - timedelta(hours=2))
            )
            await session.execute(update(MeetingInvitee).values(attended_at=None, checked_in=None))
        await office.ana.send(f"/asistencia {code}")
        assert "su código venció" in (await office.ana.next_message())["text"]
        assert await recorded(chat) == (0, 2)
        listed = (await api.get(f"{base}/{meeting}/attendance", headers=headers)).json()
        assert [row["present"] for row in listed] == [False, False]
