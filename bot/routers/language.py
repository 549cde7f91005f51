"""``/idioma``: the person chooses Spanish or English; conversations under way follow."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import menu
from bot.conversation import Turn
from bot.filters import TYPED, Answers, BesidesTypedAnswers, Command, Pressed, Registered
from bot.translation import _, use_language
from conversations.answers import match_choice
from core.buttons import LanguageButton
from core.chat import expected_text, responses
from core.models import Person, utcnow
from i18n import LANGUAGES, N_

NAMES = {"es": "Español", "en": "English"}
# The language as a sentence names it, in the language being switched to ("en español").
IN_SENTENCE = {"es": N_("Spanish"), "en": N_("English")}


def create_router() -> Router:
    router = Router(name="language")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(choose, Command(*menu.LANGUAGE.names), Registered())
    router.message.register(typed, Answers(LanguageButton), TYPED, Registered())
    router.callback_query.register(chosen, Pressed(LanguageButton), Registered())
    return router


def _buttons() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=NAMES[language], callback_data=LanguageButton(language).pack())
        for language in LANGUAGES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def choose(message: Message, turn: Turn, person: Person) -> None:
    # The next message answers this question, ahead of any conversation under way (any of its
    # buttons stands for the question).
    expected_text.expect(person, LanguageButton(LANGUAGES[0]), utcnow())
    await turn.reply(message, _("Which language do you prefer?"), _buttons())


async def typed(message: Message, turn: Turn, person: Person) -> None:
    """The language typed instead of tapped (its name, its name in the person's language, or
    its code), or the question again."""
    text = message.text or ""
    named: list[tuple[str, str]] = [(language, NAMES[language]) for language in LANGUAGES]
    said: list[tuple[str, str]] = [(language, _(IN_SENTENCE[language])) for language in LANGUAGES]
    language = match_choice(text, named) or match_choice(text, said)
    if language is None:
        await turn.reply(
            message,
            _("Please tap one of the buttons. Which language do you prefer?"),
            _buttons(),
        )
        return
    await _switch(turn, person, language)
    with use_language(language):
        await message.answer(_done(language))
    await _go_on(message, turn)


async def chosen(
    callback: CallbackQuery, button: LanguageButton, turn: Turn, person: Person
) -> None:
    language = button.language
    await _switch(turn, person, language)
    await turn.reply(callback)
    with use_language(language):
        if isinstance(callback.message, Message):
            await callback.message.edit_text(_done(language))
    await _go_on(callback, turn)


async def _switch(turn: Turn, person: Person, language: str) -> None:
    expected_text.received(person)
    person.language = language
    for response in await responses.unfinished(turn.session, person.id):
        response.state = {**response.state, "language": language}
    await turn.session.commit()


def _done(language: str) -> str:
    return _("Done: I will write to you in {language}.", language=_(IN_SENTENCE[language]))


async def _go_on(event: Message | CallbackQuery, turn: Turn) -> None:
    # A survey under way goes on where it was, now in the new language.
    if turn.under_way is not None:
        await turn.ask(event, turn.under_way)
