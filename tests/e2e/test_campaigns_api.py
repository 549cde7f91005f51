"""A coordinator runs a campaign through the admin API; people answer it (or not) in chat.

The admin API and the bot share one database: the API drafts and launches, the worker sends the
invitations and, on its clock, the reminders, and people answer through the emulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select, update

from bot.worker import ReminderScheduler
from core.models import (
    CampaignParticipant,
    Notification,
    NotificationState,
    Role,
    Sector,
    TokenRole,
    utcnow,
)
from tests.e2e.conftest import Chat, Clock, buttons, work
from tests.support import factories

MEXICO = ZoneInfo("America/Mexico_City")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Night:
    """Quiet hours set from six to eight hours after ``start``, whatever time the test runs:
    what happens now is outside them, and the clock can be moved into them."""

    start: datetime
    quiet_from: datetime
    quiet_until: datetime


@pytest.fixture
def night(chat: Chat) -> Night:
    start = utcnow()
    quiet_from = (start + timedelta(hours=6)).astimezone(MEXICO).replace(second=0, microsecond=0)
    quiet_until = quiet_from + timedelta(hours=2)
    chat.settings = chat.settings.model_copy(
        update={"quiet_hours_start": quiet_from.time(), "quiet_hours_end": quiet_until.time()}
    )
    return Night(start, quiet_from, quiet_until)


async def schedule(chat: Chat, clock: Clock) -> None:
    """What the worker writes at the clock's time, without sending it."""
    await ReminderScheduler(
        chat.session_factory, chat.settings, catalog=chat.catalog, clock=clock
    ).run_once()


@pytest.fixture
async def api(chat: Chat, night: Night) -> AsyncIterator[httpx.AsyncClient]:
    async with chat.admin_api() as client:
        yield client


async def notifications(chat: Chat, kind: str) -> list[Notification]:
    async with chat.session_factory() as session:
        found = await session.scalars(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id)
        )
        return list(found)


async def test_a_campaign_from_draft_to_results_with_reminders_only_for_those_waiting(
    chat, api, night
):
    async with chat.running():
        ana = await chat.join("Ana", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        beto = await chat.join("Beto", role=Role.CIVIL_SOCIETY, sector=Sector.MEDIA)
        carla = await chat.join("Carla")  # staff: not in the audience
    sid = await chat.secretariat()
    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{sid}/campaigns"
    # Late in the evening in Mexico, already the next day in UTC: people read their own day.
    last_day = (night.start + 10 * DAY).astimezone(MEXICO).date()
    closes_at = datetime.combine(last_day, time(23, 30), MEXICO)

    drafted = await api.post(
        base,
        headers=coordinator,
        json={
            "definition_id": "e2e_short",
            "audience": {"roles": ["civil_society"]},
            "closes_at": closes_at.isoformat(),
            "invitation_text": "Tu opinión cuenta.",
            "reminders": {"every_days": 2, "at_most": 3},
            "share_results": True,
        },
    )
    assert drafted.status_code == 201, drafted.text
    campaign = drafted.json()
    assert campaign["state"] == "draft" and campaign["title"]["es"] == "Pregunta corta"
    assert await notifications(chat, "campaign.invitation") == []  # a draft tells nobody

    launched = await api.post(
        f"{base}/{campaign['id']}/launch", headers=coordinator, json={"version": 1}
    )
    assert launched.status_code == 200, launched.text
    assert launched.json()["invited"] == 2
    assert launched.json()["invitations_from"] is not None  # now: outside quiet hours
    assert launched.json()["campaign"]["state"] == "open"

    async with chat.running():
        invitation = await ana.next_message()
        assert invitation["text"].startswith("Tu opinión cuenta.")
        assert "Pregunta corta" in invitation["text"]
        assert f"Abierta hasta el {last_day.day} de " in invitation["text"]
        assert buttons(invitation) == ["Empezar"]
        await beto.next_message()  # Beto is invited too, and never answers

        await ana.send("/encuestas")
        pending = await ana.next_message()
        assert buttons(pending)[0].startswith(f"Pregunta corta (hasta el {last_day.day} ")
        await ana.press(invitation, "Empezar")
        question = await ana.next_message()
        await ana.press(question, "1. Alfa")
        closing = await ana.next_message()
        assert "¡Gracias!" in closing["text"]
        later = closing["text"] + "".join(m["text"] for m in await ana.messages())
        assert "Cuando cierre la encuesta, recibirás" in later
    assert [m["text"] for m in await carla.messages() if "Pregunta corta" in m["text"]] == []

    seen = await api.get(f"{base}/{campaign['id']}/participation", headers=coordinator)
    assert seen.status_code == 200, seen.text
    participation = seen.json()
    assert participation["invited"] == 2 and participation["finished"] == 1
    assert participation["response_rate"] == 0.5
    assert [p["name"] for p in participation["not_finished"]] == ["Beto Pérez"]
    by_sector = {group["value"]: group for group in participation["by"]["sector"]}
    assert by_sector["academia"]["finished"] == 1 and by_sector["media"]["finished"] == 0

    # One reminder now, by hand, to those who have not finished, but nobody hears from the
    # campaign twice in a day: right after the invitation, it is refused.
    english = coordinator | {"Accept-Language": "en"}
    early = await api.post(f"{base}/{campaign['id']}/remind", headers=english)
    assert early.status_code == 409
    assert "heard from this campaign in the last 24 hours" in early.json()["detail"]
    async with chat.session_factory() as session, session.begin():
        await session.execute(
            update(CampaignParticipant).values(invited_at=night.start - 2 * DAY)
        )  # as if invited two days ago
    reminded = await api.post(f"{base}/{campaign['id']}/remind", headers=coordinator)
    assert reminded.status_code == 200 and reminded.json() == {"reminded": 1}
    again = await api.post(f"{base}/{campaign['id']}/remind", headers=english)
    assert again.status_code == 409
    await work(chat, Clock(night.start + timedelta(minutes=1)))
    reminder = (await beto.messages())[-1]
    assert "sigue esperando tus respuestas a «Pregunta corta»" in reminder["text"]
    assert buttons(reminder) == ["Empezar"]

    # The rule: every 2 days after the last one, at most three in all; only to Beto.
    assert await work(chat, Clock(night.start + DAY)) == 0
    assert await work(chat, Clock(night.start + 2 * DAY + timedelta(minutes=2))) == 1
    # In quiet hours the reminder waits for their end.
    await schedule(chat, Clock(night.quiet_from + 4 * DAY + timedelta(minutes=30)))
    waiting = (await notifications(chat, "campaign.reminder"))[-1]
    assert waiting.state == NotificationState.PENDING
    assert waiting.scheduled_at == night.quiet_until + 4 * DAY
    await schedule(chat, Clock(night.start + 7 * DAY))  # a fourth is over the rule's "at most"
    written = await notifications(chat, "campaign.reminder")
    assert len(written) == 3
    assert {n.person_id for n in written} == {(await chat.person(beto)).id}

    version = launched.json()["campaign"]["version"]
    closed = await api.post(
        f"{base}/{campaign['id']}/close", headers=coordinator, json={"version": version}
    )
    assert closed.json()["state"] == "closed"
    states = [n.state for n in await notifications(chat, "campaign.reminder")]
    assert states == [NotificationState.SENT, NotificationState.SENT, NotificationState.CANCELLED]
    await work(chat, Clock(night.start + 8 * DAY))
    shared = await notifications(chat, "campaign.results")
    assert [n.person_id for n in shared] == [(await chat.person(ana)).id]
    assert shared[0].state == NotificationState.SENT
    assert "Respondieron muy pocas personas" in shared[0].text  # 1 answer, under 5


async def test_refusals_write_nothing(chat, api, night):
    async with chat.running():
        await chat.join("Ana", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
    sid = await chat.secretariat()
    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    viewer = await chat.bearer(TokenRole.VIEWER)
    base = f"/secretariats/{sid}/campaigns"
    soon = (night.start + 3 * DAY).isoformat()
    english = coordinator | {"Accept-Language": "en"}

    async def refused(body: dict, headers: dict = english) -> tuple[int, str]:
        answer = await api.post(base, headers=headers, json=body)
        return answer.status_code, answer.json().get("detail", "")

    short = {"definition_id": "e2e_short"}
    assert await refused({"definition_id": "nothing_like_it"}) == (
        404,
        "There is no conversation called nothing_like_it.",
    )
    assert await refused(
        {**short, "opens_at": soon, "closes_at": (night.start + DAY).isoformat()}
    ) == (
        422,
        "The campaign must close after it opens.",
    )
    assert await refused({**short, "closes_at": (night.start - DAY).isoformat()}) == (
        422,
        "The closing date must be in the future.",
    )
    assert await refused({**short, "audience": {"sectors": ["media"]}}) == (
        422,
        "The audience reaches nobody registered in the bot.",
    )
    assert await refused({**short, "audience": {"all_secretariats": True}}) == (
        403,
        "Only the national team can reach other secretariats.",
    )
    status, _ = await refused(short, headers=viewer)
    assert status == 403
    spanish = await api.post(base, headers=coordinator, json={"definition_id": "nada"})
    assert spanish.json()["detail"] == "No existe ninguna conversación llamada nada."
    assert (await api.get(base, headers=coordinator)).json() == []

    # Another secretariat's campaign is not found.
    created = await api.post(base, headers=coordinator, json=short)
    national = await chat.bearer(TokenRole.NATIONAL_ADMIN)
    other = await api.post(
        "/secretariats", headers=national, json={"slug": "sesea-zac", "name": "SESEA Zacatecas",
                                                 "state": "Zacatecas"},
    )  # fmt: skip
    assert other.status_code == 201, other.text
    foreign = f"/secretariats/{other.json()['id']}/campaigns/{created.json()['id']}"
    assert (await api.get(foreign, headers=national)).status_code == 404


async def test_a_scheduled_national_campaign_opens_for_every_secretariat_and_latecomers(
    chat, api, night
):
    sid = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        zacatecas = (await factories.secretariat(session, "sesea-zac")).id
    async with chat.running():
        ana = await chat.join("Ana", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        zoe = await chat.join(
            "Zoe", role=Role.CIVIL_SOCIETY, sector=Sector.MEDIA, secretariat_id=zacatecas
        )
        await chat.join("Xavi", role=Role.STAFF, secretariat_id=zacatecas)  # not in the audience
    national = await chat.bearer(TokenRole.NATIONAL_ADMIN)
    drafted = await api.post(
        f"/secretariats/{sid}/campaigns",
        headers=national,
        json={
            "definition_id": "e2e_short",
            "audience": {"all_secretariats": True, "roles": ["civil_society"]},
            "opens_at": (night.start + DAY).isoformat(),
        },
    )
    assert drafted.status_code == 201, drafted.text
    campaign_id = drafted.json()["id"]
    launched = await api.post(
        f"/secretariats/{sid}/campaigns/{campaign_id}/launch", headers=national, json={"version": 1}
    )
    assert launched.json()["invited"] == 0 and launched.json()["campaign"]["state"] == "scheduled"

    await work(chat, Clock(night.start + DAY))  # it opens: Ana and Zoe are invited
    assert "Pregunta corta" in (await ana.messages())[-1]["text"]
    assert "Pregunta corta" in (await zoe.messages())[-1]["text"]
    async with chat.running():
        beto = await chat.join("Beto", role=Role.CIVIL_SOCIETY, sector=Sector.MEDIA)
    await work(
        chat, Clock(night.start + DAY + timedelta(minutes=1))
    )  # Beto joined later and matches: invited too
    assert "Pregunta corta" in (await beto.messages())[-1]["text"]
    await work(chat, Clock(night.start + DAY + timedelta(minutes=2)))  # nobody is invited twice
    assert len(await notifications(chat, "campaign.invitation")) == 3
    seen = await api.get(
        f"/secretariats/{sid}/campaigns/{campaign_id}/participation", headers=national
    )
    by_secretariat = {g["value"]: g["invited"] for g in seen.json()["by"]["secretariat"]}
    assert by_secretariat == {"sesea-ags": 2, "sesea-zac": 1}

    # Paused, it invites nobody; resumed, it invites whoever it missed.
    campaign = f"/secretariats/{sid}/campaigns/{campaign_id}"
    paused = await api.post(f"{campaign}/pause", headers=national, json={"version": 2})
    assert paused.json()["state"] == "paused"
    async with chat.running():
        carla = await chat.join("Carla", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
    await work(chat, Clock(night.start + DAY + timedelta(minutes=3)))
    assert len(await notifications(chat, "campaign.invitation")) == 3
    resumed = await api.post(f"{campaign}/resume", headers=national, json={"version": 3})
    assert resumed.json()["state"] == "scheduled"  # by the real clock, it opens tomorrow
    await work(chat, Clock(night.start + DAY + timedelta(minutes=4)))
    assert "Pregunta corta" in (await carla.messages())[-1]["text"]


async def test_someone_who_joins_an_open_campaign_is_invited_by_the_welcome(chat, api, night):
    async with chat.running():
        await chat.join("Ana", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
    sid = await chat.secretariat()
    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{sid}/campaigns"
    drafted = await api.post(
        base, headers=coordinator, json={"definition_id": "e2e_short", "audience": {}}
    )
    campaign_id = drafted.json()["id"]
    await api.post(f"{base}/{campaign_id}/launch", headers=coordinator, json={"version": 1})

    user = await chat.client.user("Dora", language_code="es")
    async with chat.running():
        await user.send(f"/start {await chat.invitation(Role.CIVIL_SOCIETY, Sector.MEDIA)}")
        await user.next_message()  # greeting
        consent = await user.next_message()
        await user.press(consent, consent["reply_markup"]["inline_keyboard"][0][0]["text"])
        await user.next_message()
        await user.send("Dora Díaz")
        await user.next_message()
        await user.send("Colectivo")
        await user.next_message()  # registered
        welcome = await user.next_message()
    assert "Tienes encuestas pendientes" in welcome["text"]
    await work(chat, Clock(night.start + timedelta(minutes=5)))  # no second invitation
    assert (await user.messages())[-1]["text"] == welcome["text"]
    seen = await api.get(f"{base}/{campaign_id}/participation", headers=coordinator)
    assert [p["name"] for p in seen.json()["not_finished"]] == ["Ana Pérez", "Dora Díaz"]
