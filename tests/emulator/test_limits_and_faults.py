"""Flood limits answered with 429 and retry_after; faults injected through the control API."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)

from emulator.client import EmulatorClient
from emulator.limits import RateLimits
from emulator.server import Emulator
from tests.emulator.conftest import TOKEN, aiogram_bot


async def test_burst_to_one_chat_gets_429_with_retry_after(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    sent = 0
    with pytest.raises(TelegramRetryAfter) as refused:
        for number in range(10):
            await bot.send_message(ana.id, f"mensaje {number}")
            sent += 1
    assert sent == 3  # the per-chat burst
    assert refused.value.retry_after >= 1
    # Other chats are not held back by this one.
    luis = await client.user("Luis")
    assert (await bot.send_message(luis.id, "hola")).text == "hola"


async def test_overall_limit_across_chats():
    limits = RateLimits(global_per_second=5, global_burst=5)
    async with Emulator(tokens=[TOKEN], rate_limits=limits) as emulator:
        bot = aiogram_bot(emulator)
        try:
            async with EmulatorClient(emulator.base_url) as client:
                people = [await client.user(f"P{n}") for n in range(8)]
                answers = await asyncio.gather(
                    *(bot.send_message(person.id, "hola") for person in people),
                    return_exceptions=True,
                )
        finally:
            await bot.session.close()
    refused = [a for a in answers if isinstance(a, TelegramRetryAfter)]
    assert len(refused) == 3


async def test_group_limit_per_minute(bot: Bot, client: EmulatorClient):
    await client.set_limits(per_group_per_minute=2, per_group_burst=2)
    ana = await client.user("Ana")
    group = await client.group("Comité", [ana])
    await bot.send_message(group["id"], "uno")
    await bot.send_message(group["id"], "dos")
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(group["id"], "tres")
    assert refused.value.retry_after >= 20


async def test_next_calls_fail_as_injected(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    await client.set_faults(failures=2, status=502, methods=["sendMessage"])
    assert (await bot.get_me()).is_bot  # other methods are untouched
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(ana.id, "hola")
    assert (await bot.send_message(ana.id, "hola")).text == "hola"

    await client.set_faults(failures=1, status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.get_me()
    assert refused.value.retry_after == 7
    await client.set_faults(failures=1, status=500)
    with pytest.raises(TelegramServerError):
        await bot.get_me()


async def test_slow_responses(bot: Bot, client: EmulatorClient):
    await client.set_faults(delay=0.3, delayed_calls=1)
    assert (await client.request("GET", "/control/faults"))["delayed_calls"] == 1
    await bot.get_me()
    assert (await client.request("GET", "/control/faults"))["delayed_calls"] == 0


async def test_a_delay_named_for_a_method_slows_that_method_alone(bot: Bot, client: EmulatorClient):
    await client.set_faults(delay=0.3, delayed_calls=1, methods=["getFile"])
    await bot.get_me()
    assert (await client.request("GET", "/control/faults"))["delayed_calls"] == 1


async def test_blocked_chat_answers_403(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    await client.block(ana.id)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ana.id, "hola")
    await client.block(ana.id, blocked=False)
    assert (await bot.send_message(ana.id, "hola")).text == "hola"


async def test_files_over_the_download_limit_are_too_big():
    async with Emulator(tokens=[TOKEN], download_limit=1000) as emulator:
        bot = aiogram_bot(emulator)
        try:
            async with EmulatorClient(emulator.base_url) as client:
                ana = await client.user("Ana")
                await ana.upload_document(b"x" * 1001, "grande.bin", "application/octet-stream")
                [update] = await bot.get_updates()
                with pytest.raises(TelegramBadRequest, match="file is too big"):
                    await bot.get_file(update.message.document.file_id)
        finally:
            await bot.session.close()


async def test_control_api_refuses_bad_faults(client: EmulatorClient):
    from emulator.client import EmulatorError

    with pytest.raises(EmulatorError, match="status must be"):
        await client.set_faults(failures=1, status=418)


async def test_record_of_every_call(tmp_path):
    record = tmp_path / "calls.jsonl"
    async with Emulator(tokens=[TOKEN], record=record) as emulator:
        bot = aiogram_bot(emulator)
        try:
            await bot.get_me()
            with pytest.raises(TelegramBadRequest):
                await bot.send_message(1, "hola")
        finally:
            await bot.session.close()
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert [line["method"] for line in lines] == ["getMe", "sendMessage"]
    assert lines[0]["ok"] is True
    assert lines[1] | {"time": 0} == {
        "time": 0,
        "bot_id": 4242,
        "method": "sendMessage",
        "params": {"chat_id": "1", "text": "hola"},
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: chat not found",
    }
    assert TOKEN not in record.read_text()


async def test_blocking_tells_the_bot_by_my_chat_member(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    await client.block(ana.id)
    await client.block(ana.id, blocked=False)
    blocked, unblocked = await bot.get_updates()
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert blocked.my_chat_member.from_user.id == ana.id
    assert unblocked.my_chat_member.new_chat_member.status == "member"


async def test_bot_uploads_over_50_mb_are_refused(bot: Bot, client: EmulatorClient):
    from aiogram.exceptions import TelegramEntityTooLarge
    from aiogram.types import BufferedInputFile

    ana = await client.user("Ana")
    huge = BufferedInputFile(b"\0" * (50 * 1024 * 1024 + 1), "big.bin")
    with pytest.raises(TelegramEntityTooLarge):
        await bot.send_document(ana.id, huge)


async def test_writing_to_a_blocked_bot_unblocks_it(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    await client.block(ana.id)
    await ana.send("/start")
    blocked, unblocked, message = await bot.get_updates()
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert unblocked.my_chat_member.new_chat_member.status == "member"
    assert message.message.text == "/start"
    assert (await bot.send_message(ana.id, "de vuelta")).text == "de vuelta"
