"""The outbox worker: sends due notifications within Telegram's limits.

Global and per-chat rates are kept by ``bot.pace`` (shared by the workers through Redis when
there is one). A 429 pauses every send for ``retry_after`` and retries that notification then;
5xx and failures to connect back off exponentially; a 403 means the person blocked the bot.
Each result is committed as soon as Telegram answers, and a stop lets in-flight sends finish
and record their result and gives back the claimed notifications not yet started, so a
restarted worker neither repeats nor loses a notification, nor waits for a lease to run out.
Every line logged while a notification is sent names it and its person by their ids.

A send is recorded as started before its request (``outbox.start``). When it is cut off with
no answer after the request left (a timeout, a dropped connection) or the worker dies before
recording the result, Telegram may have delivered it: it is not sent again but given up for a
check (``outbox.MAY_HAVE_ARRIVED``), so a notification never arrives twice.

Every result is counted in ``core.monitoring.metrics.SENDS``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message
from aiohttp import ClientConnectorError
from structlog.contextvars import bound_contextvars

from bot.pace import pace_for
from core.infra.db import SessionFactory
from core.infra.liveness import Process
from core.infra.periodic import every
from core.infra.settings import Settings
from core.models import utcnow
from core.monitoring import metrics
from core.notify import outbox

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class OutboxWorker:
    def __init__(
        self,
        bot: Bot,
        session_factory: SessionFactory,
        settings: Settings,
        *,
        clock: Clock = utcnow,
        batch_size: int = 100,
        idle_seconds: float = 1.0,
        process: Process | None = None,
    ) -> None:
        self.bot = bot
        # Known alive to the other workers, which take over its claims at once if it dies.
        self.process = process
        self.session_factory = session_factory
        self.clock = clock
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.pace = pace_for(settings, bot.id)
        self._paused_until = 0.0
        self._in_flight: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        """Send until cancelled; on cancellation, finish the sends already started."""
        try:
            await every(self.idle_seconds, self._send_due, what="sending the outbox")
        finally:
            if self._in_flight:
                await asyncio.wait(self._in_flight)

    async def _send_due(self) -> None:
        # Batch after batch while notifications are due; the pause comes once none is left.
        while await self.run_once():
            pass

    async def run_once(self) -> int:
        """Claim one batch and send it; the number of notifications claimed."""
        claimed = await outbox.claim(
            self.session_factory, self.batch_size, self.clock(), self.process
        )
        batch = taking_turns(claimed)
        for started, item in enumerate(batch):
            try:
                await self._wait_for_turn(item.chat_id)
            except asyncio.CancelledError:
                await outbox.release(self.session_factory, [left.id for left in batch[started:]])
                raise
            task = asyncio.create_task(self._send(item))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        if self._in_flight:
            # asyncio.wait, unlike gather, leaves the sends running if this wait is cancelled.
            await asyncio.wait(self._in_flight)
        return len(batch)

    async def _wait_for_turn(self, chat_id: int) -> None:
        delay = self._paused_until - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)
        await self.pace.turn(chat_id)

    async def _send(self, item: outbox.Claimed) -> None:
        with bound_contextvars(notification_id=item.id, person_id=item.person_id):
            await self._deliver(item)

    async def _deliver(self, item: outbox.Claimed) -> None:
        markup = InlineKeyboardMarkup.model_validate(item.markup) if item.markup else None
        if not await outbox.start(self.session_factory, item, self.clock()):
            return  # its lease ran out while it waited for its turn: another worker has it
        try:
            message = await self._send_one(item, markup)
        except TelegramRetryAfter as exc:
            metrics.SENDS.labels("rate_limited").inc()
            self._paused_until = asyncio.get_running_loop().time() + exc.retry_after
            retry_at = self.clock() + timedelta(seconds=exc.retry_after)
            await outbox.mark_retry(
                self.session_factory, item.id, exc.message, retry_at, attempts=0
            )
        except TelegramForbiddenError as exc:
            metrics.SENDS.labels("blocked").inc()
            await outbox.mark_unreachable(self.session_factory, item.id, exc.message, self.clock())
        except (TelegramServerError, TelegramNetworkError, OSError) as exc:
            if may_have_arrived(exc):
                metrics.SENDS.labels("uncertain").inc()
                log.warning("notification %s may have been delivered: %s", item.id, exc)
                await outbox.mark_failed(self.session_factory, item.id, outbox.MAY_HAVE_ARRIVED)
                return
            metrics.SENDS.labels("retried").inc()
            retry_at = self.clock() + outbox.backoff(item.attempts)
            await outbox.mark_retry(
                self.session_factory, item.id, str(exc), retry_at, attempts=item.attempts
            )
        except TelegramBadRequest as exc:
            metrics.SENDS.labels("refused").inc()
            log.warning("notification %s refused by Telegram: %s", item.id, exc.message)
            await outbox.mark_failed(self.session_factory, item.id, exc.message)
        else:
            metrics.SENDS.labels("sent").inc()
            await outbox.mark_sent(self.session_factory, item.id, message.message_id, self.clock())

    async def _send_one(self, item: outbox.Claimed, markup: InlineKeyboardMarkup | None) -> Message:
        """The text alone, or as the caption of its file."""
        if item.attachment is None:
            return await self.bot.send_message(item.chat_id, item.text, reply_markup=markup)
        attached = item.attachment
        document = BufferedInputFile(attached.content, filename=attached.name)
        return await self.bot.send_document(
            item.chat_id, document, caption=item.text, reply_markup=markup
        )


def taking_turns(claimed: list[outbox.Claimed]) -> list[outbox.Claimed]:
    """Each chat's first notification, then each chat's second, and so on: a chat waits for its
    turn (its pace is a message a second), the others need not wait behind it."""
    rank: Counter[int] = Counter()
    turns = []
    for position, item in enumerate(claimed):  # claimed in each chat's order
        turns.append((rank[item.chat_id], position, item))
        rank[item.chat_id] += 1
    return [item for _turn, _position, item in sorted(turns, key=lambda turn: turn[:2])]


def may_have_arrived(error: Exception) -> bool:
    """Whether the request may have reached Telegram although no answer came: every network
    failure but one to connect at all (Telegram's own 5xx answers say it was not handled)."""
    return isinstance(error, TelegramNetworkError) and not isinstance(
        error.__cause__, ClientConnectorError
    )
