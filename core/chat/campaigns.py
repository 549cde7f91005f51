"""Campaigns: a definition made pending for an audience, from draft to closing.

A campaign is created as a draft, then launched: from its opening (at launch, or a date-time
set ahead) everyone its audience reaches is invited by message, and so is anyone who joins
later and matches it, until it closes. It can be paused (nobody new is invited or reminded and
nobody starts it) and resumed. The audience is a rule (roles, sectors, chosen people; all empty
means everyone), over the campaign's own secretariat or, for the national team, over several
or all of them. Every message goes through the outbox, written in the transaction of the change
that decides it; the clock that opens, reminds and closes is ``campaign_clock``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from conversations.definition import Definition, localize
from core.audit import chain
from core.audit.actor import Actor
from core.buttons import StartCampaignButton
from core.chat.finished import Finished
from core.errors import Conflict, InvalidInput
from core.infra.lookup import of_secretariat
from core.models import (
    Campaign,
    CampaignParticipant,
    CampaignState,
    ParticipantState,
    Person,
    Role,
    Secretariat,
    utcnow,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.notify.reminders import long_date
from core.people.audience import Audience, check, permit, reach
from core.people.people import local_date
from i18n import N_, gettext

if TYPE_CHECKING:  # the catalog reads people through joining, which launches through here
    from core.chat.definitions import Located

# What a participant's state may still become: those not yet finished or declined are waiting.
WAITING = (ParticipantState.INVITED, ParticipantState.STARTED)
INVITATION = "campaign.invitation"
REMINDER = "campaign.reminder"


def is_open(campaign: Campaign, now: datetime | None = None) -> bool:
    return campaign.state_at(now or utcnow()) == CampaignState.OPEN


# Reading ----------------------------------------------------------------------------------


async def get_campaign(session: AsyncSession, secretariat_id: int, campaign_id: int) -> Campaign:
    return await of_secretariat(
        session, Campaign, secretariat_id, campaign_id, N_("Campaign {id} not found.")
    )


async def list_campaigns(session: AsyncSession, secretariat_id: int) -> list[Campaign]:
    return list(
        await session.scalars(
            select(Campaign).where(Campaign.secretariat_id == secretariat_id).order_by(Campaign.id)
        )
    )


async def by_secretariat(
    session: AsyncSession, secretariat_id: int | None
) -> list[tuple[Secretariat, list[Campaign]]]:
    """Each secretariat's campaigns, oldest first: one secretariat's, or with None every one's."""
    reachable = select(Secretariat).order_by(Secretariat.name, Secretariat.id)
    owned = select(Campaign).order_by(Campaign.id)
    if secretariat_id is not None:
        reachable = reachable.where(Secretariat.id == secretariat_id)
        owned = owned.where(Campaign.secretariat_id == secretariat_id)
    listed = list(await session.scalars(reachable))
    found: dict[int, list[Campaign]] = {sec.id: [] for sec in listed}
    for campaign in await session.scalars(owned):
        found[campaign.secretariat_id].append(campaign)
    return [(sec, found[sec.id]) for sec in listed]


async def reached(session: AsyncSession, campaign: Campaign) -> list[Person]:
    """Everyone the campaign's audience reaches now (registered in the bot, not erased)."""
    return await reach(session, Audience.of(campaign.audience), campaign.secretariat_id)


# Changing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What a coordinator sets for a campaign (all but its definition)."""

    audience: Audience = field(default_factory=Audience)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    invitation_text: str | None = None
    remind_every_days: int | None = None
    remind_at_most: int = 0
    share_results: bool = False


async def create(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    definition: Located,
    settings: Settings,
    national: bool = False,
    reach_now: bool = True,
) -> Campaign:
    """A draft campaign of a definition found in the catalog (``DefinitionCatalog.find``):
    nobody hears of it until it is launched. With ``reach_now``, an audience that reaches
    nobody registered yet is refused."""
    campaign = Campaign(
        secretariat_id=secretariat_id,
        definition_id=definition.definition.id,
        definition_owner_id=definition.owner_id,
        definition_version=definition.definition.version,
        title=definition.definition.title,
    )
    _apply(campaign, _meant_for(settings, definition.definition), national=national)
    session.add(campaign)
    return await _settled(session, actor, campaign, "campaign.create", reach_now=reach_now)


async def change(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    campaign_id: int,
    *,
    expected_version: int,
    settings: Settings,
    national: bool = False,
) -> Campaign:
    """Change what a campaign that has not closed sets. Once launched, its audience only
    grows (nobody already invited is taken back)."""
    campaign = await _editable(session, secretariat_id, campaign_id, expected_version)
    _apply(campaign, settings, national=national)
    return await _settled(session, actor, campaign, "campaign.change")


async def _settled(
    session: AsyncSession, actor: Actor, campaign: Campaign, action: str, *, reach_now: bool = True
) -> Campaign:
    """The campaign with the settings just applied written and recorded, once its audience is
    checked."""
    await session.flush()
    await _check_audience(session, campaign, reach_now=reach_now)
    await record(session, actor, campaign, action, settings=_settings_json(campaign))
    return campaign


async def launch(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    campaign_id: int,
    *,
    expected_version: int | None = None,
    quiet: QuietHours | None = None,
    reach_now: bool = True,
) -> list[Person]:
    """Launch a draft: if it opens now, everyone reached is invited in this transaction."""
    campaign = await _current(session, secretariat_id, campaign_id, expected_version)
    if campaign.launched_at is not None:
        raise Conflict(N_("This campaign was already launched."))
    now = utcnow()
    if campaign.closes_at is not None and campaign.closes_at <= now:
        raise InvalidInput(N_("The closing date must be in the future."), field="closes_at")
    people = await _check_audience(session, campaign, reach_now=reach_now)
    campaign.launched_at = now
    invited = await invite(session, campaign, people, now, quiet) if is_open(campaign, now) else []
    await record(session, actor, campaign, "campaign.launch", people=len(invited))
    return invited


async def start_now(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    definition: Located,
    settings: Settings,
    reach_now: bool = True,
) -> tuple[Campaign, list[Person]]:
    """Create a campaign and launch it at once (the command line, the demo, where people
    may join only later: ``reach_now`` False)."""
    campaign = await create(
        session, secretariat_id, actor, definition=definition, settings=settings,
        reach_now=reach_now,
    )  # fmt: skip
    people = await launch(session, secretariat_id, actor, campaign.id, reach_now=reach_now)
    return campaign, people


Make = Callable[[AsyncSession, Campaign, datetime], Awaitable[None]]


@dataclass(frozen=True)
class Move:
    """A change in a launched campaign's course: when it may be made, and what it does."""

    action: str
    allowed: Callable[[Campaign], bool]
    refusal: str
    make: Make


async def move(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    campaign_id: int,
    step: Move,
    *,
    expected_version: int | None = None,
) -> Campaign:
    """Make ``step`` on the campaign, still at the version its caller read, where it may be."""
    campaign = await _current(session, secretariat_id, campaign_id, expected_version)
    if not step.allowed(campaign):
        raise Conflict(step.refusal)
    await step.make(session, campaign, utcnow())
    await record(session, actor, campaign, step.action)
    return campaign


async def end(session: AsyncSession, campaign: Campaign, now: datetime) -> None:
    """Close the campaign: invitations and reminders not sent yet are cancelled."""
    campaign.closed_at = now
    await outbox.withdraw(session, kinds=(INVITATION, REMINDER), about=campaign)


def _dates(field: InstrumentedAttribute[datetime | None], *, cleared: bool = False) -> Make:
    """A move that only sets the campaign's ``field`` to when it is made, or clears it."""

    async def make(session: AsyncSession, campaign: Campaign, now: datetime) -> None:
        setattr(campaign, field.key, None if cleared else now)

    return make


PAUSE = Move(
    "campaign.pause",
    lambda campaign: campaign.state in (CampaignState.OPEN, CampaignState.SCHEDULED),
    N_("Only a launched campaign that has not closed can be paused."),
    _dates(Campaign.paused_at),
)
RESUME = Move(
    "campaign.resume",
    lambda campaign: campaign.state == CampaignState.PAUSED,
    N_("Only a paused campaign can be resumed."),
    _dates(Campaign.paused_at, cleared=True),
)
CLOSE = Move(
    "campaign.close",
    lambda campaign: campaign.closed_at is None,
    N_("This campaign is already closed."),
    end,
)


# Only final figures are published: a closed campaign's tallies change only by erasure, which
# the audit chain records, so the public pages kept by it stay true.
PUBLISH_RESULTS = Move(
    "campaign.publish_results",
    lambda campaign: (
        campaign.state == CampaignState.CLOSED and campaign.results_published_at is None
    ),
    N_("Only the results of a closed campaign can be published, and only once."),
    _dates(Campaign.results_published_at),
)
WITHDRAW_RESULTS = Move(
    "campaign.withdraw_results",
    lambda campaign: campaign.results_published_at is not None,
    N_("This campaign's results are not published."),
    _dates(Campaign.results_published_at, cleared=True),
)


def _meant_for(settings: Settings, definition: Definition) -> Settings:
    """An audience that names nobody reaches the roles the definition is meant for (the staff
    diagnostic, staff), else everyone."""
    audience = settings.audience
    if audience.roles or audience.person_ids or not definition.intended_for:
        return settings
    roles = frozenset(Role(role) for role in definition.intended_for)
    return replace(settings, audience=replace(audience, roles=roles))


def _apply(campaign: Campaign, settings: Settings, *, national: bool) -> None:
    permit(settings.audience, national=national)
    if (
        settings.opens_at is not None
        and settings.closes_at is not None
        and settings.closes_at <= settings.opens_at
    ):
        raise InvalidInput(N_("The campaign must close after it opens."), field="closes_at")
    if settings.closes_at is not None and settings.closes_at <= utcnow():
        raise InvalidInput(N_("The closing date must be in the future."), field="closes_at")
    if (settings.remind_every_days is None) != (settings.remind_at_most == 0):
        raise InvalidInput(
            N_("Reminders need both how often (every_days) and how many (at_most)."),
            field="reminders",
        )
    if campaign.launched_at is not None:
        old = Audience.of(campaign.audience)
        new = settings.audience
        if old != new and not _widens(old, new):
            raise Conflict(
                N_("A launched campaign's audience can only grow: nobody invited is taken back.")
            )
        if settings.opens_at != campaign.opens_at and campaign.state != CampaignState.SCHEDULED:
            raise Conflict(N_("Only a campaign that has not opened yet can move its opening."))
    campaign.audience = settings.audience.as_json()
    campaign.opens_at = settings.opens_at
    campaign.closes_at = settings.closes_at
    campaign.invitation_text = settings.invitation_text
    campaign.remind_every_days = settings.remind_every_days
    campaign.remind_at_most = settings.remind_at_most
    campaign.share_results = settings.share_results


def _widens(old: Audience, new: Audience) -> bool:
    """Whether ``new`` reaches everyone ``old`` did (a rule with more alternatives)."""
    if not (old.roles or old.sectors or old.person_ids):
        everyone = not (new.roles or new.sectors or new.person_ids)
    else:
        everyone = not (new.roles or new.sectors or new.person_ids) or (
            old.roles <= new.roles
            and old.sectors <= new.sectors
            and old.person_ids <= new.person_ids
        )
    if old.all_secretariats:
        return everyone and new.all_secretariats
    return everyone and (new.all_secretariats or old.secretariat_ids <= new.secretariat_ids)


async def _editable(
    session: AsyncSession, secretariat_id: int, campaign_id: int, expected_version: int
) -> Campaign:
    campaign = await _current(session, secretariat_id, campaign_id, expected_version)
    if campaign.state == CampaignState.CLOSED:
        raise Conflict(N_("A closed campaign cannot change."))
    return campaign


async def _current(
    session: AsyncSession, secretariat_id: int, campaign_id: int, expected_version: int | None
) -> Campaign:
    """The campaign, if it is still at the version its caller read (when one is given)."""
    campaign = await get_campaign(session, secretariat_id, campaign_id)
    if expected_version is not None and campaign.version != expected_version:
        raise Conflict(
            N_("Campaign {id} changed since you read it (version {version})."),
            id=campaign.id,
            version=campaign.version,
        )
    return campaign


async def _check_audience(
    session: AsyncSession, campaign: Campaign, *, reach_now: bool = True
) -> list[Person]:
    rule = Audience.of(campaign.audience)
    return await check(session, rule, campaign.secretariat_id, reach_now=reach_now)


def _settings_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "definition_id": campaign.definition_id,
        "definition_owner_id": campaign.definition_owner_id,
        "definition_version": campaign.definition_version,
        "audience": campaign.audience,
        "opens_at": campaign.opens_at.isoformat() if campaign.opens_at else None,
        "closes_at": campaign.closes_at.isoformat() if campaign.closes_at else None,
        "remind_every_days": campaign.remind_every_days,
        "remind_at_most": campaign.remind_at_most,
        "share_results": campaign.share_results,
    }


async def record(
    session: AsyncSession, actor: Actor, campaign: Campaign, action: str, **data: Any
) -> None:
    """Record ``action`` done to ``campaign``, with ``data``."""
    await chain.about(session, campaign, action, actor, campaign.secretariat_id, data=data)


# Invitations ------------------------------------------------------------------------------


async def invite(
    session: AsyncSession,
    campaign: Campaign,
    people: Iterable[Person],
    now: datetime,
    quiet: QuietHours | None,
) -> list[Person]:
    """Invite those of ``people`` not invited yet: a participant row and a message each."""
    known = set(
        await session.scalars(
            select(CampaignParticipant.person_id).where(
                CampaignParticipant.campaign_id == campaign.id
            )
        )
    )
    newcomers = [person for person in people if person.id not in known]
    if not newcomers:
        return []
    secretariat = await session.get(Secretariat, campaign.secretariat_id)
    for person in newcomers:
        session.add(
            CampaignParticipant(campaign_id=campaign.id, person_id=person.id, invited_at=now)
        )
        await outbox.enqueue(
            session,
            person=person,
            kind=INVITATION,
            key=f"campaign:{campaign.id}:invite:{person.id}",
            text=invitation_text(person, secretariat, campaign),
            markup=start_button(person.language, campaign.id),
            scheduled_at=quiet.next_send_time(now, person.time_zone) if quiet else now,
            about=campaign,
        )
    await session.flush()
    return newcomers


async def admit(
    session: AsyncSession,
    actor: Actor,
    campaign: Campaign,
    person: Person,
    now: datetime,
    quiet: QuietHours | None,
) -> list[Person]:
    """Add ``person`` to the people a launched campaign chose, and invite them: someone found
    to belong after it was launched (a session's late attendee)."""
    audience = Audience.of(campaign.audience)
    campaign.audience = replace(audience, person_ids=audience.person_ids | {person.id}).as_json()
    invited = await invite(session, campaign, [person], now, quiet)
    if invited:
        await record(session, actor, campaign, "campaign.admit", person_id=person.id)
    return invited


def invitation_text(person: Person, secretariat: Secretariat | None, campaign: Campaign) -> str:
    return campaign_message(
        person,
        secretariat,
        campaign,
        N_(
            "{secretariat} invites you to answer “{title}”. Tap the button to start, "
            "or find it later in /encuestas."
        ),
        preamble=campaign.invitation_text,
    )


def campaign_message(
    person: Person,
    secretariat: Secretariat | None,
    campaign: Campaign,
    message: str,
    *,
    preamble: str | None = None,
) -> str:
    """``message`` in the person's language, naming the secretariat and the campaign's title,
    after ``preamble`` if there is one, and followed by until when the campaign is open."""
    language = person.language
    lines = [preamble] if preamble else []
    lines.append(
        gettext(
            language,
            message,
            secretariat=secretariat.name if secretariat else "",
            title=localize(campaign.title, language) or campaign.definition_id,
        )
    )
    if campaign.closes_at is not None:
        lines.append(closing_line(person, campaign.closes_at))
    return "\n\n".join(lines)


def closing_line(person: Person, closes_at: datetime) -> str:
    """Until when a campaign is open, on the person's calendar."""
    day = local_date(person, closes_at)
    return gettext(person.language, N_("Open until {date}."), date=long_date(day, person.language))


def start_button(language: str, campaign_id: int) -> dict[str, Any]:
    """An inline keyboard, as the Bot API takes it, with the button that starts the campaign."""
    return StartCampaignButton(campaign_id).keyboard(gettext(language, "Start"))


# In chat ----------------------------------------------------------------------------------


async def pending_for(session: AsyncSession, person: Person) -> list[Campaign]:
    """Open campaigns that reach the person and that they have neither finished nor declined."""
    done = select(CampaignParticipant.campaign_id).where(
        CampaignParticipant.person_id == person.id,
        CampaignParticipant.state.not_in(WAITING),
    )
    campaigns = await session.scalars(
        select(Campaign)
        .where(
            Campaign.launched_at.is_not(None),
            Campaign.closed_at.is_(None),
            Campaign.id.not_in(done),
        )
        .order_by(Campaign.id)
    )
    now = utcnow()
    return [
        campaign
        for campaign in campaigns
        if is_open(campaign, now)
        and Audience.of(campaign.audience).includes(person, campaign.secretariat_id)
    ]


async def welcome(session: AsyncSession, person: Person) -> list[Campaign]:
    """The open campaigns that reach someone who has just joined. Their welcome points them to
    /encuestas, which is their invitation: they are recorded as invited, and no invitation
    message follows (the reminders of each campaign do)."""
    pending = await pending_for(session, person)
    now = utcnow()
    for campaign in pending:
        session.add(
            CampaignParticipant(campaign_id=campaign.id, person_id=person.id, invited_at=now)
        )
    await session.flush()
    return pending


async def started(session: AsyncSession, campaign_id: int, person_id: int) -> None:
    participant = await _participant(session, campaign_id, person_id)
    if participant.state == ParticipantState.INVITED:
        participant.state = ParticipantState.STARTED


async def mark_ended(
    session: AsyncSession,
    campaign_id: int,
    person_id: int,
    state: ParticipantState,
    when: datetime,
) -> None:
    """Someone finished or declined: only the day is kept, and no reminder waits for them."""
    participant = await _participant(session, campaign_id, person_id)
    participant.state = state
    if state == ParticipantState.FINISHED:
        participant.finished_on = when.date()
    campaign = await session.get_one(Campaign, campaign_id)
    await outbox.withdraw(session, kinds=(REMINDER,), about=campaign, person_id=person_id)


async def _participant(
    session: AsyncSession, campaign_id: int, person_id: int
) -> CampaignParticipant:
    participant = await session.get(CampaignParticipant, (campaign_id, person_id))
    if participant is None:
        participant = CampaignParticipant(campaign_id=campaign_id, person_id=person_id)
        session.add(participant)
    return participant


@dataclass(frozen=True)
class SurveyCompleted:
    """A survey answered to the end (its campaign already marked): do others wait for them,
    and will they hear the results?"""

    more_waiting: bool
    results_later: bool = False


async def settle(session: AsyncSession, finished: Finished) -> SurveyCompleted | None:
    """What a completed survey leaves to say: whether more surveys wait for its respondent."""
    if finished.person is None:
        return None
    campaign_id = finished.response.campaign_id
    campaign = await session.get(Campaign, campaign_id) if campaign_id else None
    return SurveyCompleted(
        bool(await pending_for(session, finished.person)),
        results_later=campaign is not None and campaign.share_results,
    )
