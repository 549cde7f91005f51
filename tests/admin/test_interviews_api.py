"""Interviews through the API: scheduled with a session, a campaign that opens at its start and
the interviewer's message; refused precisely with nothing changed; linked to the solutions of a
prioritisation, which its ranking then shows; notes written and read back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.actor import Actor
from core.chat.definitions import DefinitionCatalog
from core.models import (
    AuditEvent,
    Campaign,
    Interview,
    Meeting,
    Notification,
    NotificationState,
    Person,
    Role,
    utcnow,
)
from core.people import privacy
from core.people.people import create_person
from tests.support.prioritisation import answered
from tests.support.statements import count_statements


def body(people: dict[str, int], **fields) -> dict:
    start = (utcnow() + timedelta(days=5)).replace(tzinfo=None, microsecond=0)
    return {
        "interviewee_id": people["ana"],
        "interviewer_id": people["beto"],
        "starts_at": start.isoformat(),
        "time_zone": "America/Mexico_City",
        "duration_minutes": 60,
        "video_url": "https://meet.example.org/entrevista",
        **fields,
    }


@pytest.fixture
async def people(session_factory, world) -> dict[str, int]:
    async with session_factory() as session, session.begin():
        made = {
            "ana": await create_person(
                session, world.own, "test", roles={Role.STAFF}, name="Ana", telegram_id=501
            ),
            "beto": await create_person(
                session, world.own, "test", roles={Role.STAFF}, name="Beto", telegram_id=502
            ),
            "eva": await create_person(
                session, world.own, "test", roles={Role.STAFF}, name="Eva", telegram_id=503
            ),
            "sin_bot": await create_person(session, world.own, "test", roles={Role.STAFF}),
            "zoe": await create_person(
                session, world.other, "test", roles={Role.STAFF}, name="Zoe", telegram_id=504
            ),
        }
        made["eva"].erased_at = utcnow()
        return {name: person.id for name, person in made.items()}


async def stored(session_factory) -> tuple[int, ...]:
    async with session_factory() as session:
        return tuple(
            [
                await session.scalar(select(func.count()).select_from(table))
                for table in (Interview, Meeting, Campaign, Notification)
            ]
        )


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"interviewee_id": "zoe"}, 404, "Person"),
        ({"interviewer_id": "zoe"}, 404, "Person"),
        ({"interviewee_id": "eva"}, 422, "was erased"),
        ({"interviewer_id": "sin_bot"}, 422, "has not joined the bot"),
        ({"interviewer_id": "ana"}, 422, "cannot be the interviewee"),
        ({"definition_id": "solution_prioritisation"}, 422, "is not an interview"),
        ({"definition_id": "nowhere"}, 404, "nowhere"),
        ({"starts_at": "2020-01-01T10:00:00"}, 422, "in the past"),
        ({"video_url": None}, 422, "a place, a video-call link"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    http, world, people, session_factory, fields, status, words
):
    named = {
        key: people[value] if key.endswith("_id") and value in people else value
        for key, value in fields.items()
    }
    answer = await http.post(
        f"/secretariats/{world.own}/interviews",
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
        json=body(people, **named),
    )
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert await stored(session_factory) == (0, 0, 0, 0)


async def test_an_interview_is_a_session_for_both_and_a_campaign_opening_at_its_start(
    http, world, people, session_factory
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/interviews"
    created = await http.post(base, headers=coordinator, json=body(people))
    assert created.status_code == 201, created.text
    interview = created.json()
    assert interview["definition_id"] == "project_interview"
    assert interview["campaign_state"] == "scheduled"
    assert interview["interviewee_state"] is None
    meeting = interview["meeting"]
    assert meeting["kind"] == "interview"
    assert meeting["title"] == "Entrevista: análisis de proyecto y propuestas de solución"
    assert {item["person_id"] for item in meeting["invitees"]} == {people["ana"], people["beto"]}
    async with session_factory() as session:
        campaign = await session.get_one(Campaign, interview["campaign_id"])
        assert campaign.meeting_id == meeting["id"]
        assert campaign.audience["person_ids"] == [people["ana"]]
        assert campaign.opens_at == (await session.get_one(Meeting, meeting["id"])).starts_at
        sent = (
            await session.execute(
                select(
                    Notification.kind, Notification.person_id, Notification.scheduled_at
                ).order_by(Notification.id)
            )
        ).all()
    kinds = {(kind, person) for kind, person, _ in sent}
    assert kinds == {
        ("meeting.invitation", people["ana"]),
        ("meeting.invitation", people["beto"]),
        ("interview.notes", people["beto"]),
    }
    (notes_at,) = [at for kind, _, at in sent if kind == "interview.notes"]
    assert notes_at == campaign.opens_at

    listed = await http.get(base, headers=world.auth("viewer"))
    assert [item["id"] for item in listed.json()["items"]] == [interview["id"]]
    read = (await http.get(f"{base}/{interview['id']}", headers=coordinator)).json()
    assert (read["answers"], read["notes"], read["solutions"]) == ([], [], [])
    # Another secretariat's coordinator does not reach it.
    other = await http.get(
        f"/secretariats/{world.other}/interviews/{interview['id']}",
        headers=world.auth("national_admin"),
    )
    assert other.status_code == 404


async def test_a_secretariats_stored_interview_can_be_scheduled(http, world, people):
    short = {
        "id": "entrevista_corta",
        "version": 1,
        "kind": "interview",
        "title": {"es": "Entrevista corta", "en": "Short interview"},
        "questions": [
            {
                "id": "idea",
                "type": "long_answer",
                "text": {"es": "¿Qué propones?", "en": "What do you propose?"},
            }
        ],
    }
    uploaded = await http.post(
        f"/secretariats/{world.own}/definitions",
        headers=world.auth("secretariat_admin"),
        files={"file": ("entrevista.json", json.dumps(short).encode(), "application/json")},
    )
    assert uploaded.status_code == 201, uploaded.text
    created = await http.post(
        f"/secretariats/{world.own}/interviews",
        headers=world.auth("coordinator"),
        json=body(people, definition_id="entrevista_corta"),
    )
    assert created.status_code == 201, created.text
    assert created.json()["meeting"]["title"] == "Entrevista corta"


async def test_linked_solutions_show_on_the_interview_and_on_the_ranking(
    http, world, people, session_factory
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}"
    solutions = await answered(session_factory, world.own, "solution_prioritisation", "solutions")
    elsewhere = await answered(session_factory, world.other, "solution_prioritisation", "solutions")
    interview = await http.post(f"{base}/interviews", headers=coordinator, json=body(people))
    interview_id = interview.json()["id"]
    path = f"{base}/interviews/{interview_id}/solutions"

    unknown = await http.put(
        path,
        headers={**coordinator, "Accept-Language": "en"},
        json={"campaign_id": solutions, "choice_ids": ["open_procurement", "flying_cars"]},
    )
    assert unknown.status_code == 422 and "flying_cars" in unknown.text
    assert "open_procurement" not in unknown.json()["detail"]
    foreign = await http.put(
        path, headers=coordinator, json={"campaign_id": elsewhere, "choice_ids": []}
    )
    assert foreign.status_code == 404

    linked = await http.put(
        path,
        headers=coordinator,
        json={"campaign_id": solutions, "choice_ids": ["open_procurement", "social_audit"]},
    )
    assert linked.status_code == 200, linked.text
    assert [(item["choice_id"], item["label"]) for item in linked.json()["solutions"]] == [
        ("open_procurement", "Publicar las contrataciones públicas como datos abiertos"),
        ("social_audit", "Contraloría social en obras y programas"),
    ]
    ranking = await http.get(f"{base}/campaigns/{solutions}/ranking", headers=coordinator)
    backed = {item["choice_id"]: item["interview_ids"] for item in ranking.json()}
    assert backed["open_procurement"] == backed["social_audit"] == [interview_id]
    assert backed["internal_control"] == []

    # Again with one: the other is no longer linked.
    await http.put(
        path, headers=coordinator, json={"campaign_id": solutions, "choice_ids": ["social_audit"]}
    )
    read = (await http.get(f"{base}/interviews/{interview_id}", headers=coordinator)).json()
    assert [item["choice_id"] for item in read["solutions"]] == ["social_audit"]
    async with session_factory() as session:
        audited = await session.scalar(
            select(func.count()).where(AuditEvent.action == "interview.solutions")
        )
    assert audited == 2


async def test_notes_written_through_the_api_are_read_back(http, world, people):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/interviews"
    interview_id = (await http.post(base, headers=coordinator, json=body(people))).json()["id"]
    empty = await http.post(f"{base}/{interview_id}/notes", headers=coordinator, json={"text": ""})
    assert empty.status_code == 422
    viewer = await http.post(
        f"{base}/{interview_id}/notes", headers=world.auth("viewer"), json={"text": "Hola"}
    )
    assert viewer.status_code == 403
    added = await http.post(
        f"{base}/{interview_id}/notes",
        headers=coordinator,
        json={"text": "Propone publicar las contrataciones cada semana."},
    )
    assert added.status_code == 201, added.text
    note = added.json()
    assert (note["kind"], note["file"], note["person_id"]) == ("text", None, None)
    read = (await http.get(f"{base}/{interview_id}", headers=coordinator)).json()
    assert [item["text"] for item in read["notes"]] == [
        "Propone publicar las contrataciones cada semana."
    ]
    no_file = await http.get(f"{base}/{interview_id}/notes/{note['id']}/file", headers=coordinator)
    assert no_file.status_code == 404


async def test_erasing_the_interviewee_empties_the_notes_about_them(
    http, world, people, session_factory
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/interviews"
    interview_id = (await http.post(base, headers=coordinator, json=body(people))).json()["id"]
    said = "Ana propone publicar las contrataciones cada semana."
    added = await http.post(
        f"{base}/{interview_id}/notes", headers=coordinator, json={"text": said}
    )
    assert added.status_code == 201, added.text
    async with session_factory() as session, session.begin():
        ana = await session.get_one(Person, people["ana"])
        await privacy.erase_person(session, DefinitionCatalog("test"), ana, Actor.person(ana.id))
    read = (await http.get(f"{base}/{interview_id}", headers=coordinator)).json()
    assert [note["text"] for note in read["notes"]] == [None]
    assert said not in json.dumps(read)


async def test_what_waits_for_the_start_moves_with_the_session_and_ends_with_it(
    http, world, people, session_factory
):
    coordinator = world.auth("coordinator")
    created = await http.post(
        f"/secretariats/{world.own}/interviews", headers=coordinator, json=body(people)
    )
    interview = created.json()
    meetings = f"/secretariats/{world.own}/meetings/{interview['meeting']['id']}"

    async def waiting() -> tuple[datetime | None, set[tuple[str, datetime, NotificationState]]]:
        async with session_factory() as session:
            campaign = await session.get_one(Campaign, interview["campaign_id"])
            notes = await session.execute(
                select(Notification.kind, Notification.scheduled_at, Notification.state).where(
                    Notification.kind == "interview.notes"
                )
            )
            return (None if campaign.closed_at else campaign.opens_at), set(notes.all())

    later = datetime.fromisoformat(body(people)["starts_at"]) + timedelta(days=1)
    moved = await http.patch(
        meetings,
        headers=coordinator,
        json={"version": interview["meeting"]["version"], "starts_at": later.isoformat()},
    )
    assert moved.status_code == 200, moved.text
    starts_at = datetime.fromisoformat(moved.json()["starts_at"])
    assert await waiting() == (
        starts_at,
        {("interview.notes", starts_at, NotificationState.PENDING)},
    )
    cancelled = await http.post(
        f"{meetings}/cancel", headers=coordinator, json={"version": moved.json()["version"]}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert await waiting() == (
        None,
        {("interview.notes", starts_at, NotificationState.CANCELLED)},
    )
    read = (
        await http.get(
            f"/secretariats/{world.own}/interviews/{interview['id']}", headers=coordinator
        )
    ).json()
    assert read["campaign_state"] == "closed"


async def test_listing_interviews_takes_as_many_statements_for_one_as_for_five(
    client, world, people, engine
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/interviews"

    async def listing_statements() -> int:
        await client.get("/me", headers=coordinator)  # the token's last use, written apart
        with count_statements(engine) as counter:
            listed = await client.get(base, headers=coordinator)
            assert listed.status_code == 200, listed.text
        return counter["n"]

    await client.post(base, headers=coordinator, json=body(people))
    one = await listing_statements()
    assert one > 0
    for _ in range(4):
        await client.post(base, headers=coordinator, json=body(people))
    assert await listing_statements() == one
