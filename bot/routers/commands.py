"""``/ayuda`` (``/help``): what a person can do here, in their language and for their roles."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import Message

from bot import menu
from bot.conversation import Turn
from bot.filters import Command
from bot.translation import _, current_language
from core.models import Person


def create_router() -> Router:
    router = Router(name="commands")
    router.message.register(help_, Command(*menu.HELP.names))
    return router


async def help_(message: Message, person: Person | None, turn: Turn) -> None:
    if person is None:
        await message.answer(
            _(
                "This bot helps your state's anticorruption secretariat plan and follow its work "
                "together with civil society. It is used by invitation: open the invitation link "
                "you received, or ask your coordinator for one.\n\n"
                "/{command}: privacy notice",
                command=menu.PRIVACY.name(current_language()),
            )
        )
        return
    lines = [_("What you can do here:")]
    language = current_language()
    lines.extend(
        f"/{command.name(language)}: {_(command.description)}" for command in menu.offered(person)
    )
    lines.append(
        _(
            "While answering, you can tap “Back” to change the previous answer and “Skip” for "
            "optional questions. If the bot stops, just write again: your answers are kept."
        )
    )
    await message.answer("\n".join(lines))
    # Help asked in the middle of a survey: the question waits right below it again.
    if turn.under_way is not None:
        await turn.ask(message, turn.under_way)
