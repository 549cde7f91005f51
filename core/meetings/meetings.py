"""Meetings: scheduled, listed, changed and cancelled within the secretariat that holds them,
each step telling its invitees through the outbox in the same transaction.

The audience is a rule resolved into invitees at creation and at every change: whoever it
reaches then and was not invited yet is invited; nobody invited is taken back (a person told of
a session hears of its changes and its cancellation). A change of when or where is a new
``sequence``, announced to every invitee with the updated calendar file; a cancellation too.
A meeting that has started, or was cancelled, no longer changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.chat import campaigns
from core.errors import Conflict, InvalidInput
from core.infra import listing
from core.infra.lookup import of_secretariat
from core.infra.values import at_most, one_of, text
from core.meetings import messages
from core.meetings.calendar import calendar_file
from core.meetings.surveys import BY_KIND, ByKind, vet_survey
from core.models import (
    Campaign,
    Meeting,
    MeetingFeedback,
    MeetingInvitee,
    MeetingKind,
    Person,
    Rsvp,
    Secretariat,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.people.audience import Audience, check, permit
from core.toolbox.manual import STEPS
from i18n import N_

if TYPE_CHECKING:  # the catalog reads people through joining, which invites to meetings
    from core.chat.definitions import DefinitionCatalog

INVITATION = "meeting.invitation"
CHANGE = "meeting.change"
CANCELLATION = "meeting.cancellation"
# What invitees must be told of when it changes: when and where it is.
ANNOUNCED = ("starts_at", "duration_minutes", "place", "video_url")
INTERVIEW_NOTES = "interview.notes"  # the interviewer's button, at an interview's start
# What is sent at a meeting's start moves with it.
AT_START = (INTERVIEW_NOTES,)
LONGEST = 24 * 60  # minutes
AGENDA_LIMIT = 4000
LINK_LIMIT = 500
# Nothing waits for the end of a night that ends later than this before the meeting starts.
LAST_CALL = timedelta(hours=1)
FARTHEST = timedelta(days=2 * 366)


@dataclass(frozen=True)
class Details:
    """What a coordinator sets for a meeting. A ``starts_at`` without an offset is read on the
    clock of ``time_zone``."""

    kind: MeetingKind | str
    title: str
    starts_at: datetime
    time_zone: str
    duration_minutes: int
    audience: Audience = field(default_factory=Audience)
    step: str | None = None
    place: str | None = None
    video_url: str | None = None
    agenda: str | None = None
    capacity: int | None = None
    feedback_definition_id: str | ByKind | None = BY_KIND


@dataclass(frozen=True)
class MeetingView:
    """A meeting and its invitees, with their answers, and the feedback survey it sent."""

    meeting: Meeting
    invitees: list[MeetingInvitee]
    feedback_campaign_id: int | None = None


# Reading ----------------------------------------------------------------------------------


async def get_meeting(session: AsyncSession, secretariat_id: int, meeting_id: int) -> Meeting:
    """The secretariat's meeting ``meeting_id``, or NotFound."""
    missing = N_("Session {id} not found.")
    return await of_secretariat(session, Meeting, secretariat_id, meeting_id, missing)


async def read_meeting(session: AsyncSession, secretariat_id: int, meeting_id: int) -> MeetingView:
    """The meeting with its invitees."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    return (await views_of(session, [meeting]))[meeting.id]


async def views_of(session: AsyncSession, meetings: Iterable[Meeting]) -> dict[int, MeetingView]:
    """Each meeting's view, by id, in two queries however many they are."""
    by_id = {meeting.id: meeting for meeting in meetings}
    invitees, feedback = await _invitees(session, by_id), await _feedback(session, by_id)
    return {
        meeting_id: MeetingView(meeting, invitees[meeting_id], feedback.get(meeting_id))
        for meeting_id, meeting in by_id.items()
    }


MEETING_SORTING = listing.Sorting(
    {"starts_at": Meeting.starts_at, "title": Meeting.title, "id": Meeting.id},
    default="starts_at",
    tie_breaker=Meeting.id,
)


async def list_meetings(
    session: AsyncSession, secretariat_id: int, *, sort: str | None, limit: int, offset: int
) -> listing.Page[MeetingView]:
    """A page of the secretariat's meetings, each with its invitees."""
    page = await listing.paginate(
        session,
        select(Meeting).where(Meeting.secretariat_id == secretariat_id),
        MEETING_SORTING,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    views = await views_of(session, page.items)
    return page.map(lambda meeting: views[meeting.id])


async def _invitees(
    session: AsyncSession, meeting_ids: Iterable[int]
) -> dict[int, list[MeetingInvitee]]:
    found: dict[int, list[MeetingInvitee]] = defaultdict(list)
    rows = await session.scalars(
        select(MeetingInvitee)
        .where(MeetingInvitee.meeting_id.in_(list(meeting_ids)))
        .order_by(MeetingInvitee.person_id)
    )
    for invitee in rows:
        found[invitee.meeting_id].append(invitee)
    return found


async def _feedback(session: AsyncSession, meeting_ids: Iterable[int]) -> dict[int, int]:
    """The feedback campaign each meeting sent, by meeting."""
    rows = await session.execute(
        select(MeetingFeedback.meeting_id, MeetingFeedback.campaign_id).where(
            MeetingFeedback.meeting_id.in_(list(meeting_ids))
        )
    )
    return {meeting_id: campaign_id for meeting_id, campaign_id in rows}


async def attending(session: AsyncSession, meeting_id: int) -> int:
    """How many invitees answered that they will attend."""
    count = await session.scalar(
        select(func.count()).where(
            MeetingInvitee.meeting_id == meeting_id, MeetingInvitee.answer == Rsvp.YES
        )
    )
    return int(count or 0)


# Changing ---------------------------------------------------------------------------------


async def create_meeting(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    details: Details,
    *,
    catalog: DefinitionCatalog,
    national: bool,
    now: datetime,
    quiet: QuietHours | None,
) -> MeetingView:
    """Schedule a meeting and invite everyone its audience reaches."""
    values = _vet(vars(details), now)
    values["feedback_definition_id"] = await vet_survey(
        session, catalog, secretariat_id, values["kind"], details.feedback_definition_id
    )
    permit(values["audience"], national=national)
    people = await check(session, values["audience"], secretariat_id)
    meeting = Meeting(secretariat_id=secretariat_id, **_stored(values))
    await chain.about(
        session, meeting, "meeting.create", actor, secretariat_id, data=_as_json(meeting)
    )
    await _invite(session, meeting, people, now, quiet)
    return await read_meeting(session, secretariat_id, meeting.id)


async def update_meeting(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    meeting_id: int,
    *,
    version: int,
    catalog: DefinitionCatalog,
    national: bool,
    now: datetime,
    quiet: QuietHours | None,
    **changes: Any,
) -> MeetingView:
    """Change what was set; a change of when or where is announced to every invitee, and
    whoever the audience reaches now and was not invited is invited."""
    meeting = await _changeable(session, secretariat_id, meeting_id, version, now)
    if "time_zone" in changes and "starts_at" not in changes:
        # A new time zone alone keeps the time on the clock: the zone was what was wrong.
        changes["starts_at"] = meeting.local(meeting.starts_at).replace(tzinfo=None)
    columns = _columns(meeting)
    values = _vet({**columns, "audience": Audience.of(meeting.audience), **changes}, now)
    if "feedback_definition_id" in changes:
        values["feedback_definition_id"] = await vet_survey(
            session, catalog, secretariat_id, values["kind"], changes["feedback_definition_id"]
        )
    permit(values["audience"], national=national)
    capacity = values["capacity"]
    if capacity is not None and capacity < (taken := await attending(session, meeting.id)):
        raise Conflict(
            N_("{n} people already said they will attend; the capacity cannot be lower."),
            field="capacity",
            n=taken,
        )
    people = await check(session, values["audience"], secretariat_id)
    stored = _stored(values)
    changed = {name: value for name, value in stored.items() if value != columns[name]}
    announced = any(name in changed for name in ANNOUNCED)
    for name, value in changed.items():
        setattr(meeting, name, value)
    if announced:
        meeting.sequence += 1
    await session.flush()
    await chain.about(
        session,
        meeting,
        "meeting.update",
        actor,
        secretariat_id,
        data={"changes": chain.to_json_value(changed), "sequence": meeting.sequence},
    )
    if announced:
        await _announce(session, meeting, CHANGE, now, quiet)
    if "starts_at" in changed:
        await _follow_start(session, meeting, now)
    await _invite(session, meeting, people, now, quiet)
    return await read_meeting(session, secretariat_id, meeting.id)


async def cancel_meeting(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    meeting_id: int,
    *,
    version: int,
    now: datetime,
    quiet: QuietHours | None,
) -> MeetingView:
    """Cancel it: every invitee is told, with a file that takes it off their calendar."""
    meeting = await _changeable(session, secretariat_id, meeting_id, version, now)
    meeting.cancelled_at = now
    meeting.sequence += 1
    await session.flush()
    await chain.about(
        session,
        meeting,
        "meeting.cancel",
        actor,
        secretariat_id,
        data={"sequence": meeting.sequence},
    )
    await _announce(session, meeting, CANCELLATION, now, quiet)
    await _follow_start(session, meeting, now)
    return await read_meeting(session, secretariat_id, meeting.id)


async def _follow_start(session: AsyncSession, meeting: Meeting, now: datetime) -> None:
    """What waits for the meeting's start (a campaign serving it that opens then, a message
    sent then) moves with it, or ends with its cancellation."""
    waiting = await session.scalars(
        select(Campaign).where(
            Campaign.meeting_id == meeting.id,
            Campaign.closed_at.is_(None),
            Campaign.opens_at > now,
        )
    )
    for campaign in waiting:
        if meeting.cancelled_at is None:
            campaign.opens_at = meeting.starts_at
        else:
            await campaigns.end(session, campaign, now)
    if meeting.cancelled_at is None:
        await outbox.reschedule(session, kinds=AT_START, about=meeting, when=meeting.starts_at)
    else:
        await outbox.withdraw(session, kinds=AT_START, about=meeting)


async def _changeable(
    session: AsyncSession, secretariat_id: int, meeting_id: int, version: int, now: datetime
) -> Meeting:
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    if meeting.version != version:
        raise Conflict(
            N_("Session {id} changed since you read it (version {version})."),
            id=meeting.id,
            version=meeting.version,
        )
    if meeting.cancelled_at is not None:
        raise Conflict(N_("Session {id} was cancelled; it no longer changes."), id=meeting.id)
    if meeting.starts_at <= now:
        raise Conflict(N_("Session {id} has already started; it no longer changes."), id=meeting.id)
    return meeting


async def welcome(session: AsyncSession, person: Person, now: datetime) -> None:
    """Invite someone who has just joined to the sessions to come whose audience reaches them,
    as those who were there when they were scheduled were invited."""
    coming = await session.scalars(
        select(Meeting)
        .where(Meeting.cancelled_at.is_(None), Meeting.starts_at > now)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    for meeting in coming:
        if Audience.of(meeting.audience).includes(person, meeting.secretariat_id):
            # They are in the chat now: nothing waits for the end of their night.
            await _invite(session, meeting, [person], now, quiet=None)


# Telling the invitees ---------------------------------------------------------------------


def send_time(
    meeting: Meeting, person: Person, now: datetime, quiet: QuietHours | None
) -> datetime:
    """When a message about ``meeting`` may reach ``person``: after their night, unless that
    would be too close to its start to be of use; then now."""
    if quiet is None:
        return now
    after_night = quiet.next_send_time(now, person.time_zone)
    return after_night if after_night <= meeting.starts_at - LAST_CALL else now


async def _invite(
    session: AsyncSession,
    meeting: Meeting,
    people: Iterable[Person],
    now: datetime,
    quiet: QuietHours | None,
) -> None:
    """Invite those of ``people`` not invited yet: an invitee row and a message each."""
    known = set(
        await session.scalars(
            select(MeetingInvitee.person_id).where(MeetingInvitee.meeting_id == meeting.id)
        )
    )
    newcomers = [person for person in people if person.id not in known]
    if not newcomers:
        return
    secretariat = await session.get_one(Secretariat, meeting.secretariat_id)
    attachment = calendar_file(meeting, now)
    await session.execute(
        insert(MeetingInvitee),
        [
            {"meeting_id": meeting.id, "person_id": person.id, "invited_at": now}
            for person in newcomers
        ],
    )
    await outbox.enqueue_all(
        session,
        (
            outbox.Outgoing(
                person=person,
                kind=INVITATION,
                key=f"meeting:{meeting.id}:invite:{person.id}",
                text=messages.invitation(meeting, person, secretariat.name),
                markup=messages.rsvp_buttons(person.language, meeting.id),
                scheduled_at=send_time(meeting, person, now, quiet),
                about=meeting,
                attachment=attachment,
            )
            for person in newcomers
        ),
    )


async def _announce(
    session: AsyncSession, meeting: Meeting, kind: str, now: datetime, quiet: QuietHours | None
) -> None:
    """Tell every invitee of a change (with the answer buttons) or of the cancellation."""
    cancelled = kind == CANCELLATION
    attachment = calendar_file(meeting, now)
    people = await session.scalars(
        select(Person)
        .join(MeetingInvitee, MeetingInvitee.person_id == Person.id)
        .where(MeetingInvitee.meeting_id == meeting.id, Person.erased_at.is_(None))
        .order_by(Person.id)
    )
    await outbox.enqueue_all(
        session,
        (
            outbox.Outgoing(
                person=person,
                kind=kind,
                key=f"meeting:{meeting.id}:{meeting.sequence}:{person.id}",
                text=(messages.cancellation if cancelled else messages.change)(meeting, person),
                markup=None if cancelled else messages.rsvp_buttons(person.language, meeting.id),
                scheduled_at=send_time(meeting, person, now, quiet),
                about=meeting,
                attachment=attachment,
            )
            for person in people
        ),
    )


# Values -----------------------------------------------------------------------------------


def _columns(meeting: Meeting) -> dict[str, Any]:
    """What is set, as stored."""
    return {name: getattr(meeting, name) for name in _STORED}


_STORED = (
    "kind", "title", "step", "starts_at", "time_zone", "duration_minutes", "place",
    "video_url", "audience", "agenda", "capacity", "feedback_definition_id",
)  # fmt: skip


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Vetted values as the columns hold them."""
    return {**{name: values[name] for name in _STORED}, "audience": values["audience"].as_json()}


def _as_json(meeting: Meeting) -> dict[str, Any]:
    found: dict[str, Any] = chain.to_json_value(_columns(meeting))
    return found


def _vet(values: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Every value checked, or the first wrong one refused; ``starts_at`` in UTC."""
    zone_name = str(values["time_zone"] or "")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            N_("Unknown time zone {value}; use an IANA name such as America/Mexico_City."),
            field="time_zone",
            value=zone_name,
        ) from None
    given: datetime = values["starts_at"]
    local = given if given.tzinfo else given.replace(tzinfo=zone)
    try:
        starts_at = local.astimezone(UTC)
    except OverflowError:  # the first or the last day a date can be, moved past its range
        starts_at = (datetime.max if local.year == MAXYEAR else datetime.min).replace(tzinfo=UTC)
    if starts_at > now + FARTHEST:
        raise InvalidInput(N_("A session is scheduled at most two years ahead."), field="starts_at")
    if starts_at <= now:
        raise InvalidInput(
            N_("A session cannot start in the past ({moment})."),
            field="starts_at",
            moment=local.isoformat(timespec="minutes"),
        )
    duration = values["duration_minutes"]
    if not 1 <= duration <= LONGEST:
        raise InvalidInput(
            N_("A session ends after it starts and lasts at most {limit} minutes."),
            field="duration_minutes",
            limit=LONGEST,
        )
    capacity = values["capacity"]
    if capacity is not None and capacity < 1:
        raise InvalidInput(N_("The capacity is at least 1 person."), field="capacity")
    step = values["step"]
    if step is not None and step not in STEPS:
        raise InvalidInput(
            N_("Unknown methodology step {value}; use one of: {choices}."),
            field="step",
            value=step,
            choices=", ".join(STEPS),
        )
    place = _optional(values["place"], "place", LINK_LIMIT)
    video_url = _optional(values["video_url"], "video_url", LINK_LIMIT)
    if video_url is not None and not video_url.startswith(("https://", "http://")):
        raise InvalidInput(
            N_("The video-call link must be a web address (https://…)."), field="video_url"
        )
    if place is None and video_url is None:
        raise InvalidInput(N_("Give a place, a video-call link or both."), field="place")
    kind = one_of(
        MeetingKind,
        values["kind"],
        "kind",
        N_("Unknown kind of session {value}; use one of: {choices}."),
    )
    return {
        "kind": kind,
        "title": text(values["title"], "title"),
        "step": step,
        "starts_at": starts_at,
        "time_zone": zone_name,
        "duration_minutes": duration,
        "place": place,
        "video_url": video_url,
        "audience": values["audience"],
        "agenda": _optional(values["agenda"], "agenda", AGENDA_LIMIT),
        "capacity": capacity,
        "feedback_definition_id": values["feedback_definition_id"],
    }


def _optional(value: Any, field_name: str, limit: int) -> str | None:
    return at_most(str(value or "").strip(), field_name, limit) or None
