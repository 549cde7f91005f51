"""The minutes of a session: a document uploaded once it took place, kept with the evidence
files (checked by its content, stored once under its SHA-256), and sent in chat to everyone
recorded present. A new upload replaces it and is sent again; the same file twice changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import InvalidInput, NotFound
from core.meetings import messages
from core.meetings.agreements import get_held_meeting
from core.meetings.meetings import get_meeting
from core.models import Meeting, MeetingInvitee, Minutes, Person
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.reporting import evidence
from i18n import N_, gettext

MINUTES = "meeting.minutes"
# The document travels inside each attendee's notification: kept well under what Telegram sends.
MAX_BYTES = 10 * 1024 * 1024
KINDS = {".pdf", ".docx", ".odt", ".txt"}  # Markdown is text
NAME_LIMIT = 255


@dataclass(frozen=True)
class Uploaded:
    """The minutes as they stand, and how many attendees they are sent to now."""

    minutes: Minutes
    sent_to: int


async def get_minutes(session: AsyncSession, secretariat_id: int, meeting_id: int) -> Minutes:
    """The meeting's minutes, or NotFound."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    minutes = await session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if minutes is None:
        raise NotFound(N_("Session {id} has no minutes yet."), id=meeting.id)
    return minutes


async def upload_minutes(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    meeting_id: int,
    *,
    data: bytes,
    filename: str | None,
    folder: Path,
    now: datetime,
    quiet: QuietHours | None = None,
) -> Uploaded:
    """Keep ``data`` as the meeting's minutes, replacing any before, and send them to the
    attendees, each outside their night."""
    meeting = await get_held_meeting(session, secretariat_id, meeting_id, now)
    if data and evidence.identify(data, filename) not in KINDS:
        raise InvalidInput(
            N_("Minutes are a PDF, DOCX, ODT or text (TXT, Markdown) document."), field="file"
        )
    stored = evidence.store(
        folder, data, max_bytes=MAX_BYTES, filename=filename, for_publication=False
    )
    minutes = await session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if minutes is not None and minutes.sha256 == stored.sha256:
        return Uploaded(minutes, 0)
    name = (
        Path(filename or "").name[-NAME_LIMIT:] or f"minutes-{meeting.id}{Path(stored.name).suffix}"
    )
    fields = {
        "stored_name": stored.name,
        "file_name": name,
        "mime_type": stored.mime_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "uploaded_at": now,
        "uploaded_by": str(actor),
    }
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, edition=1, **fields)
    else:
        for key, value in fields.items():
            setattr(minutes, key, value)
        minutes.edition += 1
    session.add(minutes)
    await session.flush()
    await chain.about(
        session,
        minutes,
        "meeting.minutes",
        actor,
        secretariat_id,
        data={"meeting_id": meeting.id, "sha256": stored.sha256, "edition": minutes.edition},
    )
    attachment = outbox.Attachment(name, stored.mime_type, data)
    attendees = list(
        await session.scalars(
            select(Person)
            .join(MeetingInvitee, MeetingInvitee.person_id == Person.id)
            .where(
                MeetingInvitee.meeting_id == meeting.id,
                MeetingInvitee.attended_at.is_not(None),
                Person.erased_at.is_(None),
            )
            .order_by(Person.id)
        )
    )
    for person in attendees:
        await outbox.enqueue(
            session,
            person=person,
            kind=MINUTES,
            key=f"meeting:{meeting.id}:minutes:{minutes.edition}:{person.id}",
            text=_caption(meeting, person, minutes.edition),
            scheduled_at=quiet.next_send_time(now, person.time_zone) if quiet else now,
            about=meeting,
            attachment=attachment,
        )
    return Uploaded(minutes, len(attendees))


def _caption(meeting: Meeting, person: Person, edition: int) -> str:
    language = person.language
    shown = messages.titled(meeting, language)
    if edition == 1:
        return gettext(
            language,
            N_("The minutes of the session {meeting} ({when}) are attached."),
            meeting=shown,
            when=messages.when(meeting, person),
        )
    return gettext(
        language,
        N_("The minutes of the session {meeting} ({when}) were replaced; this is the new version."),
        meeting=shown,
        when=messages.when(meeting, person),
    )
