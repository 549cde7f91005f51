"""Keeping the Bot API's response models built for the life of the process.

aiogram reads every answer of the Bot API with ``Response[ReturnType]``, a parametrized pydantic
model. pydantic caches those weakly, so a garbage collection can drop one between two requests,
and the next request builds it again: milliseconds of schema building on the way to a reply.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeepResponseModels(BaseRequestMiddleware):
    """Holds the response model of every method the bot has called."""

    def __init__(self) -> None:
        self.kept: dict[Any, type] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self.kept:
            self.kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
