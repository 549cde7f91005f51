"""Webhook delivery: each update POSTed with the secret header, retried until taken."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramConflictError
from aiohttp import web

from emulator.client import EmulatorClient
from tests.support.webhook import Receiver, received


async def test_delivery_with_secret_and_retries(bot: Bot, client: EmulatorClient, serve):
    receiver = Receiver(failures=2)
    url = await serve(receiver)
    assert await bot.set_webhook(url, secret_token="s3cr3t-token")
    info = await bot.get_webhook_info()
    assert info.url == url
    ana = await client.user("Ana")
    await ana.send("hola")
    await ana.send("otra")
    await received(receiver, 2)
    (first, secret), (second, _) = receiver.received
    assert secret == "s3cr3t-token"
    assert first["message"]["text"] == "hola"
    assert second["update_id"] == first["update_id"] + 1
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert "500" in info.last_error_message

    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    await ana.send("por polling")
    [update] = await bot.get_updates(timeout=1)
    assert update.message.text == "por polling"


async def test_a_method_in_the_webhook_reply_is_executed(bot: Bot, client: EmulatorClient, serve):
    ana = await client.user("Ana")
    receiver = Receiver(reply={"method": "sendMessage", "chat_id": ana.id, "text": "desde webhook"})
    await bot.set_webhook(await serve(receiver))
    await ana.send("hola")
    reply = await ana.next_message(timeout=5)
    assert reply["text"] == "desde webhook"


async def test_redelivered_update_reaches_the_webhook_twice(
    bot: Bot, client: EmulatorClient, serve
):
    receiver = Receiver()
    await bot.set_webhook(await serve(receiver))
    await client.set_redelivery(True)
    ana = await client.user("Ana")
    await ana.send("hola")
    await received(receiver, 2)
    assert receiver.received[0][0] == receiver.received[1][0]


async def test_chats_are_delivered_in_parallel_each_in_order(
    bot: Bot, client: EmulatorClient, serve
):
    ana = await client.user("Ana")
    luis = await client.user("Luis")
    release = asyncio.Event()
    order: list[str] = []

    class Holding(Receiver):
        async def handle(self, request: web.Request) -> web.Response:
            update = await request.json()
            text = update["message"]["text"]
            if text == "ana 1":
                await release.wait()  # Ana's first update hangs at the bot
            order.append(text)
            self.received.append((update, None))
            self.arrived.set()
            return web.Response()

    receiver = Holding()
    await bot.set_webhook(await serve(receiver), max_connections=4)
    await ana.send("ana 1")
    await ana.send("ana 2")
    await luis.send("luis 1")
    await received(receiver, 1)
    assert order == ["luis 1"]  # not held back by Ana's chat
    release.set()
    await received(receiver, 3)
    assert order == ["luis 1", "ana 1", "ana 2"]
