"""The bot's commands, each declared once: its Spanish and English names (both work for
everyone), who it is for, and what the command menu says of it.

Telegram shows each person the menu set for their chat: the commands of their roles, named and
described in their language. It is set again before their next update is handled whenever it
would change (a new language, another role, a new command); who has not joined sees the menu of
every chat, with what a stranger can use.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Filter
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Person, Role
from core.toolbox.manual import CHAT_COMMAND
from core.validation.messages import PAUSE_COMMAND, RESUME_COMMAND
from i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext

# Only a type: the middlewares import ``bot.closings``, which uses this module.
if TYPE_CHECKING:
    from bot.middlewares import Handler

logger = logging.getLogger(__name__)
STAFF_SIDE = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF})
VALIDATORS = frozenset({Role.CIVIL_SOCIETY})


@dataclass(frozen=True)
class ChatCommand:
    spanish: str
    english: str
    description: str
    # The roles it is for; None: everyone who joined.
    roles: frozenset[Role] | None = None
    # Offered to who has not joined yet, too.
    public: bool = False

    @property
    def names(self) -> tuple[str, str]:
        return (self.spanish, self.english)

    def name(self, language: str) -> str:
        """How the menu and the help name it in ``language``."""
        return self.english if language == "en" else self.spanish

    def offered_to(self, roles: frozenset[Role] | None) -> bool:
        """Whether who holds ``roles`` sees it (None: who has not joined)."""
        if roles is None:
            return self.public
        return self.roles is None or bool(self.roles & roles)


TASKS = ChatCommand("tareas", "tasks", N_("My open tasks, to report their progress"), STAFF_SIDE)
INDICATORS = ChatCommand(
    "indicadores", "indicators", N_("My indicators, to report their values"), STAFF_SIDE
)
SURVEYS = ChatCommand("encuestas", "surveys", N_("My pending surveys and interviews"))
MEETINGS = ChatCommand("sesiones", "sessions", N_("My coming sessions, to say whether I attend"))
CHECK_IN = ChatCommand("asistencia", "checkin", N_("Check in at a session with its code"))
HELP = ChatCommand("ayuda", "help", N_("What this bot does and how to use it"), public=True)
LANGUAGE = ChatCommand("idioma", "language", N_("Change the language"))
PRIVACY = ChatCommand("privacidad", "privacy", N_("Privacy notice"), public=True)
MY_DATA = ChatCommand("mis_datos", "my_data", N_("What we hold about me"))
ERASE = ChatCommand("borrar_mis_datos", "delete_my_data", N_("Erase my personal data"))
AWAY = ChatCommand("ausente", "away", N_("Mark the days I will be away"), STAFF_SIDE)
CANCEL = ChatCommand("cancelar", "cancel", N_("Stop the current survey"))
TOOLBOX = ChatCommand(CHAT_COMMAND["es"], CHAT_COMMAND["en"], N_("The methodology manual"))
PAUSE_VALIDATIONS = ChatCommand(
    PAUSE_COMMAND["es"], PAUSE_COMMAND["en"], N_("Stop being asked to validate reports"), VALIDATORS
)
RESUME_VALIDATIONS = ChatCommand(
    RESUME_COMMAND["es"], RESUME_COMMAND["en"], N_("Be asked to validate reports again"), VALIDATORS
)
# What a command of the staff's answers someone else who types it.
FOR_STAFF = N_(
    "/{command} is for the secretariat's staff, who have tasks. See /ayuda for what you can do "
    "here."
)
MENU = (
    TASKS, INDICATORS, SURVEYS, MEETINGS, CHECK_IN, TOOLBOX, HELP, LANGUAGE, PRIVACY, MY_DATA,
    ERASE, AWAY, CANCEL, PAUSE_VALIDATIONS, RESUME_VALIDATIONS,
)  # fmt: skip


def named(name: str) -> ChatCommand | None:
    """The command with that name, in either language."""
    return next((command for command in MENU if name in command.names), None)


class For(Filter):
    """Only people the command is offered to; the fallback answers anyone else."""

    def __init__(self, command: ChatCommand) -> None:
        self.command = command

    async def __call__(self, event: TelegramObject, person: Person | None = None) -> bool:
        return self.command in offered(person)


def offered(person: Person | None) -> tuple[ChatCommand, ...]:
    """The commands of the menu for ``person`` (None: who has not joined), in menu order."""
    return _offered(None if person is None else frozenset(person.roles))


# Asked on every update of a person: worked out once per set of roles.
@cache
def _offered(roles: frozenset[Role] | None) -> tuple[ChatCommand, ...]:
    return tuple(command for command in MENU if command.offered_to(roles))


def menu(person: Person | None, language: str) -> list[BotCommand]:
    """The menu as Telegram takes it, in ``language``."""
    return [
        BotCommand(
            command=command.name(language), description=gettext(language, command.description)
        )
        for command in offered(person)
    ]


def menu_signature(person: Person) -> str:
    """A short fingerprint of the person's menu: when it changes, the menu is set again."""
    return _signature(person.language, frozenset(person.roles))


@cache
def _signature(language: str, roles: frozenset[Role]) -> str:
    shown = [(command.name(language), command.description) for command in _offered(roles)]
    return hashlib.sha256(repr((language, shown)).encode()).hexdigest()[:32]


async def set_default_menu(bot: Bot) -> None:
    """The menu of every chat, for who has not joined: one per language (Spanish for the rest)."""
    for language in LANGUAGES:
        code = None if language == DEFAULT_LANGUAGE else language
        await bot.set_my_commands(
            menu(None, language), scope=BotCommandScopeDefault(), language_code=code
        )


class MenuMiddleware(BaseMiddleware):
    """Before an update of a person who joined is handled, their chat's menu is set if it
    would change: by the time the bot answers, the menu fits who they are."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        person: Person | None = data.get("person")
        if person is not None and person.telegram_id is not None and person.erased_at is None:
            await _set_menu(data["bot"], data["session"], person, person.telegram_id)
        return await handler(event, data)


async def _set_menu(bot: Bot, session: AsyncSession, person: Person, chat_id: int) -> None:
    signature = menu_signature(person)
    if person.command_menu == signature:
        return
    scope = BotCommandScopeChat(chat_id=chat_id)
    try:
        await bot.set_my_commands(menu(person, person.language), scope=scope)
    except TelegramAPIError as error:
        # Tried again on the person's next update.
        logger.info("the menu of person %s was not set: %s", person.id, error)
        return
    person.command_menu = signature
    # The request committed what the update had done so far: this is a transaction of its own.
    await session.commit()
