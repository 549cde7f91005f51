"""What a handler's exception becomes, answered in one place for every router.

aiogram calls these after the update's session was rolled back and closed (its errors middleware
wraps every other), so they work in sessions of their own and read the person's language from
what the locale middleware left in the update's data, never from the expired person.

- A refusal (``DomainError``): nothing the handler began is kept, the update is recorded as
  handled, and the reason is said in the person's language: as an alert on the pressed button,
  or as a reply to the message.
- A person who blocked the bot while a handler replied (``TelegramForbiddenError``): marked
  unreachable, as the outbox does, and the update counts as handled; not an error to log.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, User
from sqlalchemy import select

from core.chat import updates
from core.errors import DomainError
from core.infra.db import SessionFactory
from core.models import Person, utcnow
from core.notify import outbox

log = logging.getLogger(__name__)


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(refused, ExceptionTypeFilter(DomainError))
    router.errors.register(blocked, ExceptionTypeFilter(TelegramForbiddenError))
    return router


async def refused(
    event: ErrorEvent,
    bot: Bot,
    session_factory: SessionFactory,
    language: str,
) -> None:
    """Say why the operation was refused, once, after everything it began was undone."""
    assert isinstance(event.exception, DomainError)
    update = event.update
    async with session_factory() as session:
        # Recorded as its handler would have: a copy delivered again is not answered twice.
        if not await updates.claim(session, bot.id, update.update_id):
            return
        await session.commit()
    text = event.exception.render(language)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


async def blocked(
    event: ErrorEvent, session_factory: SessionFactory, event_from_user: User | None = None
) -> None:
    """The person blocked the bot while it answered them: nothing more is sent to them."""
    if event_from_user is None:
        return
    async with session_factory() as session, session.begin():
        person = await session.scalar(
            select(Person).where(Person.telegram_id == event_from_user.id)
        )
        if person is not None:
            await outbox.person_unreachable(session, person, utcnow())
    log.info("telegram user %s blocked the bot while it answered them", event_from_user.id)
