"""A clock that runs with real time but can be skipped ahead, for retries and schedules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from core.models import utcnow


class SkippableClock:
    def __init__(self) -> None:
        self.skipped = timedelta()

    def skip(self, delta: timedelta) -> None:
        self.skipped += delta

    def __call__(self) -> datetime:
        return utcnow() + self.skipped


def noon_of(day: date) -> Callable[[], datetime]:
    """A clock standing at noon UTC of ``day``: the same date in every time zone of the Americas."""
    return lambda: datetime.combine(day, time(12), UTC)
