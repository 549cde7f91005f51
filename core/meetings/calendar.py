"""The calendar file (RFC 5545) sent with every invitation, change and cancellation of a
meeting, so that it lands in the invitee's calendar and moves or disappears there with it.

Its UID is the meeting's, whatever the version; its SEQUENCE is the meeting's count of
announced changes, so a calendar takes the latest file and drops the older ones. Times carry
the meeting's time zone, described in the file itself.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from core.models import Meeting
from core.notify.outbox import Attachment

PRODUCT = "-//incorruptible//sesiones//ES"
MEDIA_TYPE = "text/calendar"


def uid(meeting: Meeting) -> str:
    """The meeting's calendar identity: the same in every file sent for it."""
    return f"meeting-{meeting.id}-{meeting.created_at:%Y%m%dT%H%M%S}@incorruptible"


def calendar_file(meeting: Meeting, now: datetime) -> Attachment:
    """The meeting as it stands now: a request to add (or update) it, or its cancellation."""
    cancelled = meeting.cancelled_at is not None
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", meeting.local(meeting.starts_at))
    event.add("dtend", meeting.local(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = meeting.place or meeting.video_url
    if location:
        event.add("location", location)
    if meeting.video_url:
        event.add("url", meeting.video_url)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return Attachment(f"sesion-{meeting.id}.ics", MEDIA_TYPE, calendar.to_ical())
