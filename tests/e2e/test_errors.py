"""What a handler's exception becomes (bot.errors), through the emulator."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.e2e.conftest import buttons


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_and_no_error_is_logged(
    chat, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.next_message()
        await ana.send("/encuestas")
        listing = await ana.next_message()
        # Ana blocks the bot, then presses a button it left: the question cannot reach her.
        await chat.client.block(ana.id)
        await ana.press(listing, buttons(listing)[0])
        for _ in range(200):
            person = await chat.person(ana)
            if not person.reachable:
                break
            await asyncio.sleep(0.05)
    assert person.reachable is False
    assert await chat.response(ana) is not None  # committed before the bot replied: kept
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    handled = [r.getMessage() for r in caplog.records if r.name == "aiogram.event"]
    assert handled and all(" is handled." in message for message in handled)
