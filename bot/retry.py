"""Requests to the Bot API wait and retry when told to slow down (HTTP 429 ``retry_after``)."""

from __future__ import annotations

import asyncio
import logging

from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.middlewares import Request, RequestMiddleware

log = logging.getLogger(__name__)


class RetryAfter(RequestMiddleware):
    def __init__(self, attempts: int = 5, longest_wait: float = 60.0) -> None:
        self.attempts = attempts
        self.longest_wait = longest_wait

    async def send(
        self, request: Request[TelegramType], method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        """The request, made again after each wait Telegram asks for, within the limits."""
        for attempt in range(1, self.attempts + 1):
            try:
                return await request()
            except TelegramRetryAfter as slow_down:
                if attempt == self.attempts or slow_down.retry_after > self.longest_wait:
                    raise
                log.info("%s: told to wait %s s", type(method).__name__, slow_down.retry_after)
                await asyncio.sleep(slow_down.retry_after)
        raise AssertionError("unreachable")
