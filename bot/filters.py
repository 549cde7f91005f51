"""Who may reach a handler, and how filters are checked."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router, filters
from aiogram.filters import Filter
from aiogram.types import Message, TelegramObject
from aiogram.utils.magic_filter import MagicFilter

from core.models import Person

# A text typed as an answer or a comment: not a command, which always reaches its own handler.
TYPED = F.text & ~F.text.startswith("/")
FILES = F.photo | F.document | F.voice | F.video | F.audio | F.video_note


class Command(filters.Command):
    """aiogram's command filter, after a look at the first character.

    A text meets the commands of every router before its own handler. Most texts are answers:
    telling them apart by their first character costs far less than parsing them as commands.
    """

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        text = (message.text or message.caption) if isinstance(message, Message) else None
        if not text or text[0] not in self.prefix:
            return False
        return await super().__call__(message, bot)


class CommandStart(filters.CommandStart, Command):
    """``/start``, with the same first look."""


class BesidesTypedAnswers(Filter):
    """For a router that comes before the surveys' but takes no typed answer: it lets through
    commands, replies and anything that is not text.

    Most of what people send are typed answers to their current question. Checked once for the
    whole router, this lets an answer pass it with one look instead of one per handler.
    """

    async def __call__(self, message: Message) -> bool:
        text = message.text
        return text is None or text[:1] == "/" or message.reply_to_message is not None


class Registered(Filter):
    """Only people who joined; strangers reach /start, /ayuda and /privacidad alone."""

    async def __call__(self, event: TelegramObject, person: Person | None = None) -> bool:
        return person is not None


def check_magic_filters_on_loop(root: Router) -> None:
    """Resolve every ``F`` filter of ``root`` and its routers on the event loop.

    aiogram runs a filter that is not a coroutine in a worker thread. An ``F`` filter is a few
    attribute reads: the thread hop costs far more than the check, several times per update.
    """
    for router in root.chain_tail:
        for observer in router.observers.values():
            for handler in observer.handlers:
                for event_filter in handler.filters or ():
                    if event_filter.magic is not None and not event_filter.awaitable:
                        event_filter.callback = _resolver(event_filter.magic)
                        event_filter.awaitable = True


def _resolver(magic: MagicFilter):
    async def resolve(value: Any) -> Any:
        return magic.resolve(value)

    return resolve
