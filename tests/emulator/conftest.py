"""An emulator per test, the real aiogram Bot pointed at it, and the control API client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiogram import Bot
from aiohttp import web

from emulator.client import EmulatorClient
from emulator.server import Emulator
from tests.support import telegram
from tests.support.telegram import TOKEN
from tests.support.webhook import Receiver


def aiogram_bot(emulator: Emulator, token: str = TOKEN) -> Bot:
    return telegram.aiogram_bot(emulator.base_url, token)


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(tokens=[TOKEN], webhook_retry=0.05) as running:
        yield running


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    bot = aiogram_bot(emulator)
    yield bot
    await bot.session.close()


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.base_url) as client:
        yield client


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Receiver], Awaitable[str]]]:
    """Serves a receiver at a local URL (given back) until the test ends."""
    runners = []

    async def start(receiver: Receiver) -> str:
        app = web.Application()
        app.router.add_post("/hook", receiver.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/hook"

    yield start
    for runner in runners:
        await runner.cleanup()
