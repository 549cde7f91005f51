"""Quiet hours: the local night in which nobody is sent a message, and when it ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.models import Person


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """Whether the local time ``moment`` falls in quiet hours."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # spans midnight

    def next_send_time(self, now: datetime, time_zone: str) -> datetime:
        """``now`` if it is outside quiet hours in ``time_zone``, else when they end, in UTC."""
        zone = ZoneInfo(time_zone)
        local = now.astimezone(zone)
        if not self.contains(local.time()):
            return now
        end = datetime.combine(local.date(), self.end, tzinfo=zone)
        if end <= local:
            end += timedelta(days=1)
        return end.astimezone(now.tzinfo)


def after_quiet_hours(quiet: QuietHours | None, person: Person, now: datetime) -> datetime | None:
    """When a message the clock writes may reach ``person``: now, or when their night ends."""
    return quiet.next_send_time(now, person.time_zone) if quiet else None
