"""Telegram's flood limits and the faults a test can inject.

Limits are token buckets (overall, per chat, per group) applied to the methods that send
messages. Faults are set through the control API: the next N calls fail with a status, a
slow-down delays responses, and chats can block the bot (kept in the world's chat logs).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from emulator.errors import ApiError, ServerError, TooManyRequests


@dataclass
class RateLimits:
    """Sending limits; ``enabled=False`` lets benchmarks send as fast as they can."""

    enabled: bool = True
    global_per_second: float = 30.0
    global_burst: float = 30.0
    per_chat_per_second: float = 1.0
    per_chat_burst: float = 3.0
    per_group_per_minute: float = 20.0
    per_group_burst: float = 20.0


class Bucket:
    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def wait_needed(self, now: float) -> float:
        """Seconds until one token is available (0 when one is there)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class RateLimiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global: dict[str, Bucket] = {}
        self._chats: dict[tuple[str, int], Bucket] = {}

    def configure(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global.clear()
        self._chats.clear()

    def check(self, token: str, chat_id: int, is_group: bool) -> None:
        """Count one message to ``chat_id`` or raise 429 with ``retry_after``."""
        limits = self.limits
        if not limits.enabled:
            return
        now = time.monotonic()
        overall = self._global.get(token)
        if overall is None:
            overall = self._global[token] = Bucket(limits.global_per_second, limits.global_burst)
        chat = self._chats.get((token, chat_id))
        if chat is None:
            if is_group:
                chat = Bucket(limits.per_group_per_minute / 60, limits.per_group_burst)
            else:
                chat = Bucket(limits.per_chat_per_second, limits.per_chat_burst)
            self._chats[(token, chat_id)] = chat
        wait = max(overall.wait_needed(now), chat.wait_needed(now))
        if wait > 0:
            raise TooManyRequests(max(1, math.ceil(wait)))
        overall.take()
        chat.take()


@dataclass
class Faults:
    """Failures to inject: ``failures`` calls left to fail with ``status``; a delay per call.
    Both concern only ``methods`` where it names some."""

    failures: int = 0
    status: int = 500
    retry_after: int = 1
    methods: set[str] = field(default_factory=set)
    delay: float = 0.0
    delayed_calls: int | None = None

    def next_failure(self, method: str) -> ApiError | None:
        if self.failures <= 0 or (self.methods and method not in self.methods):
            return None
        self.failures -= 1
        if self.status == 429:
            return TooManyRequests(self.retry_after)
        return ServerError(self.status)

    def next_delay(self, method: str) -> float:
        if self.delay <= 0 or (self.methods and method not in self.methods):
            return 0.0
        if self.delayed_calls is not None:
            if self.delayed_calls <= 0:
                return 0.0
            self.delayed_calls -= 1
        return self.delay
