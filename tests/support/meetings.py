"""A session as the admin API schedules it, for the tests of what happens around one."""

from __future__ import annotations

from datetime import timedelta

from core.models import utcnow


def soon(minutes: int = 10, **fields) -> dict:
    """The body of a workshop starting ``minutes`` from now, with ``fields`` changed."""
    start = (utcnow() + timedelta(minutes=minutes)).replace(microsecond=0)
    return {
        "kind": "workshop",
        "title": "Taller de enfoque",
        "starts_at": start.isoformat(),
        "time_zone": "America/Mexico_City",
        "duration_minutes": 90,
        "place": "Sala 1",
        **fields,
    }
