"""What every update goes through before a handler: its transaction and who sent it.

Order matters and is set in ``create_dispatcher``: the database middleware opens the session
and claims the update id (a repeated update stops here), the person middleware finds the
sender among the people and the conversation they are in (the two name what they know on every
line logged meanwhile: ``bot.log_context``), and then the locale middleware (``bot.translation``)
picks the language of every reply.

What every request of the bot goes through is a ``RequestMiddleware``: ``CommitBeforeSending``
commits whatever the update's handler wrote before the bot says anything, so no reply ever gets
ahead of the answer it follows, and no transaction stays open (on SQLite: holding the write
lock) during a network call.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from functools import partial
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update, User
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import Turn
from bot.log_context import binding
from core.chat import responses, updates
from core.infra.db import SessionFactory
from core.models import Person, ResponseSession
from core.people import joining

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# A request to the Bot API, ready to be made.
Request = Callable[[], Awaitable[Response[TelegramType]]]


_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


class DatabaseMiddleware(BaseMiddleware):
    """One session per update; the update id is claimed in its first transaction.

    Handlers commit before replying (an answer is stored before the next question is sent);
    whatever is left is committed here, or rolled back on an error so the update can come again.
    """

    def __init__(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory
        self._handling: set[asyncio.Future[Any]] = set()

    async def finish_handling(self) -> None:
        """Wait for the updates being handled: a stopping bot answers what it has taken."""
        if self._handling:
            await asyncio.wait(self._handling)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        current = asyncio.current_task()
        if current is not None:
            self._handling.add(current)
        try:
            with binding(data, update_id=event.update_id):
                return await self._handle(handler, event, data)
        finally:
            self._handling.discard(current)

    async def _handle(self, handler: Handler, event: Update, data: dict[str, Any]) -> Any:
        async with self.session_factory() as session:
            if not await updates.claim(session, data["bot"].id, event.update_id):
                return None
            data["session"] = session
            token = _update_session.set(session)
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            finally:
                _update_session.reset(token)
            if session.in_transaction():
                await session.commit()
            return result


class RequestMiddleware(BaseRequestMiddleware):
    """A step on the way of every request of the bot: ``send`` makes the request, or not."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        return await self.send(partial(make_request, bot, method), method)

    @abstractmethod
    async def send(
        self, request: Request[TelegramType], method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        """What ``method``'s request gets: ``request()`` makes it, and gives its response."""


class CommitBeforeSending(RequestMiddleware):
    async def send(
        self, request: Request[TelegramType], method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        """The update's transaction is committed before the bot says anything."""
        session = _update_session.get()
        if session is not None and session.in_transaction():
            await session.commit()
        return await request()


class PersonMiddleware(BaseMiddleware):
    """``person``: the registered person behind the update, or None for a stranger; ``turn``:
    the update's work in chat (``bot.conversation.Turn``), with the conversation a message of
    theirs belongs to (the person's current one, a stranger's joining), or None."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        session = data["session"]
        person, under_way = await whose(session, user.id) if user is not None else (None, None)
        data["person"] = person
        data["turn"] = Turn(data["bot"], session, data["catalog"], person, under_way)
        if person is None:
            return await handler(event, data)
        with binding(data, person_id=person.id, secretariat_id=person.secretariat_id):
            return await handler(event, data)


async def whose(
    session: AsyncSession, telegram_id: int
) -> tuple[Person | None, ResponseSession | None]:
    """The registered person behind a Telegram account (None for a stranger) and the
    conversation their messages belong to: the person's current one, a stranger's joining."""
    person, under_way = await responses.sender(session, telegram_id)
    if person is None:
        under_way = await joining.under_way(session, telegram_id)
    return person, under_way
