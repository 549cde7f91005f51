"""``/idioma``: the person chooses Spanish or English; conversations under way follow."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import menu
from bot.conversation import Turn
from bot.filters import Command, Pressed, Registered
from bot.translation import _, use_language
from core.buttons import LanguageButton
from core.chat import responses
from core.models import Person
from i18n import LANGUAGES, N_

NAMES = {"es": "Español", "en": "English"}
# The language as a sentence names it, in the language being switched to ("en español").
IN_SENTENCE = {"es": N_("Spanish"), "en": N_("English")}


def create_router() -> Router:
    router = Router(name="language")
    router.message.register(choose, Command(*menu.LANGUAGE.names), Registered())
    router.callback_query.register(chosen, Pressed(LanguageButton), Registered())
    return router


async def choose(message: Message) -> None:
    buttons = [
        InlineKeyboardButton(text=NAMES[language], callback_data=LanguageButton(language).pack())
        for language in LANGUAGES
    ]
    await message.answer(
        _("Which language do you prefer?"),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[buttons]),
    )


async def chosen(
    callback: CallbackQuery, button: LanguageButton, turn: Turn, person: Person
) -> None:
    language = button.language
    person.language = language
    for response in await responses.unfinished(turn.session, person.id):
        response.state = {**response.state, "language": language}
    await turn.reply(callback)
    with use_language(language):
        if isinstance(callback.message, Message):
            await callback.message.edit_text(
                _("Done: I will write to you in {language}.", language=_(IN_SENTENCE[language]))
            )
    # A survey under way goes on where it was, now in the new language.
    if turn.under_way is not None:
        await turn.ask(callback, turn.under_way)
