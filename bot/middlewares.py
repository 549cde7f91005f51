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
import contextlib
import time
from abc import abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
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
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.types.update import UpdateTypeLookupError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import Turn, chat_of
from bot.log_context import binding
from bot.translation import _
from core.chat import responses, updates
from core.errors import DomainError
from core.infra import liveness
from core.infra.db import SessionFactory
from core.models import Person, ResponseSession, ResponseStatus
from core.monitoring import metrics
from core.people import joining

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# A request to the Bot API, ready to be made.
Request = Callable[[], Awaitable[Response[TelegramType]]]


_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


class InTurn:
    """One update at a time from each person, in the order they came: a file still being
    downloaded is stored before the "Done" sent after it ends the report.

    Updates are handled as concurrent tasks; each waits here for the ones before it from the
    same person (``asyncio.Lock`` wakes its waiters in order). A lock lives while someone holds
    or awaits it.
    """

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def of(self, user_id: int | None) -> AsyncIterator[None]:
        if user_id is None:  # no sender: nothing to keep in order
            yield
            return
        lock, waiting = self._locks.get(user_id, (asyncio.Lock(), 0))
        self._locks[user_id] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._locks[user_id]
            if waiting == 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, waiting - 1)


class DatabaseMiddleware(BaseMiddleware):
    """One session per update; the update id is claimed in its first transaction. Every
    update is counted and timed here by outcome (``core.monitoring.metrics.UPDATES``).

    Handlers commit before replying (an answer is stored before the next question is sent);
    whatever is left is committed here with the mark that the update was handled to the end, or
    rolled back on an error so the update can come again. An update whose handler died between
    committing and replying is marked ``abandoned`` for ``RecoverAbandoned``.
    """

    def __init__(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory
        self._handling: set[asyncio.Future[Any]] = set()
        self._process: liveness.Process | None = None
        self._known = contextlib.AsyncExitStack()
        self._starting = asyncio.Lock()
        self._turns = InTurn()

    async def start(self) -> None:
        """Make this process known as a handler of updates (see ``core.chat.updates``)."""
        async with self._starting:
            if self._process is None:
                engine = self.session_factory.kw["bind"]
                self._process = await self._known.enter_async_context(liveness.alive(engine))

    async def finish_handling(self) -> None:
        """Wait for the updates being handled: a stopping bot answers what it has taken."""
        if self._handling:
            await asyncio.wait(self._handling)
        await self._known.aclose()
        self._process = None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        current = asyncio.current_task()
        if current is not None:
            self._handling.add(current)
        started = time.perf_counter()
        outcome = "failed"
        try:
            sender: User | None = data.get("event_from_user")
            async with self._turns.of(sender.id if sender else None):
                with binding(data, update_id=event.update_id):
                    outcome, result = await self._handle(handler, event, data)
            return result
        except DomainError:
            outcome = "refused"  # answered by the errors router, as a rule says
            raise
        finally:
            self._handling.discard(current)
            metrics.update_handled(_kind(event), outcome, time.perf_counter() - started)

    async def _handle(
        self, handler: Handler, event: Update, data: dict[str, Any]
    ) -> tuple[str, Any]:
        """The update's outcome (handled, a duplicate of one handled or being handled, or taken
        over from a process that died) and its result."""
        if self._process is None:
            await self.start()
        assert self._process is not None
        bot_id = data["bot"].id
        async with self.session_factory() as session:
            claim = await updates.claim(session, bot_id, event.update_id, self._process)
            if claim is updates.Claim.SEEN:
                return "duplicate", None
            data["session"] = session
            data["abandoned"] = claim is updates.Claim.ABANDONED
            token = _update_session.set(session)
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            finally:
                _update_session.reset(token)
            await updates.finish(session, bot_id, event.update_id)
            await session.commit()
            return ("recovered" if data["abandoned"] else "handled"), result


def _kind(update: Update) -> str:
    """The update's type (message, callback_query...), from Telegram's bounded list."""
    try:
        return update.event_type
    except UpdateTypeLookupError:
        return "unknown"


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


class RecoverAbandoned(BaseMiddleware):
    """An update whose first handler died after committing is not handled again: what it
    wrote is kept, and what it would have said is lost. The person is told their message arrived
    and, in a conversation, asked its current question (after the locale middleware)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not data.get("abandoned"):
            return await handler(event, data)
        assert isinstance(event, Update)
        inner = event.event
        if not isinstance(inner, Message | CallbackQuery):
            return None
        turn: Turn = data["turn"]
        await turn.session.commit()
        await turn.bot.send_message(chat_of(inner), _("I got your last message."))
        if turn.under_way is not None and turn.under_way.status == ResponseStatus.ACTIVE:
            await turn.ask(inner, turn.under_way)
        return None
