"""A clock that runs with real time but can be skipped ahead, for retries and schedules."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.models import utcnow


class SkippableClock:
    def __init__(self) -> None:
        self.skipped = timedelta()

    def skip(self, delta: timedelta) -> None:
        self.skipped += delta

    def __call__(self) -> datetime:
        return utcnow() + self.skipped
