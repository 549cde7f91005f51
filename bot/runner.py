"""The bot's entry points: long polling, or a webhook whose secret token is checked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot import probes
from bot.dispatcher import create_bot, create_dispatcher
from bot.menu import set_default_menu
from bot.middlewares import CommitBeforeSending
from bot.response_models import KeepResponseModels
from bot.retry import RetryAfter
from bot.worker import run_worker
from core.chat import updates
from core.chat.definitions import DefinitionCatalog
from core.infra.db import SessionFactory
from core.infra.heap import settle_heap
from core.infra.periodic import every
from core.infra.settings import WEBHOOK_SECRET, Settings
from core.infra.stopping import stop_when_cancelled

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
# Telegram keeps an undelivered update for 24 hours; ids older than this never come back.
UPDATE_MEMORY = timedelta(days=2)
CLEANUP_EVERY = 3600.0


async def forget_old_updates(session_factory: SessionFactory) -> None:
    async def forget() -> None:
        async with session_factory() as session, session.begin():
            await updates.forget_older_than(session, UPDATE_MEMORY)

    await every(CLEANUP_EVERY, forget, what="forgetting old update ids")


@contextlib.asynccontextmanager
async def background(bot: Bot, dispatcher: Dispatcher, *, worker: bool) -> AsyncIterator[None]:
    """The work a running bot does on its own: its menu, forgetting the ids of updates too old
    to come again, and with ``worker`` the worker (reminders, validation deadlines, the outbox),
    which a deployment with workers of its own leaves to them."""
    await set_default_menu(bot)
    settle_heap()
    session_factory = dispatcher["session_factory"]
    tasks = [asyncio.create_task(forget_old_updates(session_factory))]
    if worker:
        tasks.append(
            asyncio.create_task(
                run_worker(
                    bot, session_factory, dispatcher["settings"], catalog=dispatcher["catalog"]
                )
            )
        )
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def prepare(
    settings: Settings,
    session_factory: SessionFactory,
    bot: Bot | None = None,
    catalog: DefinitionCatalog | None = None,
) -> tuple[Bot, Dispatcher]:
    """The bot (retrying when Telegram says to wait) and its dispatcher."""
    bot = bot or create_bot(settings)
    bot.session.middleware(KeepResponseModels())
    bot.session.middleware(CommitBeforeSending())
    bot.session.middleware(RetryAfter())
    return bot, create_dispatcher(settings, session_factory, catalog=catalog)


async def poll(bot: Bot, dispatcher: Dispatcher, *, worker: bool = True) -> None:
    """Long polling until ``dispatcher.stop_polling()`` or cancellation, which stops polling
    gracefully: the updates being handled are answered first."""
    async with background(bot, dispatcher, worker=worker):
        await bot.delete_webhook()
        polling = dispatcher.start_polling(
            bot, handle_signals=False, allowed_updates=dispatcher.resolve_used_update_types()
        )
        await stop_when_cancelled(polling, dispatcher.stop_polling)


def create_webhook_app(bot: Bot, dispatcher: Dispatcher, secret: str) -> web.Application:
    """An aiohttp app receiving updates at WEBHOOK_PATH; a request without the secret is refused.
    It also answers ``/health``, ``/ready`` and ``/metrics`` (``bot.probes``).

    Updates are handled before answering, so a failure makes Telegram deliver again (and the
    update-id record makes that harmless).
    """
    # aiogram checks nothing when the secret is empty: refuse rather than accept any update.
    if not WEBHOOK_SECRET.fullmatch(secret):
        raise ValueError("the webhook secret must be 32 to 256 of A-Z, a-z, 0-9, _ and -")
    app = web.Application()
    handler = SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token=secret)
    handler.register(app, path=WEBHOOK_PATH)
    probes.add_routes(app, bot, dispatcher["session_factory"])
    setup_application(app, dispatcher, bot=bot)
    return app


async def serve_webhook(bot: Bot, dispatcher: Dispatcher, *, worker: bool = True) -> None:
    """Receive updates by webhook at the configured public URL until cancelled.

    Any number of these processes may listen on one port (``SO_REUSEPORT``: the kernel shares
    the connections out) or behind a proxy: the update-id record lets each update be handled
    once whichever process it reaches.
    """
    settings: Settings = dispatcher["settings"]
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError(
            "a webhook needs INCORRUPTIBLE_WEBHOOK_URL and INCORRUPTIBLE_WEBHOOK_SECRET"
        )
    secret = settings.webhook_secret.get_secret_value()
    host, port = settings.webhook_host, settings.webhook_port
    runner = web.AppRunner(create_webhook_app(bot, dispatcher, secret), handle_signals=False)
    await runner.setup()
    async with background(bot, dispatcher, worker=worker):
        await web.TCPSite(runner, host, port, reuse_port=True).start()
        # Every replica sets the same webhook as it starts: the calls agree, and the updates
        # that waited for a deployment are kept (drop_pending_updates off).
        await bot.set_webhook(
            str(settings.webhook_url),
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        log.info("receiving updates by webhook on %s:%s", host, port)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
            await bot.session.close()
