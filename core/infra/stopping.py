"""Stopping long-running work gracefully when the task running it is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any


async def stop_when_cancelled(
    work: Coroutine[Any, Any, Any], stop: Callable[[], Awaitable[Any] | None]
) -> None:
    """Run ``work``; when cancelled, call ``stop`` and wait for the work to wind down.

    A server or a polling loop cut short by cancellation drops what it has under way; asked to
    stop, it finishes that first. A second cancellation while it winds down cancels the work.
    """
    running = asyncio.ensure_future(work)
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        try:
            asked = stop()
            if inspect.isawaitable(asked):
                await asked
        except Exception:
            # It could not be asked (it had not started yet, say): cut it short instead.
            running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        raise
