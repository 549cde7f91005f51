"""What every update goes through before a handler: its transaction, who sent it, their language.

Order matters and is set in ``create_dispatcher``: the database middleware opens the session
and claims the update id (a repeated update stops here), the person middleware finds the
sender among the people, and the locale middleware picks the language of every reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram.utils.i18n import I18n, I18nMiddleware

from conversations.i18n import DEFAULT_LANGUAGE, DOMAIN, LOCALES_DIR, pick_language
from core.db import SessionFactory
from core.models import Person
from core.services import people, updates

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseMiddleware(BaseMiddleware):
    """One session per update; the update id is claimed in its first transaction.

    Handlers commit before replying (an answer is stored before the next question is sent);
    whatever is left is committed here, or rolled back on an error so the update can come again.
    """

    def __init__(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        async with self.session_factory() as session:
            if not await updates.claim(session, data["bot"].id, event.update_id):
                return None
            data["session"] = session
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
            return result


class PersonMiddleware(BaseMiddleware):
    """``person``: the registered person behind the update, or None for a stranger."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        data["person"] = (
            await people.by_telegram_id(data["session"], user.id) if user is not None else None
        )
        return await handler(event, data)


class LocaleMiddleware(I18nMiddleware):
    """The person's language, else the one their Telegram app uses, else Spanish."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return language_of(data.get("person"), data.get("event_from_user"))


def language_of(person: Person | None, user: User | None) -> str:
    if person is not None:
        return person.language
    return pick_language(user.language_code if user else None)


def create_i18n() -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain=DOMAIN)
