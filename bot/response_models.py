"""Keeping the Bot API's response models built for the life of the process.

aiogram reads every answer of the Bot API with ``Response[ReturnType]``, a parametrized pydantic
model. pydantic caches those weakly, so a garbage collection can drop one between two requests,
and the next request builds it again: milliseconds of schema building on the way to a reply.
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.middlewares import Request, RequestMiddleware


class KeepResponseModels(RequestMiddleware):
    """Holds the response model of every method the bot has called."""

    def __init__(self) -> None:
        self.kept: dict[Any, type] = {}

    async def send(
        self, request: Request[TelegramType], method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        """Keeps the response model of ``method``, then makes the request."""
        returning = method.__returning__
        if returning not in self.kept:
            self.kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await request()
