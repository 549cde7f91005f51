"""The language of the update being handled, and ``_``: its replies in that language.

Every layer translates through ``i18n``; the bot only remembers, for the update
at hand, whose language to use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from core.models import Person
from i18n import DEFAULT_LANGUAGE, gettext, pick_language

if TYPE_CHECKING:
    from bot.middlewares import Handler  # which imports this module

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _(message: str, /, **params: Any) -> str:
    """``message`` in the language of the update being handled, formatted with ``params``."""
    return gettext(_language.get(), message, **params)


def current_language() -> str:
    """The language of the update being handled."""
    return _language.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Reply in ``language`` inside the block (someone who just chose another one)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def language_of(person: Person | None, user: User | None) -> str:
    """The person's language, else the one their Telegram app uses, else Spanish."""
    if person is not None:
        return person.language
    return pick_language(user.language_code if user else None)


class LocaleMiddleware(BaseMiddleware):
    """Sets the language of every reply to an update (after the person middleware), and leaves
    it in the update's data as ``language`` for the errors handlers (``bot.errors``)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        language = data["language"] = language_of(data.get("person"), data.get("event_from_user"))
        with use_language(language):
            return await handler(event, data)
