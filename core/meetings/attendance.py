"""Attendance at meetings: the host's check-in code, invitees checking in with it (typed, or
through the bot's deep link), the host marking who was present, and who is falling behind.

The code is short enough to type from a screen, so only a code that is current is worth
anything: it works from a little before the start to the end of its meeting, and a new one
replaces it. Its SHA-256 alone is stored; a code this short could be found from its hash, but
whoever reads the database could mark presence anyway, and the code dies with its meeting.
Typing codes at random is slowed instead: a person's refused check-ins are counted, and past a
few in a minute every check-in waits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, DomainError, NotFound
from core.meetings import feedback
from core.meetings.meetings import get_meeting
from core.models import CheckIn, CheckInTry, Meeting, MeetingInvitee, Person
from i18n import N_

# No 0/O, 1/I/L: read off a projector and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
OPENS_BEFORE = timedelta(minutes=30)
TRIES = 5
TRY_WINDOW = timedelta(minutes=1)
# A deep link's start payload; an invitation's code is 32 characters, so the two never meet.
LINK_PREFIX = "asistencia-"
LINK_PAYLOAD = re.compile(rf"{LINK_PREFIX}([{ALPHABET}]{{{CODE_LENGTH}}})")
# Behind: missed the last two sessions they were invited to, or attended under three in four.
MISSED_IN_A_ROW = 2
LEAST_SHARE = 0.75

WRONG = N_("That check-in code is not valid. Check it on your host's screen and try again.")
NOT_INVITED = N_("That code is for a session you are not invited to; nothing was recorded.")


def hash_code(code: str) -> str:
    """The stored form of a code, as typed: spaces and dashes aside, in any case."""
    return hashlib.sha256(re.sub(r"[\s-]", "", code).upper().encode()).hexdigest()


def link_payload(code: str) -> str:
    """What the bot's deep link carries to check in with ``code``."""
    return f"{LINK_PREFIX}{code}"


def code_in(payload: str) -> str | None:
    """The check-in code a deep link's start payload carries, or None for any other payload."""
    found = LINK_PAYLOAD.fullmatch(payload)
    return found.group(1) if found else None


def opens_at(meeting: Meeting) -> datetime:
    """When checking in to ``meeting`` starts."""
    return meeting.starts_at - OPENS_BEFORE


@dataclass(frozen=True)
class IssuedCode:
    meeting: Meeting
    code: str


async def issue_code(
    session: AsyncSession, secretariat_id: int, actor: Actor, meeting_id: int, *, now: datetime
) -> IssuedCode:
    """A new check-in code for the meeting (shown once); the one before stops working."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    if meeting.cancelled_at is not None:
        raise Conflict(N_("Session {id} was cancelled; nobody checks in."), id=meeting.id)
    if meeting.ends_at <= now:
        raise Conflict(N_("Session {id} has ended; nobody checks in any more."), id=meeting.id)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    meeting.check_in_code_hash = hash_code(code)
    await session.flush()
    await chain.about(session, meeting, "meeting.check_in_code", actor, secretariat_id)
    return IssuedCode(meeting, code)


# Checking in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedIn:
    """What became of a check-in: the meeting, whether it was recorded just now, or why it was
    refused. A refusal is returned, not raised: the try it counts must outlast the update."""

    meeting: Meeting | None = None
    recorded: bool = False
    refusal: DomainError | None = None


async def check_in(
    session: AsyncSession, person: Person, code: str, how: CheckIn, now: datetime
) -> CheckedIn:
    """Record ``person`` present at the meeting whose current code is ``code``, if they are
    invited to it and it is under way."""
    since = now - TRY_WINDOW
    await session.execute(
        delete(CheckInTry).where(CheckInTry.person_id == person.id, CheckInTry.tried_at < since)
    )
    tries = await session.scalar(
        select(func.count()).where(CheckInTry.person_id == person.id, CheckInTry.tried_at >= since)
    )
    if (tries or 0) >= TRIES:
        return CheckedIn(
            refusal=DomainError(N_("Too many wrong codes. Wait a minute and try again."))
        )
    rows = (
        await session.execute(
            select(Meeting, MeetingInvitee)
            .outerjoin(
                MeetingInvitee,
                (MeetingInvitee.meeting_id == Meeting.id) & (MeetingInvitee.person_id == person.id),
            )
            .where(Meeting.check_in_code_hash == hash_code(code), Meeting.cancelled_at.is_(None))
            # A code shared by two meetings by chance: the person's own first.
            .order_by(MeetingInvitee.id.is_(None), Meeting.id)
        )
    ).first()
    refusal = _refusal(rows, now)
    if refusal is not None:
        session.add(CheckInTry(person_id=person.id, tried_at=now))
        return CheckedIn(refusal=refusal)
    assert rows is not None
    meeting, invitee = rows
    if invitee.attended_at is not None:
        return CheckedIn(meeting)
    await _record(session, meeting, invitee, now, how, Actor.person(person.id))
    return CheckedIn(meeting, recorded=True)


def _refusal(
    row: tuple[Meeting, MeetingInvitee | None] | None, now: datetime
) -> DomainError | None:
    if row is None:
        return DomainError(WRONG)
    meeting, invitee = row
    if invitee is None:
        return DomainError(NOT_INVITED)
    if now < opens_at(meeting):
        return DomainError(N_("Check-in for this session has not opened yet; nothing recorded."))
    if meeting.ends_at <= now:
        return DomainError(N_("That session has ended and its code expired; nothing recorded."))
    return None


async def _record(
    session: AsyncSession,
    meeting: Meeting,
    invitee: MeetingInvitee,
    at: datetime | None,
    how: CheckIn | None,
    actor: Actor,
) -> None:
    invitee.attended_at, invitee.checked_in = at, how
    await session.flush()
    await chain.about(
        session,
        invitee,
        "meeting.attendance",
        actor,
        meeting.secretariat_id,
        data={"meeting_id": meeting.id, "present": at is not None, "how": how},
    )
    if at is not None:
        await feedback.invite_late(session, meeting, invitee.person_id, actor, at)


async def mark(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    meeting_id: int,
    person_id: int,
    *,
    present: bool,
    now: datetime,
) -> tuple[MeetingInvitee, Person]:
    """The host records an invitee present or absent, once check-in has opened."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    invitee = await session.scalar(
        select(MeetingInvitee).where(
            MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.person_id == person_id
        )
    )
    if invitee is None:
        raise NotFound(N_("Person {id} is not invited to this session."), id=person_id)
    if meeting.cancelled_at is not None:
        raise Conflict(N_("Session {id} was cancelled; nobody attended."), id=meeting.id)
    if now < opens_at(meeting):
        raise Conflict(N_("Session {id} has not started; nobody attended yet."), id=meeting.id)
    if (invitee.attended_at is not None) != present:
        at, how = (now, CheckIn.HOST) if present else (None, None)
        await _record(session, meeting, invitee, at, how, actor)
    return invitee, await session.get_one(Person, person_id)


# Reading ----------------------------------------------------------------------------------


async def attendance_list(
    session: AsyncSession, secretariat_id: int, meeting_id: int
) -> list[tuple[MeetingInvitee, Person]]:
    """The meeting's invitees with whether and how they attended, by person."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    rows = await session.execute(
        select(MeetingInvitee, Person)
        .join(Person, Person.id == MeetingInvitee.person_id)
        .where(MeetingInvitee.meeting_id == meeting.id)
        .order_by(Person.id)
    )
    return [(invitee, person) for invitee, person in rows]


@dataclass(frozen=True)
class Standing:
    """A person's attendance at the sessions they were invited to that have ended."""

    person: Person
    invited: int
    attended: int
    missed_in_a_row: int  # the latest sessions they missed, counted back from the last

    @property
    def missed(self) -> int:
        return self.invited - self.attended

    @property
    def behind(self) -> bool:
        return self.missed_in_a_row >= MISSED_IN_A_ROW or self.attended < LEAST_SHARE * self.invited


async def standings(session: AsyncSession, secretariat_id: int, *, now: datetime) -> list[Standing]:
    """Attendance of each of the secretariat's people across the sessions they were invited to,
    wherever held (a national one too), not cancelled and ended: who is behind first."""
    # Plain values, not entities nor times: a year of sessions is tens of thousands of
    # invitations.
    invited = await session.execute(
        select(
            MeetingInvitee.person_id,
            MeetingInvitee.meeting_id,
            MeetingInvitee.attended_at.is_not(None),
        )
        .join(Person, Person.id == MeetingInvitee.person_id)
        .join(Meeting, Meeting.id == MeetingInvitee.meeting_id)
        .where(
            Person.secretariat_id == secretariat_id,
            Person.erased_at.is_(None),
            Meeting.cancelled_at.is_(None),
            Meeting.starts_at <= now,
        )
        .order_by(MeetingInvitee.person_id, Meeting.starts_at, Meeting.id)
    )
    rows = invited.all()
    held = await session.scalars(
        select(Meeting).where(Meeting.id.in_({meeting_id for _, meeting_id, _ in rows}))
    )
    ended = {meeting.id for meeting in held if meeting.ends_at <= now}
    histories: dict[int, list[bool]] = {}
    for person_id, meeting_id, attended in rows:
        if meeting_id in ended:
            histories.setdefault(person_id, []).append(bool(attended))
    people = await session.scalars(
        select(Person).where(Person.secretariat_id == secretariat_id, Person.erased_at.is_(None))
    )
    found = [_standing(person, histories[person.id]) for person in people if person.id in histories]
    return sorted(found, key=lambda item: (not item.behind, -item.missed, item.person.id))


def _standing(person: Person, history: list[bool]) -> Standing:
    in_a_row = 0
    for attended in reversed(history):
        if attended:
            break
        in_a_row += 1
    return Standing(person, len(history), sum(history), in_a_row)
