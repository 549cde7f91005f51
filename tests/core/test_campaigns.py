"""Campaigns reach their audience, now and later; completion and erasure are recorded."""

from __future__ import annotations

from sqlalchemy import func, select

from core.chat import campaigns, responses
from core.chat.definitions import DefinitionCatalog
from core.models import Notification, ParticipantState, Role, Sector
from core.people import privacy
from core.people.people import create_person
from tests.support import factories


async def person(session, secretariat_id, name, roles, sector=None, telegram_id=None):
    return await create_person(
        session,
        secretariat_id,
        "test",
        roles=roles,
        name=name,
        sector=sector,
        telegram_id=telegram_id,
    )


async def test_audience_invitations_pending_and_completion(session):
    catalog = DefinitionCatalog("2026-01")
    secretariat = await factories.secretariat(session)
    sid = secretariat.id
    ana = await person(session, sid, "Ana", {Role.STAFF}, telegram_id=1)
    eva = await person(session, sid, "Eva", {Role.CIVIL_SOCIETY}, Sector.MEDIA, telegram_id=2)
    unreachable = await person(session, sid, "Sin Telegram", {Role.STAFF})
    campaign, reached = await campaigns.start_now(
        session,
        sid,
        "test",
        definition=await catalog.find(session, sid, "workshop_feedback"),
        settings=campaigns.Settings(audience=campaigns.Audience(sectors=frozenset({Sector.MEDIA}))),
    )
    assert [p.name for p in reached] == ["Eva"]
    assert await session.scalar(select(func.count()).select_from(Notification)) == 1
    assert [c.id for c in await campaigns.pending_for(session, eva)] == [campaign.id]
    assert await campaigns.pending_for(session, ana) == []
    assert unreachable.telegram_id is None

    # Someone who joins later and matches the audience finds it pending too.
    late = await person(session, sid, "Tomás", {Role.CIVIL_SOCIETY}, Sector.MEDIA, telegram_id=3)
    assert [c.id for c in await campaigns.pending_for(session, late)] == [campaign.id]

    response = await responses.start(
        session, catalog, "workshop_feedback", "es", secretariat_id=sid, person=eva,
        campaign_id=campaign.id,
    )  # fmt: skip
    await campaigns.mark_ended(
        session, campaign.id, eva.id, ParticipantState.FINISHED, response.created_at
    )
    assert await campaigns.pending_for(session, eva) == []

    await privacy.erase_person(session, catalog, eva, "person:test")
    assert eva.name is None and eva.telegram_id is None and eva.erased_at is not None
    assert (await privacy.personal_data(session, eva)).completed_answers == 0
