"""Attendance through the API: the host's code with its link and QR code, presence marked by
the host, each person's attendance showing who falls behind, and no secretariat reaching
another's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent, Meeting, MeetingInvitee, MeetingKind, Role, utcnow
from core.people.people import create_person
from tests.support.meetings import soon


def body(person_ids: list[int], minutes: int = 10) -> dict:
    return soon(minutes, audience={"person_ids": person_ids})


@pytest.fixture
async def people(session_factory, world) -> dict[str, int]:
    async with session_factory() as session, session.begin():
        made = {}
        for name, telegram_id in (("Ana", 601), ("Beto", 602), ("Luz", 603)):
            person = await create_person(
                session, world.own, "test", roles={Role.STAFF}, name=name, telegram_id=telegram_id
            )
            made[name.lower()] = person.id
        zoe = await create_person(
            session, world.other, "test", roles={Role.STAFF}, name="Zoe", telegram_id=604
        )
        return {**made, "zoe": zoe.id}


async def attendance_events(session_factory) -> int:
    async with session_factory() as session:
        count = await session.scalar(
            select(func.count()).where(AuditEvent.action == "meeting.attendance")
        )
        return int(count or 0)


async def test_the_host_shows_a_code_and_marks_presence(http, world, people, session_factory):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/meetings"
    created = await http.post(base, headers=coordinator, json=body([people["ana"], people["beto"]]))
    assert created.status_code == 201, created.text
    meeting = created.json()["id"]

    issued = await http.post(f"{base}/{meeting}/check-in-code", headers=coordinator)
    assert issued.status_code == 200, issued.text
    shown = issued.json()
    assert len(shown["code"]) == 8
    assert shown["deep_link"].endswith(f"?start=asistencia-{shown['code']}")
    assert shown["qr_svg"].startswith("<svg")
    again = (await http.post(f"{base}/{meeting}/check-in-code", headers=coordinator)).json()
    assert again["code"] != shown["code"]

    marked = await http.put(
        f"{base}/{meeting}/attendance/{people['ana']}", headers=coordinator, json={"present": True}
    )
    assert marked.status_code == 200, marked.text
    assert (marked.json()["present"], marked.json()["checked_in"]) == (True, "host")
    twice = await http.put(
        f"{base}/{meeting}/attendance/{people['ana']}", headers=coordinator, json={"present": True}
    )
    assert twice.status_code == 200
    assert await attendance_events(session_factory) == 1

    listed = (await http.get(f"{base}/{meeting}/attendance", headers=coordinator)).json()
    assert [(row["name"], row["present"]) for row in listed] == [("Ana", True), ("Beto", False)]
    not_invited = await http.put(
        f"{base}/{meeting}/attendance/{people['luz']}", headers=coordinator, json={"present": True}
    )
    assert not_invited.status_code == 404
    foreign = await http.put(
        f"{base}/{meeting}/attendance/{people['zoe']}", headers=coordinator, json={"present": True}
    )
    assert foreign.status_code == 404
    absent = await http.put(
        f"{base}/{meeting}/attendance/{people['ana']}", headers=coordinator, json={"present": False}
    )
    assert (absent.json()["present"], absent.json()["checked_in"]) == (False, None)
    assert await attendance_events(session_factory) == 2


async def test_presence_waits_for_the_session_and_a_cancelled_one_has_no_code(
    http, world, people, session_factory
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/meetings"
    later = (await http.post(base, headers=coordinator, json=body([people["ana"]], 600))).json()
    early = await http.put(
        f"{base}/{later['id']}/attendance/{people['ana']}",
        headers=coordinator,
        json={"present": True},
    )
    assert early.status_code == 409
    await http.post(f"{base}/{later['id']}/cancel", headers=coordinator, json={"version": 1})
    code = await http.post(f"{base}/{later['id']}/check-in-code", headers=coordinator)
    assert code.status_code == 409
    assert await attendance_events(session_factory) == 0


async def test_who_falls_behind_comes_first(http, world, people, session_factory):
    # Four past sessions: Ana attended all; Beto missed the last two; Luz missed one of four.
    now = utcnow()
    attended = {"ana": [1, 1, 1, 1], "beto": [1, 1, 0, 0], "luz": [0, 1, 1, 1]}
    async with session_factory() as session, session.begin():
        for weeks in range(4, 0, -1):
            meeting = Meeting(
                secretariat_id=world.own,
                kind=MeetingKind.WORKSHOP,
                title=f"Sesión {weeks}",
                starts_at=now - timedelta(weeks=weeks),
                time_zone="America/Mexico_City",
                duration_minutes=60,
                place="Sala 1",
                audience={},
            )
            session.add(meeting)
            await session.flush()
            for name, history in attended.items():
                present = history[4 - weeks]
                session.add(
                    MeetingInvitee(
                        meeting_id=meeting.id,
                        person_id=people[name],
                        invited_at=meeting.starts_at - timedelta(days=3),
                        attended_at=meeting.starts_at if present else None,
                    )
                )
    path = f"/secretariats/{world.own}/attendance"
    answer = await http.get(path, headers=world.auth("coordinator"))
    assert answer.status_code == 200, answer.text
    rows = {row["name"]: row for row in answer.json()}
    assert answer.json()[0]["name"] == "Beto"
    assert (rows["Beto"]["missed_in_a_row"], rows["Beto"]["behind"]) == (2, True)
    assert (rows["Luz"]["attended"], rows["Luz"]["missed"], rows["Luz"]["behind"]) == (3, 1, False)
    assert (rows["Ana"]["invited"], rows["Ana"]["behind"]) == (4, False)
    behind = await http.get(path, headers=world.auth("coordinator"), params={"behind": "true"})
    assert [row["name"] for row in behind.json()] == ["Beto"]
    other = await http.get(
        f"/secretariats/{world.other}/attendance", headers=world.auth("coordinator")
    )
    assert other.status_code == 404


async def test_no_secretariat_reaches_anothers_attendance(http, world, people):
    created = await http.post(
        f"/secretariats/{world.other}/meetings",
        headers=world.auth("national_admin"),
        json=body([people["zoe"]]),
    )
    assert created.status_code == 201, created.text
    meeting = created.json()["id"]
    coordinator = world.auth("coordinator")
    for secretariat in (world.own, world.other):
        base = f"/secretariats/{secretariat}/meetings/{meeting}"
        assert (await http.post(f"{base}/check-in-code", headers=coordinator)).status_code == 404
        assert (await http.get(f"{base}/attendance", headers=coordinator)).status_code == 404
        marked = await http.put(
            f"{base}/attendance/{people['ana']}", headers=coordinator, json={"present": True}
        )
        assert marked.status_code == 404
