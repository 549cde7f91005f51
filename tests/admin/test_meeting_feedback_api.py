"""A session's survey through the API: which one follows it (its kind's, one chosen, one the
secretariat cannot send refused), sent by a coordinator only once it started and only once,
to those recorded present and to those recorded later, and read back on the session's page."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.worker import ReminderScheduler
from core.audit.actor import Actor
from core.chat import stored_definitions
from core.chat.definitions import DefinitionCatalog
from core.models import Campaign, Meeting, Notification, Role, utcnow
from core.people.people import create_person
from tests.admin.test_attendance_api import body as attendance_body
from tests.support.definitions import survey

EN = {"Accept-Language": "en"}


def body(person_ids: list[int], **fields) -> dict:
    """A workshop in ten minutes for those people, with ``fields`` changed."""
    return {**attendance_body(person_ids), **fields}


@pytest.fixture
async def people(session_factory, world) -> dict[str, int]:
    async with session_factory() as session, session.begin():
        made = {}
        for name, telegram_id in (("Ana", 701), ("Beto", 702), ("Luz", 703)):
            person = await create_person(
                session, world.own, "test", roles={Role.STAFF}, name=name, telegram_id=telegram_id
            )
            made[name.lower()] = person.id
        for owner, name in ((world.own, "propia"), (world.other, "ajena")):
            await stored_definitions.upload(
                session,
                owner,
                Actor.system(),
                DefinitionCatalog("test"),
                data=json.dumps(survey(name)).encode(),
                filename=f"{name}.json",
            )
        return made


async def started(session_factory, meeting_id: int, *, ended: bool) -> None:
    """Move the session back in time: under way, or over."""
    ago = timedelta(hours=2) if ended else timedelta(minutes=5)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(starts_at=utcnow() - ago)
        )


async def present(http, headers: dict, meeting: str, person_id: int) -> None:
    """The host marks the person present at the session at ``meeting`` (its path)."""
    marked = await http.put(
        f"{meeting}/attendance/{person_id}", headers=headers, json={"present": True}
    )
    assert marked.status_code == 200, marked.text


async def invitations(session_factory) -> list[int]:
    async with session_factory() as session:
        rows = await session.scalars(
            select(Notification.person_id)
            .where(Notification.kind == "campaign.invitation")
            .order_by(Notification.person_id)
        )
        return list(rows)


async def test_a_session_is_followed_by_its_kinds_survey_or_the_one_chosen(http, world, people):
    coordinator = {**world.auth("coordinator"), **EN}
    base = f"/secretariats/{world.own}/meetings"
    ana = [people["ana"]]
    workshop = (await http.post(base, headers=coordinator, json=body(ana))).json()
    assert (workshop["feedback_definition_id"], workshop["feedback_campaign_id"]) == (
        "workshop_feedback",
        None,
    )
    working = await http.post(base, headers=coordinator, json=body(ana, kind="working_session"))
    assert working.json()["feedback_definition_id"] == "workshop_feedback"
    interview = (
        await http.post(base, headers=coordinator, json=body(ana, kind="interview"))
    ).json()
    assert interview["feedback_definition_id"] is None
    chosen = await http.post(
        base,
        headers=coordinator,
        json=body(ana, kind="presentation", feedback_definition_id="propia"),
    )
    assert chosen.status_code == 201, chosen.text
    assert chosen.json()["feedback_definition_id"] == "propia"
    none = await http.post(base, headers=coordinator, json=body(ana, feedback_definition_id=None))
    assert none.json()["feedback_definition_id"] is None

    changed = await http.patch(
        f"{base}/{interview['id']}",
        headers=coordinator,
        json={"version": interview["version"], "feedback_definition_id": "workshop_feedback"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["feedback_definition_id"] == "workshop_feedback"
    listed = (await http.get(base, headers=coordinator)).json()["items"]
    assert [item["feedback_definition_id"] for item in listed] == [
        "workshop_feedback", "workshop_feedback", "workshop_feedback", "propia", None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "survey_id",
    ["no_such_survey", "ajena", "join", "has space"],
    ids=["unknown", "another secretariat's own", "the joining form", "not a name"],
)
async def test_a_survey_the_secretariat_cannot_send_is_refused(
    http, world, people, session_factory, survey_id
):
    coordinator = {**world.auth("coordinator"), **EN}
    base = f"/secretariats/{world.own}/meetings"
    refused = await http.post(
        base, headers=coordinator, json=body([people["ana"]], feedback_definition_id=survey_id)
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["detail"] == (
        f"There is no survey called {survey_id} that this secretariat can send."
    )
    created = (await http.post(base, headers=coordinator, json=body([people["ana"]]))).json()
    changed = await http.patch(
        f"{base}/{created['id']}",
        headers=coordinator,
        json={"version": created["version"], "feedback_definition_id": survey_id},
    )
    assert changed.status_code == 422, changed.text
    read = (await http.get(f"{base}/{created['id']}", headers=coordinator)).json()
    assert read["feedback_definition_id"] == "workshop_feedback"
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 1


async def test_the_survey_goes_once_to_those_present_and_to_those_marked_later(
    http, world, people, session_factory, settings
):
    coordinator = {**world.auth("coordinator"), **EN}
    base = f"/secretariats/{world.own}/meetings"
    invited = [people["ana"], people["beto"], people["luz"]]
    meeting = (await http.post(base, headers=coordinator, json=body(invited))).json()["id"]
    feedback = f"{base}/{meeting}/feedback"

    early = await http.post(feedback, headers=coordinator)
    assert early.status_code == 409, early.text
    assert "has not started" in early.json()["detail"]
    nothing = await http.get(feedback, headers=coordinator)
    assert nothing.status_code == 404
    assert "has not sent its survey" in nothing.json()["detail"]

    await started(session_factory, meeting, ended=False)
    nobody = await http.post(feedback, headers=coordinator)
    assert nobody.status_code == 409
    assert "Nobody was recorded present" in nobody.json()["detail"]
    await present(http, coordinator, f"{base}/{meeting}", people["ana"])

    sent = await http.post(feedback, headers=coordinator)
    assert sent.status_code == 201, sent.text
    campaign = sent.json()["campaign"]
    assert (campaign["state"], campaign["invited"], campaign["finished"]) == ("open", 1, 0)
    assert sent.json()["results"]["respondents"] == 0
    assert await invitations(session_factory) == [people["ana"]]
    again = await http.post(feedback, headers=coordinator)
    assert again.status_code == 409
    assert "already sent its survey" in again.json()["detail"]

    # Over now: the scheduler finds it sent, however often it runs.
    await started(session_factory, meeting, ended=True)
    for _ in range(2):
        await ReminderScheduler(session_factory, settings).run_once()
    await present(http, coordinator, f"{base}/{meeting}", people["beto"])
    assert await invitations(session_factory) == [people["ana"], people["beto"]]

    read = (await http.get(feedback, headers=coordinator)).json()
    assert read["campaign"]["id"] == campaign["id"]
    assert (read["campaign"]["invited"], read["campaign"]["finished"]) == (2, 0)
    assert read["results"]["title"] == "Workshop feedback"
    session_read = (await http.get(f"{base}/{meeting}", headers=coordinator)).json()
    assert session_read["feedback_campaign_id"] == campaign["id"]
    async with session_factory() as session:
        served = await session.scalars(select(Campaign.meeting_id))
        assert list(served) == [meeting]


async def test_the_scheduler_sends_it_once_the_session_ends_and_not_if_nobody_came(
    http, world, people, session_factory, settings
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/meetings"
    invited = [people["ana"], people["beto"]]
    attended = (await http.post(base, headers=coordinator, json=body(invited))).json()["id"]
    empty = (await http.post(base, headers=coordinator, json=body(invited))).json()["id"]
    await started(session_factory, attended, ended=False)
    await present(http, coordinator, f"{base}/{attended}", people["beto"])
    await ReminderScheduler(session_factory, settings).run_once()
    assert await invitations(session_factory) == []  # under way: not yet

    for meeting in (attended, empty):
        await started(session_factory, meeting, ended=True)
    for _ in range(2):
        await ReminderScheduler(session_factory, settings).run_once()
    assert await invitations(session_factory) == [people["beto"]]
    read = (await http.get(f"{base}/{empty}", headers=coordinator)).json()
    assert read["feedback_campaign_id"] is None
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Campaign)) == 1


async def test_a_session_no_survey_follows_sends_none(
    http, world, people, session_factory, settings
):
    coordinator = {**world.auth("coordinator"), **EN}
    base = f"/secretariats/{world.own}/meetings"
    created = await http.post(
        base, headers=coordinator, json=body([people["ana"]], kind="interview")
    )
    meeting = created.json()["id"]
    await started(session_factory, meeting, ended=False)
    await present(http, coordinator, f"{base}/{meeting}", people["ana"])
    refused = await http.post(f"{base}/{meeting}/feedback", headers=coordinator)
    assert refused.status_code == 409
    assert refused.json()["detail"] == f"No survey follows session {meeting}."
    await started(session_factory, meeting, ended=True)
    await ReminderScheduler(session_factory, settings).run_once()
    assert await invitations(session_factory) == []


async def test_two_workers_at_once_send_it_once(http, world, people, session_factory, settings):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/meetings"
    meeting = (await http.post(base, headers=coordinator, json=body([people["ana"]]))).json()["id"]
    await started(session_factory, meeting, ended=False)
    await present(http, coordinator, f"{base}/{meeting}", people["ana"])
    await started(session_factory, meeting, ended=True)
    workers = [ReminderScheduler(session_factory, settings) for _ in range(2)]
    await asyncio.gather(*(worker.run_once() for worker in workers))
    assert await invitations(session_factory) == [people["ana"]]
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Campaign)) == 1
