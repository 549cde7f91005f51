"""``/health``, ``/ready`` and ``/metrics`` of the bot's aiohttp apps: the webhook's, and the
worker's own small server.

``/health`` says the process answers (nothing else is asked); ``/ready`` runs the checks of
``core.monitoring.readiness`` and asks the Bot API who the bot is (getMe), remembering the
answer for ``BOT_API_MEMORY`` seconds so that frequent probes do not become requests to
Telegram; ``/metrics`` is ``core.monitoring.metrics`` in Prometheus's text format.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import AsyncIterator

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiohttp import web

from core.infra.db import SessionFactory
from core.monitoring import metrics, readiness

BOT_API_MEMORY = 30.0
# Seconds getMe may take; under the readiness timeout, so a failure is remembered too.
BOT_API_TIMEOUT = 2


def bot_api(bot: Bot) -> readiness.Check:
    """The Bot API answers getMe; an answer, good or bad, holds for ``BOT_API_MEMORY`` s."""
    asked_at: float | None = None
    problem: str | None = None

    async def probe() -> None:
        nonlocal asked_at, problem
        if asked_at is None or time.monotonic() - asked_at > BOT_API_MEMORY:
            try:
                await bot.get_me(request_timeout=BOT_API_TIMEOUT)
                problem = None
            except (TelegramAPIError, OSError) as error:  # network failures included
                problem = f"getMe failed: {error}"
            asked_at = time.monotonic()
        if problem is not None:
            raise readiness.NotReady(problem)

    return readiness.Check("bot_api", probe)


def add_routes(app: web.Application, bot: Bot, session_factory: SessionFactory) -> None:
    """Serve ``/health``, ``/ready`` and ``/metrics`` from ``app``."""
    checks = [*readiness.service_checks(session_factory), bot_api(bot)]
    pools = {"main": session_factory.kw["bind"]}

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def ready(_request: web.Request) -> web.Response:
        report = await readiness.run(checks)
        return web.json_response(report.as_json(), status=200 if report.ready else 503)

    async def scrape(_request: web.Request) -> web.Response:
        body = await metrics.scrape(session_factory, pools)
        return web.Response(body=body, headers={"Content-Type": metrics.MEDIA_TYPE})

    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/metrics", scrape)


@contextlib.asynccontextmanager
async def serving(
    bot: Bot, session_factory: SessionFactory, server: socket.socket
) -> AsyncIterator[None]:
    """A server of the probes alone (the worker's), answering on the bound socket ``server``
    until the block ends."""
    app = web.Application()
    add_routes(app, bot, session_factory)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        await web.SockSite(runner, server).start()
        yield
    finally:
        await runner.cleanup()
