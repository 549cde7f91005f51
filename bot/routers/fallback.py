"""Whatever no other handler took: edited messages, unknown commands, stickers, contacts,
polls and the like, and buttons we do not know. Each gets a clear answer, and the question
under way is asked again."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot import menu
from bot.conversation import Turn
from bot.translation import _, current_language


def create_router() -> Router:
    router = Router(name="fallback")
    router.edited_message.register(edited)
    router.message.register(unexpected)
    router.callback_query.register(unknown_button)
    return router


async def edited(message: Message, turn: Turn) -> None:
    await _again(
        message,
        turn,
        _(
            "Editing a message does not change an answer already given. To change it, "
            "go back with “Back” and answer again."
        ),
    )


async def unexpected(message: Message, turn: Turn) -> None:
    text = message.text
    if text and text.startswith("/"):
        command = menu.named(text[1:].split(maxsplit=1)[0].split("@")[0])
        if turn.person is None:
            reason = _(
                "That command is for registered people. Join with your invitation link; "
                "meanwhile /ayuda and /privacidad are available."
            )
        elif command is not None and command.roles == menu.STAFF_SIDE:
            reason = _(menu.FOR_STAFF, command=command.name(current_language()))
        else:
            reason = _("I do not know that command. See /ayuda.")
    else:
        reason = _("I cannot use that kind of message here.")
    await _again(message, turn, reason)


async def _again(message: Message, turn: Turn, reason: str) -> None:
    await turn.reply(message, reason)
    if turn.under_way is not None:
        await turn.ask(message, turn.under_way)


async def unknown_button(callback: CallbackQuery) -> None:
    await callback.answer(_("This button is not valid anymore."), show_alert=True)
