"""A session's agreements and minutes through the API: agreements become tasks (new or
updated) listed with where they stand; minutes are kept, replaced and sent to attendees only;
bad input is refused with nothing changed, and no secretariat reaches another's."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from core.audit.actor import Actor
from core.chat.definitions import DefinitionCatalog
from core.models import (
    Activity,
    Agreement,
    AuditEvent,
    EvidenceKind,
    Meeting,
    MeetingInvitee,
    Minutes,
    Notification,
    Objective,
    Person,
    Role,
    Task,
    utcnow,
)
from core.notify.outbox import Attachment
from core.people import privacy
from core.people.people import create_person
from core.plans.tasks import add_task
from core.reporting import reports
from core.reporting.evidence import EvidenceItem
from tests.support.documents import blank_pdf
from tests.support.meetings import soon

ZONE = ZoneInfo("America/Mexico_City")


@dataclass
class Held:
    """A workshop of ``own`` that took place, Ana present and Beto not; its people and plans."""

    base: str
    meeting: int
    ana: int
    beto: int
    eva: int  # erased her data
    zoe: int  # of the other secretariat
    activity: int
    other_activity: int
    task: int  # Beto's, with a description
    other_task: int

    @property
    def day(self) -> date:
        return utcnow().astimezone(ZONE).date()


def meeting_body(person_ids: list[int]) -> dict:
    return soon(audience={"person_ids": person_ids})


async def activity_of(session, plan_id: int) -> int:
    found = await session.scalar(
        select(Activity.id).join(Objective).where(Objective.plan_id == plan_id)
    )
    assert found is not None
    return found


@pytest.fixture
async def held(http, world, session_factory) -> Held:
    async with session_factory() as session, session.begin():
        people = {}
        for name, telegram_id in (("Ana", 701), ("Beto", 702), ("Eva", 703)):
            person = await create_person(
                session, world.own, "test", roles={Role.STAFF}, name=name, telegram_id=telegram_id
            )
            people[name.lower()] = person.id
        zoe = await create_person(
            session, world.other, "test", roles={Role.STAFF}, name="Zoe", telegram_id=704
        )
        activity = await activity_of(session, world.own_plan)
        other_activity = await activity_of(session, world.other_plan)
        task = await add_task(
            session,
            world.own,
            "test",
            activity,
            title="Directorio de OSC",
            description="Reunir los contactos.",
            responsible_ids=[people["beto"]],
        )
        other_task = await add_task(session, world.other, "test", other_activity, title="Ajena")
    base = f"/secretariats/{world.own}/meetings"
    coordinator = world.auth("coordinator")
    invited = [people["ana"], people["beto"], people["eva"]]
    created = await http.post(base, headers=coordinator, json=meeting_body(invited))
    assert created.status_code == 201, created.text
    meeting = created.json()["id"]
    marked = await http.put(
        f"{base}/{meeting}/attendance/{people['ana']}", headers=coordinator, json={"present": True}
    )
    assert marked.status_code == 200, marked.text
    async with session_factory() as session, session.begin():
        # It took place: it started a while ago. Eva was there, then erased her data.
        await session.execute(
            update(Meeting)
            .where(Meeting.id == meeting)
            .values(starts_at=utcnow() - timedelta(hours=1))
        )
        await session.execute(
            update(MeetingInvitee)
            .where(MeetingInvitee.person_id == people["eva"])
            .values(attended_at=utcnow())
        )
        await session.execute(
            update(Person).where(Person.id == people["eva"]).values(erased_at=utcnow())
        )
    return Held(
        base, meeting, people["ana"], people["beto"], people["eva"], zoe.id, activity,
        other_activity, task.id, other_task.id,
    )  # fmt: skip


async def counts(session_factory) -> tuple[int, ...]:
    """Agreements, tasks, notifications, audit events and minutes stored."""
    async with session_factory() as session:
        found = []
        for model in (Agreement, Task, Notification, AuditEvent, Minutes):
            found.append(await session.scalar(select(func.count()).select_from(model)))
        return tuple(found)


async def test_an_agreement_becomes_a_task_its_responsible_hears_of(
    http, world, held, session_factory
):
    coordinator = world.auth("coordinator")
    due = held.day + timedelta(days=10)
    answer = await http.post(
        f"{held.base}/{held.meeting}/agreements",
        headers=coordinator,
        json={
            "text": "Publicar el directorio de OSC",
            "responsible_id": held.ana,
            "due_date": due.isoformat(),
            "activity_id": held.activity,
        },
    )
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert (made["became_task"], made["responsible_id"]) == (True, held.ana)
    assert made["task"]["title"] == "Publicar el directorio de OSC"
    assert (made["task"]["status"], made["task"]["percent"]) == ("pending", 0)
    async with session_factory() as session:
        task = await session.get_one(Task, made["task"]["id"])
        assert task.activity_id == held.activity
        assert task.due_date == due
        assert task.responsible_ids == [held.ana]
        assert task.description.startswith("Acordado en la sesión «Taller de enfoque» del ")
        told = await session.scalar(
            select(Notification).where(
                Notification.person_id == held.ana, Notification.kind == "task_assigned"
            )
        )
        assert told is not None and "Publicar el directorio de OSC" in told.text
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "agreement.create")
        )
        assert event is not None
        assert (event.data["meeting_id"], event.data["task_id"]) == (held.meeting, task.id)

    listed = await http.get(f"{held.base}/{held.meeting}/agreements", headers=world.auth("viewer"))
    assert listed.status_code == 200
    assert [row["task"]["code"] for row in listed.json()] == [made["task"]["code"]]


async def test_an_agreement_updates_a_task_and_cites_the_session(
    http, world, held, session_factory
):
    due = held.day + timedelta(days=3)
    answer = await http.post(
        f"{held.base}/{held.meeting}/agreements",
        headers=world.auth("coordinator"),
        json={
            "text": "Ana se suma al directorio",
            "responsible_id": held.ana,
            "due_date": due.isoformat(),
            "task_id": held.task,
        },
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["became_task"], answer.json()["task"]["id"]) == (False, held.task)
    async with session_factory() as session:
        task = await session.get_one(Task, held.task)
        assert task.responsible_ids == [held.ana, held.beto]
        assert task.due_date == due
        first, cited = task.description.split("\n\n")
        assert first == "Reunir los contactos."
        assert cited.endswith(": Ana se suma al directorio")


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"text": "  "}, 422, "text cannot be empty"),
        ({"due_days": -1}, 422, "before the session's day"),
        ({"task_id": "task"}, 422, "one of the two"),
        ({"activity_id": None}, 422, "one of the two"),
        ({"responsible_id": "zoe"}, 404, "Person"),
        ({"responsible_id": "eva"}, 422, "erased their data"),
        ({"activity_id": "other_activity"}, 404, "Activity"),
        ({"activity_id": None, "task_id": "other_task"}, 404, "Task"),
        ({"meeting": "cancelled"}, 409, "was cancelled"),
        ({"meeting": "ahead"}, 409, "has not started yet"),
    ],
)
async def test_bad_agreements_are_refused_and_change_nothing(
    http, world, held, session_factory, change, status, words
):
    coordinator = {**world.auth("coordinator"), "Accept-Language": "en"}
    meeting = held.meeting
    if change.get("meeting"):
        made = await http.post(held.base, headers=coordinator, json=meeting_body([held.ana]))
        meeting = made.json()["id"]
        if change["meeting"] == "cancelled":
            async with session_factory() as session, session.begin():
                await session.execute(
                    update(Meeting)
                    .where(Meeting.id == meeting)
                    .values(cancelled_at=utcnow(), starts_at=utcnow() - timedelta(hours=1))
                )
    body = {
        "text": "Publicar el directorio",
        "responsible_id": held.ana,
        "due_date": (held.day + timedelta(days=change.get("due_days", 5))).isoformat(),
        "activity_id": held.activity,
    }
    for name in ("text", "responsible_id", "activity_id", "task_id"):
        if name in change:
            value = change[name]
            body[name] = (
                getattr(held, value) if isinstance(value, str) and name != "text" else value
            )
    before = await counts(session_factory)
    answer = await http.post(f"{held.base}/{meeting}/agreements", headers=coordinator, json=body)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["detail"]
    assert await counts(session_factory) == before


async def test_no_secretariat_reaches_anothers_agreements_or_minutes(http, world, held):
    national = world.auth("national_admin")
    other = f"/secretariats/{world.other}/meetings/{held.meeting}"
    assert (await http.get(f"{other}/agreements", headers=national)).status_code == 404
    assert (await http.get(f"{other}/minutes", headers=national)).status_code == 404
    upload = await http.put(
        f"{other}/minutes", headers=national, files={"file": ("acta.pdf", blank_pdf())}
    )
    assert upload.status_code == 404


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(output, "PNG")
    return output.getvalue()


async def minutes_sent(session_factory) -> list[tuple[int, Attachment]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(Notification.person_id, Notification.attachment)
            .where(Notification.kind == "meeting.minutes")
            .order_by(Notification.id)
        )
        return [(person_id, Attachment.of(attached)) for person_id, attached in rows]


async def test_minutes_reach_the_attendees_and_a_replacement_reaches_them_again(
    http, world, held, session_factory
):
    coordinator = world.auth("coordinator")
    path = f"{held.base}/{held.meeting}/minutes"
    assert (await http.get(path, headers=coordinator)).status_code == 404
    pdf = blank_pdf()
    first = await http.put(path, headers=coordinator, files={"file": ("acta.pdf", pdf)})
    assert first.status_code == 200, first.text
    assert (first.json()["edition"], first.json()["sent_to"]) == (1, 1)  # Ana; Eva is erased
    assert first.json()["mime_type"] == "application/pdf"
    downloaded = await http.get(path, headers=world.auth("viewer"))
    assert downloaded.status_code == 200
    assert downloaded.content == pdf
    assert 'filename="acta.pdf"' in downloaded.headers["content-disposition"]

    again = await http.put(path, headers=coordinator, files={"file": ("acta.pdf", pdf)})
    assert (again.json()["edition"], again.json()["sent_to"]) == (1, 0)
    markdown = b"# Acta\n\n- Acuerdo 1: publicar el directorio\n"
    replaced = await http.put(path, headers=coordinator, files={"file": ("acta.md", markdown)})
    assert (replaced.json()["edition"], replaced.json()["mime_type"]) == (2, "text/plain")
    assert (await http.get(path, headers=coordinator)).content == markdown

    sent = await minutes_sent(session_factory)
    assert [person for person, _ in sent] == [held.ana, held.ana]
    assert [(item.name, item.content) for _, item in sent] == [
        ("acta.pdf", pdf),
        ("acta.md", markdown),
    ]


@pytest.mark.parametrize(
    ("upload", "role", "status", "words"),
    [
        (("foto.pdf", png()), "coordinator", 422, "PDF, DOCX, ODT or text"),
        (("acta.pdf", b""), "coordinator", 422, "empty"),
        (("acta.pdf", blank_pdf()), "viewer", 403, ""),
    ],
)
async def test_bad_minutes_are_refused_and_change_nothing(
    http, world, held, session_factory, upload, role, status, words
):
    before = await counts(session_factory)
    answer = await http.put(
        f"{held.base}/{held.meeting}/minutes",
        headers={**world.auth(role), "Accept-Language": "en"},
        files={"file": upload},
    )
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert await counts(session_factory) == before


async def test_minutes_wait_for_the_session(http, world, held, session_factory):
    coordinator = world.auth("coordinator")
    ahead = (await http.post(held.base, headers=coordinator, json=meeting_body([held.ana]))).json()
    answer = await http.put(
        f"{held.base}/{ahead['id']}/minutes",
        headers=coordinator,
        files={"file": ("acta.pdf", blank_pdf())},
    )
    assert answer.status_code == 409
    assert await minutes_sent(session_factory) == []


async def test_erasing_someone_keeps_the_minutes_file_their_evidence_shared(
    http, world, held, session_factory
):
    """Files are stored once per content: a report's evidence with the same bytes as the
    minutes is emptied at erasure, the minutes' file stays."""
    pdf = blank_pdf()
    path = f"{held.base}/{held.meeting}/minutes"
    uploaded = await http.put(
        path, headers=world.auth("coordinator"), files={"file": ("a.pdf", pdf)}
    )
    assert uploaded.status_code == 200, uploaded.text
    async with session_factory() as session, session.begin():
        minutes = await session.scalar(select(Minutes))
        beto = await session.get_one(Person, held.beto)
        same = EvidenceItem(
            kind=EvidenceKind.DOCUMENT, sha256=minutes.sha256, stored_name=minutes.stored_name
        )
        await reports.submit_report(
            session, beto, held.task, status="in_progress", percent_done=10, evidence=[same]
        )
    async with session_factory() as session, session.begin():
        beto = await session.get_one(Person, held.beto)
        erasure = await privacy.erase_person(
            session, DefinitionCatalog("test"), beto, Actor.person(beto.id)
        )
    assert minutes.stored_name not in erasure.files
    assert (await http.get(path, headers=world.auth("viewer"))).content == pdf
