"""The survey after a meeting: sent to those recorded present, and its figures read back.

Once a meeting that was not cancelled has ended, the worker's scheduler launches a campaign of
the survey that follows it (``surveys``) to the people recorded present, open for
``OPEN_FOR`` with one reminder; a coordinator may send it sooner, once the meeting has
started. Either way it is launched once: the ``meeting_feedback`` row, keyed by the meeting, is
written before anyone is invited, so a second launch (a second worker, a restart, a coordinator
at the same moment) is refused by the database and leaves nothing behind. Nobody present,
nothing sent. Someone recorded present later (the host marking them, a late check-in) is
invited too while it is open. A campaign that serves a meeting knows its date: a question
``known_as: meeting_date`` starts answered (``responses.start``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import localize
from core.audit import chain
from core.audit.actor import Actor
from core.chat import campaigns, participation, results
from core.chat.definitions import DefinitionCatalog
from core.chat.results import Breakdown
from core.errors import Conflict, DomainError, NotFound
from core.meetings.meetings import LONGEST, get_meeting
from core.models import Campaign, Meeting, MeetingFeedback, MeetingInvitee, Person
from core.notify.quiet_hours import QuietHours
from core.people.audience import Audience, reach
from i18n import LANGUAGES, N_, Language

log = logging.getLogger(__name__)

OPEN_FOR = timedelta(days=7)
REMIND_AFTER_DAYS = 3


async def attendees(session: AsyncSession, meeting: Meeting) -> list[Person]:
    """Those recorded present whom a survey can reach (in the bot, not erased), by id."""
    present = select(MeetingInvitee.person_id).where(
        MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.attended_at.is_not(None)
    )
    audience = _audience(meeting, set(await session.scalars(present)))
    return await reach(session, audience, meeting.secretariat_id) if audience.person_ids else []


def _audience(meeting: Meeting, person_ids: set[int]) -> Audience:
    """The people chosen, over the secretariats the meeting reached."""
    reached = Audience.of(meeting.audience)
    return Audience(
        person_ids=frozenset(person_ids),
        secretariat_ids=reached.secretariat_ids,
        all_secretariats=reached.all_secretariats,
    )


async def schedule_feedback(
    session: AsyncSession, now: datetime, quiet: QuietHours, catalog: DefinitionCatalog
) -> None:
    """Launch the survey of every meeting that has ended within ``OPEN_FOR`` and has not sent
    it, to those recorded present, in the caller's transaction."""
    sent = select(MeetingFeedback.meeting_id)
    ended = await session.scalars(
        select(Meeting)
        .where(
            Meeting.cancelled_at.is_(None),
            Meeting.feedback_definition_id.is_not(None),
            Meeting.starts_at <= now,
            Meeting.starts_at > now - OPEN_FOR - timedelta(minutes=LONGEST),
            Meeting.id.not_in(sent),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    for meeting in ended.all():
        if not now - OPEN_FOR < meeting.ends_at <= now:
            continue
        people = await attendees(session, meeting)
        if not people:
            continue
        try:
            await _launch(session, catalog, meeting, people, Actor.system(), now, quiet)
        except DomainError as refused:  # its survey withdrawn since: the others still go
            log.warning("the feedback of meeting %s was not sent: %s", meeting.id, refused)


async def send_now(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    meeting_id: int,
    *,
    catalog: DefinitionCatalog,
    now: datetime,
    quiet: QuietHours | None,
) -> Campaign:
    """Launch the meeting's survey now, to those recorded present so far, once it started."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    if meeting.cancelled_at is not None:
        raise Conflict(N_("Session {id} was cancelled; nobody attended."), id=meeting.id)
    if now < meeting.starts_at:
        raise Conflict(N_("Session {id} has not started; nobody attended yet."), id=meeting.id)
    if meeting.feedback_definition_id is None:
        raise Conflict(
            N_("No survey follows session {id}."),
            field="feedback_definition_id",
            id=meeting.id,
        )
    people = await attendees(session, meeting)
    if not people:
        raise Conflict(N_("Nobody was recorded present at session {id} yet."), id=meeting.id)
    campaign = await _launch(session, catalog, meeting, people, actor, now, quiet)
    if campaign is None:
        raise Conflict(N_("Session {id} already sent its survey."), id=meeting.id)
    return campaign


async def _launch(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    meeting: Meeting,
    people: list[Person],
    actor: Actor,
    now: datetime,
    quiet: QuietHours | None,
) -> Campaign | None:
    """Launch the campaign to ``people``; None if the meeting had launched one already."""
    if await session.get(MeetingFeedback, meeting.id) is not None:
        return None
    assert meeting.feedback_definition_id is not None
    located = await catalog.find(session, meeting.secretariat_id, meeting.feedback_definition_id)
    audience = _audience(meeting, {person.id for person in people})
    settings = campaigns.Settings(
        audience=audience,
        closes_at=max(meeting.ends_at, now) + OPEN_FOR,
        remind_every_days=REMIND_AFTER_DAYS,
        remind_at_most=1,
    )
    try:
        async with session.begin_nested():
            campaign = await campaigns.create(
                session, meeting.secretariat_id, actor, definition=located, settings=settings,
                national=audience.national,
            )  # fmt: skip
            campaign.meeting_id = meeting.id
            campaign.title = _title(campaign, meeting)
            session.add(
                MeetingFeedback(meeting_id=meeting.id, campaign_id=campaign.id, launched_at=now)
            )
            await session.flush()
            await chain.about(
                session,
                meeting,
                "meeting.feedback",
                actor,
                meeting.secretariat_id,
                data={"campaign_id": campaign.id},
            )
            await campaigns.launch(session, meeting.secretariat_id, actor, campaign.id, quiet=quiet)
    except IntegrityError:  # launched meanwhile by another transaction
        return None
    return campaign


def _title(campaign: Campaign, meeting: Meeting) -> dict[Language, str]:
    """The survey's title naming the session, in every language: the invitation shows it
    within quotes, so the session's title goes bare."""
    return {
        language: f"{localize(campaign.title, language)}: {meeting.title}" for language in LANGUAGES
    }


async def invite_late(
    session: AsyncSession, meeting: Meeting, person_id: int, actor: Actor, now: datetime
) -> None:
    """Invite someone recorded present after the meeting's survey was launched, while it is
    open."""
    sent = await session.get(MeetingFeedback, meeting.id)
    if sent is None:
        return
    campaign = await session.get_one(Campaign, sent.campaign_id)
    person = await session.get_one(Person, person_id)
    if campaigns.is_open(campaign, now) and person.erased_at is None and person.telegram_id:
        await campaigns.admit(session, actor, campaign, person, now, None)


async def read_feedback(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    meeting_id: int,
    *,
    language: str,
    by: Breakdown | None = None,
    min_group: int = 1,
) -> dict[str, Any]:
    """The meeting's survey campaign (state, invited, finished) and its figures, small groups
    suppressed as every results view does."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    sent = await session.get(MeetingFeedback, meeting.id)
    if sent is None:
        raise NotFound(N_("Session {id} has not sent its survey."), id=meeting.id)
    counts = await participation.participation(session, secretariat_id, sent.campaign_id)
    figures = await results.campaign_results(
        session, secretariat_id, catalog, sent.campaign_id,
        language=language, by=by, min_group=min_group,
    )  # fmt: skip
    return {
        "meeting_id": meeting.id,
        "campaign": {
            "id": sent.campaign_id,
            "state": counts["state"],
            "launched_at": sent.launched_at,
            "invited": counts["invited"],
            "finished": counts["finished"],
        },
        "results": figures,
    }
