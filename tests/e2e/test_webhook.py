"""Updates by webhook: delivered by the emulator with the secret; without it, refused."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.dispatcher import create_bot
from bot.runner import WEBHOOK_PATH, create_webhook_app, prepare
from tests.support.network import free_port

SECRET = "s3cret-token_1-long-enough-to-be-unguessable"


async def test_webhook_answers_with_the_secret_and_refuses_without(chat):
    bot, dispatcher = prepare(chat.settings, chat.session_factory, create_bot(chat.settings))
    runner = web.AppRunner(create_webhook_app(bot, dispatcher, SECRET))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    try:
        await bot.set_webhook(url, secret_token=SECRET)
        ana = await chat.client.user("Ana", language_code="es")
        await ana.send("/ayuda")
        assert "invitación" in (await ana.next_message())["text"]

        forged = {
            "update_id": 999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": "/ayuda",
            },
        }
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, json=forged, headers=headers) as response:
                    assert response.status == 401
    finally:
        await bot.delete_webhook()
        await runner.cleanup()
        await bot.session.close()
