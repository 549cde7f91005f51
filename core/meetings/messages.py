"""What invitees read about a meeting, in their language and time zone: its invitation, an
announced change, its cancellation and its reminders, with the answer buttons under them.

A text that travels with the calendar file is that file's caption, which Telegram bounds: the
agenda is cut short to fit (the file holds it whole).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_name

from core.buttons import RsvpButton
from core.models import Meeting, MeetingKind, Person, Rsvp
from core.notify.outbox import CAPTION_LIMIT
from core.toolbox.manual import manual
from i18n import N_, gettext, locale_of, ngettext

KIND_LABELS = {
    MeetingKind.WORKSHOP: N_("Workshop"),
    MeetingKind.WORKING_SESSION: N_("Working session"),
    MeetingKind.PRESENTATION: N_("Presentation"),
    MeetingKind.INTERVIEW: N_("Interview"),
}
# The buttons' words, and how /sesiones names an answer given.
RSVP_LABELS = {
    Rsvp.YES: N_("I will attend"),
    Rsvp.NO: N_("I can't make it"),
    Rsvp.MAYBE: N_("Maybe"),
}


def rsvp_buttons(language: str, meeting_id: int) -> dict[str, Any]:
    """The three answers, in a row; the bot checks the presser is invited."""
    row = [
        {
            "text": gettext(language, label),
            "callback_data": RsvpButton(meeting_id, answer.value).pack(),
        }
        for answer, label in RSVP_LABELS.items()
    ]
    return {"inline_keyboard": [row]}


def when(meeting: Meeting, person: Person) -> str:
    """When it starts on the person's clock: "miércoles, 10 de junio de 2026, 10:00"."""
    return _when(meeting.starts_at, person.time_zone, person.language)


def zone_name(person: Person) -> str:
    """The name of the person's time zone in their language: "hora central", "Pacific Time"."""
    return _zone_name(person.time_zone, person.language)


# A reminders pass words one session for hundreds of invitees who share a handful of clocks
# and languages: Babel's formatting, most of a reminder's cost, is done once for each.
@lru_cache(maxsize=1024)
def _when(starts_at: datetime, time_zone: str, language: str) -> str:
    local = starts_at.astimezone(ZoneInfo(time_zone))
    locale = locale_of(language)
    day = format_date(local.date(), format="full", locale=locale)
    return f"{day}, {format_time(local, format='short', locale=locale)}"


@lru_cache(maxsize=256)
def _zone_name(time_zone: str, language: str) -> str:
    return get_timezone_name(
        ZoneInfo(time_zone), "long", locale=locale_of(language), zone_variant="generic"
    )


def titled(meeting: Meeting, language: str) -> str:
    """Its kind and title: "Taller “Primer taller de enfoque”"."""
    kind = gettext(language, KIND_LABELS[meeting.kind])
    return gettext(language, N_("{kind} “{title}”"), kind=kind, title=meeting.title)


def details(meeting: Meeting, person: Person) -> list[str]:
    """When, for how long, where, and what it serves: a line each."""
    language = person.language
    lines = [
        ngettext(
            language,
            "When: {when} ({zone}), {n} minute.",
            "When: {when} ({zone}), {n} minutes.",
            meeting.duration_minutes,
            when=when(meeting, person),
            zone=zone_name(person),
        )
    ]
    if meeting.place:
        lines.append(gettext(language, N_("Where: {place}"), place=meeting.place))
    if meeting.video_url:
        lines.append(gettext(language, N_("Video call: {link}"), link=meeting.video_url))
    if meeting.step:
        step = next(chapter for chapter in manual().steps() if chapter.step == meeting.step)
        lines.append(gettext(language, N_("Methodology step: {step}"), step=step.title[language]))
    if meeting.capacity:
        lines.append(
            ngettext(language, "Room for {n} person.", "Room for {n} people.", meeting.capacity)
        )
    return lines


def invitation(meeting: Meeting, person: Person, secretariat: str) -> str:
    """The invitation, with the agenda as far as the caption allows."""
    language = person.language
    lead = gettext(
        language,
        N_("{secretariat} invites you to this session:\n{meeting}"),
        secretariat=secretariat,
        meeting=titled(meeting, language),
    )
    return _with_agenda(meeting, person, lead, _ask(language))


def change(meeting: Meeting, person: Person) -> str:
    """A change of when or where, announced with the updated calendar file."""
    language = person.language
    lead = gettext(
        language,
        N_("This session changed; this is how it stands now:\n{meeting}"),
        meeting=titled(meeting, language),
    )
    return _with_agenda(meeting, person, lead, _ask(language))


def cancellation(meeting: Meeting, person: Person) -> str:
    language = person.language
    return gettext(
        language,
        N_(
            "This session was cancelled: {meeting} ({when}). The attached file takes it off your "
            "calendar."
        ),
        meeting=titled(meeting, language),
        when=when(meeting, person),
    )


def reminder(meeting: Meeting, person: Person, *, tomorrow: bool) -> str:
    """The day-before or the hour-before reminder."""
    language = person.language
    lead = gettext(
        language,
        N_("Tomorrow: {meeting}.") if tomorrow else N_("In an hour: {meeting}."),
        meeting=titled(meeting, language),
    )
    return "\n".join([lead, *details(meeting, person)])


def _ask(language: str) -> str:
    return gettext(
        language,
        N_("Will you attend? Answer with the buttons. The attached file adds it to your calendar."),
    )


def _with_agenda(meeting: Meeting, person: Person, lead: str, ending: str) -> str:
    before = "\n".join([lead, "", *details(meeting, person)])
    if not meeting.agenda:
        return f"{before}\n\n{ending}"
    heading = gettext(person.language, N_("Agenda:"))
    room = CAPTION_LIMIT - len(before) - len(heading) - len(ending) - 6
    agenda = meeting.agenda if len(meeting.agenda) <= room else meeting.agenda[: room - 1] + "…"
    return f"{before}\n\n{heading}\n{agenda}\n\n{ending}"
