"""An emulator per test, the real aiogram Bot pointed at it, and the control API client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from emulator.client import EmulatorClient
from emulator.server import Emulator
from tests.support import telegram
from tests.support.telegram import TOKEN


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
