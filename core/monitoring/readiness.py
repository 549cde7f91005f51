"""Readiness: whether a service can do its work now, as named checks run together.

A probe asks every few seconds, so each check answers within ``CHECK_TIMEOUT`` and what cannot
change once right (the schema, for a running process) is read only until it is. The checks
every service shares are here; the bot and the worker add the Bot API's (``bot.probes``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from core.infra import migrate
from core.infra.db import SessionFactory
from core.models import utcnow
from core.notify import outbox

log = logging.getLogger(__name__)
CHECK_TIMEOUT = 3.0
# A due notification still unsent after this long: no worker sends, or they cannot keep up.
STUCK_AFTER = timedelta(minutes=5)


class NotReady(Exception):
    """What a check found wrong, in one line for the operator."""


@dataclass(frozen=True)
class Check:
    """A named question; ``probe`` raises ``NotReady`` (or fails otherwise) when the answer is
    no."""

    name: str
    probe: Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Report:
    """Each check's name and its problem (None when it passed), in the order checked."""

    problems: dict[str, str | None]

    @property
    def ready(self) -> bool:
        return all(problem is None for problem in self.problems.values())

    def as_json(self) -> dict[str, Any]:
        """``{"status": "ready" | "not ready", "checks": [{"name", "ok", "problem"?}...]}``."""
        checks = [
            {"name": name, "ok": problem is None} | ({"problem": problem} if problem else {})
            for name, problem in self.problems.items()
        ]
        return {"status": "ready" if self.ready else "not ready", "checks": checks}


async def run(checks: Sequence[Check]) -> Report:
    """Run every check at once, each within ``CHECK_TIMEOUT``."""
    problems = await asyncio.gather(*(_problem(check) for check in checks))
    return Report({check.name: problem for check, problem in zip(checks, problems, strict=True)})


async def _problem(check: Check) -> str | None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await check.probe()
    except NotReady as finding:
        return str(finding)
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT:g} s"
    except Exception as error:  # whatever the failure, the service is not ready
        log.warning("readiness check %s failed: %s", check.name, error)
        return f"{type(error).__name__}: {error}"[:300]
    return None


def service_checks(session_factory: SessionFactory) -> list[Check]:
    """The checks of every service: ``database``, ``migrations`` and ``outbox``, over the
    engine of ``session_factory``."""
    return [database(session_factory), migrations(session_factory), stuck_outbox(session_factory)]


def database(session_factory: SessionFactory) -> Check:
    """The database answers a trivial query."""

    async def probe() -> None:
        async with session_factory() as session:
            await session.execute(text("SELECT 1"))

    return Check("database", probe)


def migrations(session_factory: SessionFactory) -> Check:
    """The database's schema is the one the code expects; once it is, it is not read again."""
    at_head = False

    async def probe() -> None:
        nonlocal at_head
        if at_head:
            return
        if not await migrate.is_current(session_factory.kw["bind"]):
            raise NotReady("the database's schema is not the code's: run `incorruptible migrate`")
        at_head = True

    return Check("migrations", probe)


def stuck_outbox(session_factory: SessionFactory) -> Check:
    """No due notification has waited past ``STUCK_AFTER``, and no send started that long
    ago is without a result (a worker gives those up after ``outbox.LEASE``)."""

    async def probe() -> None:
        now = utcnow()
        async with session_factory() as session:
            due_since = await outbox.oldest_due(session, now)
            started = await outbox.oldest_started(session)
        if due_since is not None and now - due_since > STUCK_AFTER:
            raise NotReady(f"a notification due since {due_since:%Y-%m-%d %H:%M:%S} UTC is unsent")
        if started is not None and now - started > outbox.LEASE + STUCK_AFTER:
            raise NotReady(f"a send started at {started:%Y-%m-%d %H:%M:%S} UTC has no result")

    return Check("outbox", probe)
