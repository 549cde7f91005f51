"""How fast the outbox may send: Telegram's limits hold for the bot, not for each worker.

One worker keeps the pace itself: leaky buckets overall and per chat (aiolimiter). Several
workers share theirs through Redis (``INCORRUPTIBLE_REDIS_URL``) with the ``limits`` library's
moving windows, so two workers send no faster together than one alone. If Redis stops answering,
each worker goes on at the whole pace on its own rather than stop sending.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from typing import Protocol

from aiolimiter import AsyncLimiter
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from redis.exceptions import RedisError

from core.infra.settings import Settings

log = logging.getLogger(__name__)


class Pace(Protocol):
    async def turn(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` may go."""


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


class LocalPace:
    """This process's own buckets."""

    def __init__(self, settings: Settings) -> None:
        self.overall = AsyncLimiter(settings.send_rate_global, 1)
        self.chats = ChatLimiters(settings.send_rate_per_chat)

    async def turn(self, chat_id: int) -> None:
        await self.chats[chat_id].acquire()
        await self.overall.acquire()


def per_second(rate: float) -> RateLimitItem:
    """``rate`` messages a second as a window of whole messages and whole seconds."""
    if rate >= 1:
        return RateLimitItemPerSecond(round(rate), 1)
    return RateLimitItemPerSecond(1, math.ceil(1 / rate))


class SharedPace:
    """Moving windows in Redis, one for the bot and one per chat, shared by every worker."""

    def __init__(self, redis_url: str, settings: Settings, bot_id: int) -> None:
        # redis-py, which the product depends on already, rather than the library's default.
        storage = storage_from_string(f"async+{redis_url}", implementation="redispy")
        self.limiter = MovingWindowRateLimiter(storage)
        self.overall = per_second(settings.send_rate_global)
        self.chat = per_second(settings.send_rate_per_chat)
        self.namespace = f"incorruptible:send:{bot_id}"
        self.fallback = LocalPace(settings)

    async def turn(self, chat_id: int) -> None:
        try:
            await self._take(self.chat, "chat", str(chat_id))
            await self._take(self.overall, "bot")
        except (RedisError, OSError) as error:
            log.warning("Redis does not answer (%s): this worker keeps the pace alone", error)
            await self.fallback.turn(chat_id)

    async def _take(self, window: RateLimitItem, *names: str) -> None:
        while not await self.limiter.hit(window, self.namespace, *names):
            stats = await self.limiter.get_window_stats(window, self.namespace, *names)
            await asyncio.sleep(max(stats.reset_time - time.time(), 0.005))


def pace_for(settings: Settings, bot_id: int) -> Pace:
    """Shared when several workers can meet in Redis, else this process's own."""
    if settings.redis_url:
        return SharedPace(settings.redis_url, settings, bot_id)
    return LocalPace(settings)
