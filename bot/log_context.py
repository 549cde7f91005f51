"""What every line logged while an update is handled says about it: the update's id, and the
sender's ids in our database, never their Telegram id, name or username.

The update's middlewares bind them (``bot.middlewares``) and keep them in the update's data:
the error handlers run after those middlewares have let go of them (aiogram's errors middleware
wraps every other), and ``ErrorContext`` binds them again around the handlers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from structlog.contextvars import bound_contextvars

if TYPE_CHECKING:
    from bot.middlewares import Handler  # which imports this module

KEPT = "log_context"


@contextlib.contextmanager
def binding(data: dict[str, Any], **ids: int) -> Iterator[None]:
    """``ids`` on the lines logged inside, and kept for the update's error handlers."""
    data.setdefault(KEPT, {}).update(ids)
    with bound_contextvars(**ids):
        yield


class ErrorContext(BaseMiddleware):
    """The error handlers log with the context of the update whose error they handle."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        with bound_contextvars(**data.get(KEPT, {})):
            return await handler(event, data)
