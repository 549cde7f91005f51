"""An invitee's answer to a meeting, and the meetings coming for a person (/sesiones).

Only an invitee answers, and only their own invitation, before the meeting starts and while it
is not cancelled. An answer is recorded in the audit chain; the same answer given again (a
second press, an old message) changes nothing and records nothing. *Asistiré* is refused once
the meeting is full; *Tal vez* is always open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, NotFound
from core.meetings.meetings import LONGEST, attending
from core.meetings.reminders import REMINDER
from core.models import Meeting, MeetingInvitee, Person, Rsvp
from core.notify import outbox
from i18n import N_

NOT_INVITED = N_("You are not invited to this session.")


@dataclass(frozen=True)
class Answered:
    meeting: Meeting
    answer: Rsvp
    changed: bool  # False: it was already the answer


async def answer(
    session: AsyncSession, person: Person, meeting_id: int, given: Rsvp, now: datetime
) -> Answered:
    """Record ``person``'s answer to the meeting they are invited to."""
    # Locked: two invitees taking the last seat at once cannot both have it.
    meeting = await session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).with_for_update()
    )
    invitee = await session.scalar(
        select(MeetingInvitee).where(
            MeetingInvitee.meeting_id == meeting_id, MeetingInvitee.person_id == person.id
        )
    )
    if meeting is None or invitee is None:
        raise NotFound(NOT_INVITED)
    if meeting.cancelled_at is not None:
        raise Conflict(N_("This session was cancelled; there is nothing to answer."))
    if meeting.starts_at <= now:
        raise Conflict(N_("This session has already started; there is nothing to answer."))
    if invitee.answer == given:
        return Answered(meeting, given, changed=False)
    if (
        given == Rsvp.YES
        and meeting.capacity is not None
        and await attending(session, meeting.id) >= meeting.capacity
    ):
        raise Conflict(
            N_("This session is full. You can answer Maybe, and your coordination will know.")
        )
    invitee.answer = given
    invitee.answered_at = now
    if given == Rsvp.NO:
        # Reminders already written for later would remind someone who said they cannot come.
        await outbox.withdraw(session, kinds=(REMINDER,), about=meeting, person_id=person.id)
    await chain.about(
        session,
        invitee,
        "meeting.rsvp",
        Actor.person(person.id),
        meeting.secretariat_id,
        data={"meeting_id": meeting.id, "answer": given.value},
    )
    return Answered(meeting, given, changed=True)


async def coming(
    session: AsyncSession, person: Person, now: datetime
) -> list[tuple[Meeting, Rsvp | None]]:
    """The meetings the person is invited to that have not ended and are not cancelled, soonest
    first, with their answer."""
    rows = await session.execute(
        select(Meeting, MeetingInvitee.answer)
        .join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
        .where(
            MeetingInvitee.person_id == person.id,
            Meeting.cancelled_at.is_(None),
            Meeting.starts_at > now - timedelta(minutes=LONGEST),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [(meeting, answer) for meeting, answer in rows if meeting.ends_at > now]
