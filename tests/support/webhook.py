"""A bot's webhook endpoint for the emulator to deliver to, and waiting for its deliveries."""

from __future__ import annotations

import asyncio

from aiohttp import web


class Receiver:
    """A bot's webhook endpoint that fails its first ``failures`` deliveries."""

    def __init__(self, failures: int = 0, reply: dict | None = None) -> None:
        self.failures = failures
        self.reply = reply
        self.received: list[tuple[dict, str | None]] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        if self.failures:
            self.failures -= 1
            return web.Response(status=500)
        self.received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        self.arrived.set()
        return web.json_response(self.reply) if self.reply else web.Response()


async def received(receiver: Receiver, count: int) -> None:
    async with asyncio.timeout(5):
        while len(receiver.received) < count:
            receiver.arrived.clear()
            await receiver.arrived.wait()
