"""The emulator, the real aiogram Bot pointed at it over HTTP, and the people's client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiogram import Bot

from bot.dispatcher import create_session
from emulator.client import EmulatorClient
from emulator.limits import RateLimits
from emulator.server import Emulator

TOKEN = "4242:emulator-test-token"


@dataclass
class Telegram:
    emulator: Emulator
    bot: Bot
    people: EmulatorClient


def aiogram_bot(base_url: str, token: str = TOKEN) -> Bot:
    return Bot(token, session=create_session(base_url))


@asynccontextmanager
async def emulated(
    rate_limits: RateLimits | None = None, **options: Any
) -> AsyncIterator[Telegram]:
    """An emulator (``options`` as its own: ``state_dir``, ``port``...) and its bot and people."""
    async with Emulator(tokens=[TOKEN], rate_limits=rate_limits, **options) as emulator:
        bot = aiogram_bot(emulator.base_url)
        async with EmulatorClient(emulator.base_url) as people:
            try:
                yield Telegram(emulator, bot, people)
            finally:
                await bot.session.close()
