"""``/ayuda`` and the command menu shown by Telegram, in Spanish and English."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import BotCommand, BotCommandScopeDefault, Message

from bot.filters import Command
from bot.translation import _
from core.models import Person
from i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext

# Command names stay in Spanish, the product's language; their descriptions are translated.
MENU = [
    ("tareas", N_("My open tasks, to report their progress")),
    ("encuestas", N_("My pending surveys and interviews")),
    ("ayuda", N_("What this bot does and how to use it")),
    ("idioma", N_("Change the language")),
    ("privacidad", N_("Privacy notice")),
    ("mis_datos", N_("What we hold about me")),
    ("borrar_mis_datos", N_("Erase my personal data")),
    ("ausente", N_("Mark the days I will be away")),
    ("cancelar", N_("Stop the current survey")),
]


def create_router() -> Router:
    router = Router(name="commands")
    router.message.register(help_, Command("ayuda"))
    return router


async def help_(message: Message, person: Person | None) -> None:
    if person is None:
        await message.answer(
            _(
                "This bot helps your state's anticorruption secretariat plan and follow its work "
                "together with civil society. It is used by invitation: open the invitation link "
                "you received, or ask your coordinator for one.\n\n"
                "/privacidad: privacy notice"
            )
        )
        return
    lines = [_("What you can do here:")]
    lines.extend(f"/{name}: {_(description)}" for name, description in MENU)
    lines.append(
        _(
            "While answering, you can tap “Back” to change the previous answer and “Skip” for "
            "optional questions. If the bot stops, just write again: your answers are kept."
        )
    )
    await message.answer("\n".join(lines))


async def set_menu(bot: Bot) -> None:
    """The command menu in each language (Spanish also for every other language)."""
    for language in LANGUAGES:
        commands = [
            BotCommand(command=name, description=gettext(language, description))
            for name, description in MENU
        ]
        code = None if language == DEFAULT_LANGUAGE else language
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=code)
