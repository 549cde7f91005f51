"""The bot, assembled: ``create_dispatcher(settings, session_factory)`` and ``create_bot``."""

from __future__ import annotations

import orjson
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot import errors
from bot.log_context import ErrorContext
from bot.menu import MenuMiddleware
from bot.middlewares import DatabaseMiddleware, PersonMiddleware, RecoverAbandoned
from bot.routers import (
    commands,
    fallback,
    indicators,
    joining,
    language,
    meetings,
    privacy,
    surveys,
    tasks,
    toolbox,
    validation,
)
from bot.translation import LocaleMiddleware
from core.chat.definitions import DefinitionCatalog
from core.infra.db import SessionFactory, json_text
from core.infra.settings import Settings
from core.toolbox.manual import manual


def create_session(api_url: str) -> AiohttpSession:
    """aiogram's HTTP session to a Bot API server, reading and writing JSON with orjson: every
    update received and every request sent is JSON."""
    return AiohttpSession(
        api=TelegramAPIServer.from_base(api_url), json_loads=orjson.loads, json_dumps=json_text
    )


def create_bot(settings: Settings, token: str | None = None) -> Bot:
    """A Bot talking to the configured Bot API server (Telegram's, the emulator, self-hosted)."""
    token = token or (settings.bot_token.get_secret_value() if settings.bot_token else None)
    if not token:
        raise ValueError("a bot token is needed (INCORRUPTIBLE_BOT_TOKEN)")
    return Bot(token, session=create_session(str(settings.telegram_api_url)))


def create_dispatcher(
    settings: Settings,
    session_factory: SessionFactory,
    *,
    catalog: DefinitionCatalog | None = None,
) -> Dispatcher:
    catalog = catalog or DefinitionCatalog(settings.privacy_notice_version)
    # No finite-state machine: a conversation's state lives in the database (core.chat.responses).
    dispatcher = Dispatcher(
        disable_fsm=True,
        settings=settings,
        catalog=catalog,
        session_factory=session_factory,
        toolbox=manual(),
    )
    database = DatabaseMiddleware(session_factory)
    dispatcher.update.outer_middleware(database)
    dispatcher.startup.register(database.start)
    # Run when polling stops or the webhook closes, before the bot's HTTP session is closed.
    dispatcher.shutdown.register(database.finish_handling)
    dispatcher.update.outer_middleware(PersonMiddleware())
    dispatcher.update.outer_middleware(LocaleMiddleware())
    dispatcher.update.outer_middleware(RecoverAbandoned())
    dispatcher.update.outer_middleware(MenuMiddleware())
    dispatcher.errors.outer_middleware(ErrorContext())
    # Answers are most of what people send: their routers come first. A reply to a validation
    # or to a reminder is a comment or a report, and the text a question of a command asked for
    # (erasing one's data, a language) answers it, not the current survey, so those routers come
    # before the surveys' (a typed answer passes each with one check: see
    # bot.filters.BesidesTypedAnswers). The other routers handle commands and their own buttons
    # alone, so their place does not change who gets what; the fallback comes last.
    dispatcher.include_routers(
        validation.create_router(),
        tasks.create_router(),
        indicators.create_router(),
        meetings.create_router(),
        privacy.create_router(),
        language.create_router(),
        surveys.create_router(),
        joining.create_router(),
        commands.create_router(),
        toolbox.create_router(),
        fallback.create_router(),
        errors.create_router(),
    )
    return dispatcher
