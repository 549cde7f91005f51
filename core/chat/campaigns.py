"""Campaigns, minimum: make a definition pending for an audience and invite it by message.

The audience is a rule (roles, sectors, chosen people; all empty means everyone in the
secretariat), so someone who joins later and matches it finds the definition pending too.
The invitation messages go through the outbox, written in the launch's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import Definition, localize
from core.audit import chain
from core.audit.actor import Actor
from core.buttons import StartCampaignButton
from core.chat.finished import Finished
from core.errors import InvalidInput, NotFound
from core.models import Campaign, CampaignParticipant, Person, Role, Secretariat, Sector, utcnow
from core.notify import outbox
from i18n import N_, gettext

if TYPE_CHECKING:  # the catalog reads people through joining, which launches through here
    from core.chat.definitions import Located


@dataclass(frozen=True)
class Audience:
    roles: frozenset[Role] = frozenset()
    sectors: frozenset[Sector] = frozenset()
    person_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, data: dict[str, Any]) -> Audience:
        return cls(
            frozenset(Role(role) for role in data.get("roles", ())),
            frozenset(Sector(sector) for sector in data.get("sectors", ())),
            frozenset(int(person_id) for person_id in data.get("person_ids", ())),
        )

    def as_json(self) -> dict[str, list[Any]]:
        return {
            "roles": sorted(str(role) for role in self.roles),
            "sectors": sorted(str(sector) for sector in self.sectors),
            "person_ids": sorted(self.person_ids),
        }

    def includes(self, person: Person) -> bool:
        if not (self.roles or self.sectors or self.person_ids):
            return True
        return (
            bool(self.roles & person.roles)
            or (person.sector is not None and person.sector in self.sectors)
            or person.id in self.person_ids
        )


async def launch(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    definition: Located,
    audience: Audience,
    closes_at: datetime | None = None,
) -> tuple[Campaign, list[Person]]:
    """Create the campaign of a definition found in the catalog (``DefinitionCatalog.find``) and
    an invitation message for everyone it reaches now."""
    definition_id = definition.definition.id
    if closes_at is not None and closes_at <= utcnow():
        raise InvalidInput(N_("The closing date must be in the future."), field="closes_at")
    campaign = Campaign(
        secretariat_id=secretariat_id,
        definition_id=definition_id,
        definition_owner_id=definition.owner_id,
        audience=audience.as_json(),
        closes_at=closes_at,
    )
    session.add(campaign)
    await session.flush()
    people = [
        person
        for person in await session.scalars(
            select(Person).where(
                Person.secretariat_id == secretariat_id,
                Person.erased_at.is_(None),
                Person.telegram_id.is_not(None),
            )
        )
        if audience.includes(person)
    ]
    if audience.person_ids - {person.id for person in people}:
        missing = sorted(audience.person_ids - {person.id for person in people})
        raise NotFound(
            N_("These people are not registered in the bot: {ids}."),
            ids=", ".join(map(str, missing)),
        )
    secretariat = await session.get(Secretariat, secretariat_id)
    now = utcnow()
    for person in people:
        session.add(
            CampaignParticipant(campaign_id=campaign.id, person_id=person.id, invited_at=now)
        )
        await outbox.enqueue(
            session,
            person=person,
            kind="campaign.invitation",
            key=f"campaign:{campaign.id}:invite:{person.id}",
            text=invitation_text(person.language, secretariat, definition.definition),
            markup=start_button(person.language, campaign.id),
            subject_type="campaign",
            subject_id=campaign.id,
        )
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="campaign.launch",
        entity_type="campaign",
        entity_id=campaign.id,
        secretariat_id=secretariat_id,
        data={
            "definition_id": definition_id,
            "definition_owner_id": definition.owner_id,
            "audience": audience.as_json(),
            "people": len(people),
        },
    )
    return campaign, people


def invitation_text(language: str, secretariat: Secretariat | None, definition: Definition) -> str:
    return gettext(
        language,
        "{secretariat} invites you to answer “{title}”. Tap the button to start, "
        "or find it later in /encuestas.",
        secretariat=secretariat.name if secretariat else "",
        title=localize(definition.title, language),
    )


def start_button(language: str, campaign_id: int) -> dict[str, Any]:
    """An inline keyboard, as the Bot API takes it, with the button that starts the campaign."""
    data = StartCampaignButton(campaign_id).pack()
    button = {"text": gettext(language, "Start"), "callback_data": data}
    return {"inline_keyboard": [[button]]}


def is_open(campaign: Campaign, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return campaign.closed_at is None and (campaign.closes_at is None or campaign.closes_at > now)


async def pending_for(session: AsyncSession, person: Person) -> list[Campaign]:
    """Open campaigns that reach the person and that they have not completed."""
    completed = select(CampaignParticipant.campaign_id).where(
        CampaignParticipant.person_id == person.id,
        CampaignParticipant.completed_at.is_not(None),
    )
    campaigns = await session.scalars(
        select(Campaign)
        .where(Campaign.secretariat_id == person.secretariat_id, Campaign.id.not_in(completed))
        .order_by(Campaign.id)
    )
    return [c for c in campaigns if is_open(c) and Audience.of(c.audience).includes(person)]


async def mark_completed(
    session: AsyncSession, campaign_id: int, person_id: int, when: datetime
) -> None:
    participant = await session.get(CampaignParticipant, (campaign_id, person_id))
    if participant is None:
        participant = CampaignParticipant(campaign_id=campaign_id, person_id=person_id)
        session.add(participant)
    participant.completed_at = when


@dataclass(frozen=True)
class SurveyCompleted:
    """A survey answered to the end (its campaign already marked): do others wait for them?"""

    more_waiting: bool


async def settle(session: AsyncSession, finished: Finished) -> SurveyCompleted | None:
    """What a completed survey leaves to say: whether more surveys wait for its respondent."""
    if finished.person is None:
        return None
    return SurveyCompleted(bool(await pending_for(session, finished.person)))


async def list_campaigns(session: AsyncSession, secretariat_id: int) -> list[Campaign]:
    return list(
        await session.scalars(
            select(Campaign).where(Campaign.secretariat_id == secretariat_id).order_by(Campaign.id)
        )
    )
