"""Sessions through the API: bad input refused with nothing changed, and no secretariat reaching
another's sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.models import Meeting, Notification, Role, utcnow
from core.people.people import create_person


def body(**fields) -> dict:
    start = (utcnow() + timedelta(days=5)).replace(tzinfo=None, microsecond=0)
    return {
        "kind": "workshop",
        "title": "Taller de enfoque",
        "starts_at": start.isoformat(),
        "time_zone": "America/Mexico_City",
        "duration_minutes": 90,
        "place": "Sala 1",
        **fields,
    }


@pytest.fixture
async def people(session_factory, world) -> dict[str, int]:
    async with session_factory() as session, session.begin():
        ana = await create_person(
            session, world.own, "test", roles={Role.STAFF}, name="Ana", telegram_id=501
        )
        zoe = await create_person(
            session, world.other, "test", roles={Role.STAFF}, name="Zoe", telegram_id=502
        )
        return {"ana": ana.id, "zoe": zoe.id}


async def stored(session_factory) -> tuple[int, int]:
    async with session_factory() as session:
        meetings = await session.scalar(select(func.count()).select_from(Meeting))
        sent = await session.scalar(select(func.count()).select_from(Notification))
        return meetings, sent


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"starts_at": "2020-01-01T10:00:00"}, 422, "in the past"),
        # The last and first minutes a date can hold, past the range once moved to UTC.
        ({"starts_at": "9999-12-31T23:59"}, 422, "at most two years ahead"),
        ({"starts_at": "0001-01-01T00:00"}, 422, "in the past (0001-01-01T00:00"),
        ({"duration_minutes": 0}, 422, "ends after it starts"),
        ({"time_zone": "Mars/Olympus"}, 422, "Unknown time zone"),
        ({"capacity": 0}, 422, "at least 1"),
        ({"place": None}, 422, "a place, a video-call link"),
        ({"step": "prioritizing"}, 422, "Unknown methodology step"),
        ({"audience": {"person_ids": ["zoe"]}}, 404, "not registered in the bot"),
        ({"audience": {"secretariat_ids": ["other"]}}, 403, "national team"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    http, world, people, session_factory, fields, status, words
):
    if "audience" in fields:
        named = fields["audience"]
        fields = {
            "audience": {
                "person_ids": [people[name] for name in named.get("person_ids", [])],
                "secretariat_ids": [world.other] if named.get("secretariat_ids") else [],
            }
        }
    answer = await http.post(
        f"/secretariats/{world.own}/meetings",
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
        json=body(**fields),
    )
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert await stored(session_factory) == (0, 0)


async def test_no_secretariat_reaches_anothers_sessions(http, world, people, session_factory):
    national = world.auth("national_admin")
    created = await http.post(
        f"/secretariats/{world.other}/meetings", headers=national, json=body()
    )
    assert created.status_code == 201, created.text
    meeting = created.json()
    coordinator = world.auth("coordinator")
    for path in (f"/secretariats/{world.own}/meetings", f"/secretariats/{world.other}/meetings"):
        assert (await http.get(f"{path}/{meeting['id']}", headers=coordinator)).status_code == 404
        changed = await http.patch(
            f"{path}/{meeting['id']}", headers=coordinator, json={"version": 1, "title": "Otro"}
        )
        assert changed.status_code == 404
        cancelled = await http.post(
            f"{path}/{meeting['id']}/cancel", headers=coordinator, json={"version": 1}
        )
        assert cancelled.status_code == 404
    own = await http.get(f"/secretariats/{world.own}/meetings", headers=coordinator)
    assert own.json()["items"] == []
    read = await http.get(f"/secretariats/{world.other}/meetings/{meeting['id']}", headers=national)
    assert (read.json()["title"], read.json()["version"]) == ("Taller de enfoque", 1)


async def test_a_national_session_invites_people_of_several_secretariats(http, world, people):
    created = await http.post(
        f"/secretariats/{world.own}/meetings",
        headers=world.auth("national_admin"),
        json=body(audience={"secretariat_ids": [world.own, world.other]}),
    )
    assert created.status_code == 201, created.text
    invited = {item["person_id"] for item in created.json()["invitees"]}
    assert invited == {people["ana"], people["zoe"]}
