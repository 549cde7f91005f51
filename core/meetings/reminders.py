"""Reminders of a meeting: the day before and an hour before it starts, to every invitee who
did not answer *No podré*, with the answer buttons.

The worker's scheduler calls ``schedule_meeting_reminders`` every few minutes, beside the plan's
reminders; each reminder's key names the meeting, the start it reminds of, which one it is and
the person, so calling it again adds nothing, and a meeting moved to another time is reminded
again. The day-before one waits for the end of the invitee's night (unless that would be too
late to be of use); the hour-before one does not wait, as the meeting will not. A reminder due
before the person was invited is left out: the invitation has just told them, and so is one
whose closer successor is due already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.meetings import messages
from core.meetings.meetings import send_time
from core.models import Meeting, MeetingInvitee, Person, Rsvp
from core.notify import outbox
from core.notify.quiet_hours import QuietHours

REMINDER = "meeting.reminder"


@dataclass(frozen=True)
class Ahead:
    """A reminder, ``before`` the start."""

    name: str
    before: timedelta
    tomorrow: bool  # the day before: it waits for the end of the night


AHEAD = (Ahead("day", timedelta(days=1), tomorrow=True), Ahead("hour", timedelta(hours=1), False))


def due_reminder(meeting: Meeting, invited_at: datetime, now: datetime) -> Ahead | None:
    """The reminder of the meeting due at ``now`` for someone invited at ``invited_at``."""
    due = [ahead for ahead in AHEAD if meeting.starts_at - ahead.before <= now]
    if not due or meeting.starts_at <= now:
        return None
    latest = due[-1]  # the closest to the start: the ones before it are past use
    return latest if invited_at <= meeting.starts_at - latest.before else None


async def schedule_meeting_reminders(
    session: AsyncSession, now: datetime, quiet: QuietHours
) -> None:
    """Write the meetings' reminders due at ``now`` into the outbox, in the caller's
    transaction."""
    rows = await session.execute(
        select(Meeting, MeetingInvitee.invited_at, Person)
        .join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
        .join(Person, Person.id == MeetingInvitee.person_id)
        .where(
            Meeting.cancelled_at.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + max(ahead.before for ahead in AHEAD),
            or_(MeetingInvitee.answer.is_(None), MeetingInvitee.answer != Rsvp.NO),
            Person.erased_at.is_(None),
        )
        .order_by(Meeting.starts_at, Meeting.id, Person.id)
    )
    due = []
    for meeting, invited_at, person in rows:
        ahead = due_reminder(meeting, invited_at, now)
        if ahead is not None:
            starts = f"{meeting.starts_at:%Y%m%dT%H%M}"
            key = f"meeting:{meeting.id}:{ahead.name}:{starts}:{person.id}"
            due.append((meeting, ahead, person, key))
    # Most are written already on a pass after the first: only the others are worded.
    written = await outbox.written_among(session, [key for *_, key in due])
    await outbox.enqueue_all(
        session,
        (
            outbox.Outgoing(
                person=person,
                kind=REMINDER,
                key=key,
                text=messages.reminder(meeting, person, tomorrow=ahead.tomorrow),
                markup=messages.rsvp_buttons(person.language, meeting.id),
                scheduled_at=send_time(meeting, person, now, quiet) if ahead.tomorrow else now,
                about=meeting,
            )
            for meeting, ahead, person, key in due
            if key not in written
        ),
    )
