"""Work done again and again on a timer: reminders, validation deadlines, the outbox, cleanups."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(seconds: float, job: Callable[[], Awaitable[object]], *, what: str) -> None:
    """Run ``job`` now and then ``seconds`` after each round ends, until cancelled.

    A round that fails (the database away for a moment, say) is logged with ``what`` was being
    done and the next round runs as usual: one bad moment must not stop the work for good.
    Cancellation is not a failure: it ends the loop, in a round or between two.
    """
    while True:
        try:
            await job()
        except Exception:
            log.exception("%s failed; trying again in %s s", what, seconds)
        await asyncio.sleep(seconds)
