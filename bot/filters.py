"""Who may reach a handler."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from core.models import Person


class Registered(Filter):
    """Only people who joined; strangers reach /start, /ayuda and /privacidad alone."""

    async def __call__(self, event: TelegramObject, person: Person | None = None) -> bool:
        return person is not None
