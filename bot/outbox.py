"""The outbox worker: sends due notifications within Telegram's limits.

Global and per-chat rates are leaky buckets (aiolimiter). A 429 pauses every send for
``retry_after`` and retries that notification then; 5xx and failures to connect back off
exponentially; a 403 means the person blocked the bot. Each result is committed as soon as
Telegram answers, and a stop lets in-flight sends finish and record their result and gives
back the claimed notifications not yet started, so a restarted worker neither repeats nor
loses a notification, nor waits for a lease to run out. Every line logged while a notification
is sent names it and its person by their ids.

A send is recorded as started before its request (``outbox.start``). When it is cut off with
no answer after the request left (a timeout, a dropped connection) or the worker dies before
recording the result, Telegram may have delivered it: it is not sent again but given up for a
check (``outbox.MAY_HAVE_ARRIVED``), so a notification never arrives twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, OrderedDict
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
from aiogram.types import InlineKeyboardMarkup
from aiohttp import ClientConnectorError
from aiolimiter import AsyncLimiter
from structlog.contextvars import bound_contextvars

from core.infra.db import SessionFactory
from core.infra.periodic import every
from core.infra.settings import Settings
from core.models import utcnow
from core.notify import outbox

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class ChatLimiters:
    """One leaky bucket per chat, forgetting the least recently used beyond ``size`` chats."""

    def __init__(self, rate: float, size: int = 10_000) -> None:
        self.rate = rate
        self.size = size
        self._limiters: OrderedDict[int, AsyncLimiter] = OrderedDict()

    def __getitem__(self, chat_id: int) -> AsyncLimiter:
        limiter = self._limiters.pop(chat_id, None) or AsyncLimiter(1, 1 / self.rate)
        self._limiters[chat_id] = limiter
        if len(self._limiters) > self.size:
            self._limiters.popitem(last=False)
        return limiter


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
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.clock = clock
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.global_limiter = AsyncLimiter(settings.send_rate_global, 1)
        self.chat_limiters = ChatLimiters(settings.send_rate_per_chat)
        self._paused_until = 0.0
        self._in_flight: set[asyncio.Task[None]] = set()
        # sent, rate_limited, retried, blocked, refused, uncertain
        self.stats: Counter[str] = Counter()

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
        batch = await outbox.claim(self.session_factory, self.batch_size, self.clock())
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
        await self.chat_limiters[chat_id].acquire()
        await self.global_limiter.acquire()

    async def _send(self, item: outbox.Claimed) -> None:
        with bound_contextvars(notification_id=item.id, person_id=item.person_id):
            await self._deliver(item)

    async def _deliver(self, item: outbox.Claimed) -> None:
        markup = InlineKeyboardMarkup.model_validate(item.markup) if item.markup else None
        if not await outbox.start(self.session_factory, item, self.clock()):
            return  # its lease ran out while it waited for its turn: another worker has it
        try:
            message = await self.bot.send_message(item.chat_id, item.text, reply_markup=markup)
        except TelegramRetryAfter as exc:
            self.stats["rate_limited"] += 1
            self._paused_until = asyncio.get_running_loop().time() + exc.retry_after
            retry_at = self.clock() + timedelta(seconds=exc.retry_after)
            await outbox.mark_retry(
                self.session_factory, item.id, exc.message, retry_at, attempts=0
            )
        except TelegramForbiddenError as exc:
            self.stats["blocked"] += 1
            await outbox.mark_unreachable(self.session_factory, item.id, exc.message, self.clock())
        except (TelegramServerError, TelegramNetworkError, OSError) as exc:
            if may_have_arrived(exc):
                self.stats["uncertain"] += 1
                log.warning("notification %s may have been delivered: %s", item.id, exc)
                await outbox.mark_failed(self.session_factory, item.id, outbox.MAY_HAVE_ARRIVED)
                return
            self.stats["retried"] += 1
            retry_at = self.clock() + outbox.backoff(item.attempts)
            await outbox.mark_retry(
                self.session_factory, item.id, str(exc), retry_at, attempts=item.attempts
            )
        except TelegramBadRequest as exc:
            self.stats["refused"] += 1
            log.warning("notification %s refused by Telegram: %s", item.id, exc.message)
            await outbox.mark_failed(self.session_factory, item.id, exc.message)
        else:
            self.stats["sent"] += 1
            await outbox.mark_sent(self.session_factory, item.id, message.message_id, self.clock())


def may_have_arrived(error: Exception) -> bool:
    """Whether the request may have reached Telegram although no answer came: every network
    failure but one to connect at all (Telegram's own 5xx answers say it was not handled)."""
    return isinstance(error, TelegramNetworkError) and not isinstance(
        error.__cause__, ClientConnectorError
    )
