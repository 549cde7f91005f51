"""What a handler's exception becomes (bot.errors), through the emulator."""

from __future__ import annotations

import logging

import pytest


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_and_no_error_is_logged(
    chat, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    async with chat.running():
        ana, person = await chat.blocked_while_pressing()
    assert person is not None and person.reachable is False
    assert await chat.response(ana) is not None  # committed before the bot replied: kept
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    handled = [r.getMessage() for r in caplog.records if r.name == "aiogram.event"]
    assert handled and all(" is handled." in message for message in handled)
