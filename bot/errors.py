"""What a handler's exception becomes, answered in one place for every router.

aiogram calls these after the update's session was rolled back and closed (its errors middleware
wraps every other), so they work in sessions of their own and read the person's language from
what the locale middleware left in the update's data, never from the expired person.

- A refusal (``DomainError``): nothing the handler began is kept, the update is recorded as
  handled, and the reason is said in the person's language: as an alert on the pressed button,
  or as a reply to the message.
- A person who blocked the bot while a handler replied (``TelegramForbiddenError``): marked
  unreachable, as the outbox does, and the update counts as handled; not an error to log.
- Anything else (Telegram unavailable for a moment, a bug): logged with its traceback, and the
  person is told, with the question they are at now, to send what they sent again. The update's
  id may already be recorded (it is committed before the first request to Telegram), so a
  redelivered copy would be ignored: the person is told rather than left in silence.
"""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, Update, User
from sqlalchemy import select

from bot.conversation import send_rendered, with_lead
from bot.middlewares import whose
from bot.rendering import render_step
from core.chat import responses, updates
from core.chat.definitions import DefinitionCatalog
from core.errors import DomainError
from core.infra.db import SessionFactory
from core.models import Person, utcnow
from core.notify import outbox
from i18n import DEFAULT_LANGUAGE, N_, gettext

log = logging.getLogger(__name__)
SEND_AGAIN = N_(
    "Something went wrong on our side and your last message was not handled. Please send it again."
)
ANSWER_AGAIN = N_(
    "Something went wrong on our side. Here is your current question: if it is the one you "
    "just answered, please answer it again."
)


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(refused, ExceptionTypeFilter(DomainError))
    router.errors.register(blocked, ExceptionTypeFilter(TelegramForbiddenError))
    router.errors.register(failed, ExceptionTypeFilter(Exception))
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
    await _record_handled(session_factory, bot, update)
    text = event.exception.render(language)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


async def failed(
    event: ErrorEvent,
    bot: Bot,
    session_factory: SessionFactory,
    catalog: DefinitionCatalog,
    language: str = DEFAULT_LANGUAGE,
    event_from_user: User | None = None,
) -> None:
    """Log the failure, and ask the person to send again, showing where they are now."""
    update = event.update
    log.error("update %s failed", update.update_id, exc_info=event.exception)
    await _record_handled(session_factory, bot, update)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramAPIError):  # an old press can no longer be answered
            await update.callback_query.answer()
    elif update.message is None and update.edited_message is None:
        return  # not something a person sent: nobody waits for an answer
    if event_from_user is None:
        return
    async with session_factory() as session:
        _person, under_way = await whose(session, event_from_user.id)
        step = await responses.current_step(session, catalog, under_way) if under_way else None
    if under_way is None or step is None:
        await bot.send_message(event_from_user.id, gettext(language, SEND_AGAIN))
        return
    rendered = render_step(step, under_way.id, under_way.step)
    reason = gettext(language, ANSWER_AGAIN)
    await send_rendered(bot, event_from_user.id, with_lead(reason, rendered))


async def _record_handled(session_factory: SessionFactory, bot: Bot, update: Update) -> None:
    """Record the update as its handler would have (its transaction was rolled back, or was
    committed with the id already): a copy delivered again is not answered twice."""
    async with session_factory() as session:
        await updates.close(session, bot.id, update.update_id)


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
    log.info("the sender blocked the bot while it answered them")
