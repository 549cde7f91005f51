"""Who may reach a handler, and how filters are checked."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, filters
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.magic_filter import MagicFilter

from core.buttons import Button
from core.chat import expected_text
from core.models import Person, utcnow


class Magic(Filter):
    """An ``F`` expression, checked on the event loop.

    aiogram runs a filter that is not a coroutine, a bare ``F`` among them, in a worker thread.
    An ``F`` check is a few attribute reads: the thread hop would cost far more than the check,
    several times per update.
    """

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> Any:
        # What aiogram would make of the bare ``F``: falsy fails, a dict (``.as_``) is passed on.
        return self.magic.resolve(event)


# A text typed as an answer or a comment: not a command, which always reaches its own handler.
TYPED_TEXT = F.text & ~F.text.startswith("/")
A_FILE = F.photo | F.document | F.voice | F.video | F.audio | F.video_note
TYPED = Magic(TYPED_TEXT)
FILES = Magic(A_FILE)


class Pressed(Filter):
    """A button of one of these kinds; the handler gets its payload as ``button``.

    Anything else, forged or stale, does not match, and the fallback answers it.
    """

    def __init__(self, *kinds: type[Button]) -> None:
        self.kinds = kinds

    async def __call__(self, callback: CallbackQuery) -> bool | dict[str, Any]:
        for kind in self.kinds:
            button = kind.unpack(callback.data)
            if button is not None:
                return {"button": button}
        return False


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
    commands, replies, anything that is not text, and the text a pressed button asked for.

    Most of what people send are typed answers to their current question. Checked once for the
    whole router, this lets an answer pass it with one look instead of one per handler.
    """

    async def __call__(self, message: Message, person: Person | None = None) -> bool:
        text = message.text
        return (
            text is None
            or text[:1] == "/"
            or message.reply_to_message is not None
            or expected_text.waiting(person, utcnow())
        )


class Registered(Filter):
    """Only people who joined; strangers reach /start, /ayuda and /privacidad alone."""

    async def __call__(self, event: TelegramObject, person: Person | None = None) -> bool:
        return person is not None


class Answers(Filter):
    """A message that answers a button of ``kind``: a reply to the message that carries it, or
    the next message after the button was pressed or its question asked (``expected_text``).
    The handler gets the button as ``replied``."""

    def __init__(self, kind: type[Button]) -> None:
        self.kind = kind

    async def __call__(
        self, message: Message, person: Person | None = None
    ) -> bool | dict[str, Any]:
        original = message.reply_to_message
        markup = original.reply_markup if original else None
        if isinstance(markup, InlineKeyboardMarkup):
            for row in markup.inline_keyboard:
                for button in row:
                    replied = self.kind.unpack(button.callback_data)
                    if replied is not None:
                        return {"replied": replied}
        expected = expected_text.expected(person, self.kind, utcnow())
        return {"replied": expected} if expected is not None else False
