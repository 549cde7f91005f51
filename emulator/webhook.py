"""Webhook delivery: each pending update is POSTed to the bot's URL until it is taken.

Like Telegram, up to ``max_connections`` requests run at once; updates of one chat go one
after another, in order, so a conversation is never reordered.

A failed delivery (connection error or a status other than 2xx) is retried
with a growing pause and noted in getWebhookInfo; a reply carrying ``method`` is executed as
a Bot API call, the way Telegram accepts a method call in the answer to a webhook request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from emulator.spec import Upload
from emulator.world import BotState, JsonObject

log = logging.getLogger(__name__)
Execute = Callable[[BotState, str, dict[str, Any], dict[str, Upload]], Awaitable[Any]]


class WebhookDelivery:
    def __init__(
        self,
        execute: Execute,
        allowed: Callable[[BotState, JsonObject], bool],
        world_changed: Callable[[], None],
        first_retry: float = 0.2,
        last_retry: float = 5.0,
    ) -> None:
        self.execute = execute
        self.allowed = allowed
        self.world_changed = world_changed  # a delivered update is gone for good
        self.first_retry = first_retry
        self.last_retry = last_retry
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.session: aiohttp.ClientSession | None = None

    def changed(self, bot: BotState) -> None:
        """Start delivering when a webhook is set; the loop ends by itself when it is removed."""
        task = self.tasks.get(bot.token)
        if bot.webhook is not None and (task is None or task.done()):
            self.tasks[bot.token] = asyncio.create_task(self._deliver(bot))

    async def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        for task in self.tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.session is not None:
            await self.session.close()

    async def _deliver(self, bot: BotState) -> None:
        """Up to ``max_connections`` requests at once, one chat's updates one after another."""
        if self.session is None:
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        busy: set[int] = set()  # chats with an update on its way (or waiting to be retried)
        pauses: dict[int, float] = {}  # chats whose last delivery failed: the next pause
        sending: set[asyncio.Task[None]] = set()
        try:
            while (hook := bot.webhook) is not None:
                free = hook.max_connections - len(sending)
                for update in self._deliverable(bot, busy, free):
                    chat = chat_of(update)
                    busy.add(chat)
                    task = asyncio.create_task(self._send(bot, update, chat, busy, pauses))
                    sending.add(task)
                    task.add_done_callback(sending.discard)
                await bot.signal.wait(60)
        finally:
            for task in sending:
                task.cancel()

    def _deliverable(self, bot: BotState, busy: set[int], count: int) -> list[JsonObject]:
        """The first pending update of each idle chat, oldest first, at most ``count``."""
        bot.updates = [u for u in bot.updates if self.allowed(bot, u)]
        chosen: list[JsonObject] = []
        seen: set[int] = set()
        for update in bot.updates:
            if len(chosen) >= count:
                break
            chat = chat_of(update)
            if chat not in busy and chat not in seen:
                chosen.append(update)
            seen.add(chat)
        return chosen

    async def _send(
        self,
        bot: BotState,
        update: JsonObject,
        chat: int,
        busy: set[int],
        pauses: dict[int, float],
    ) -> None:
        hook = bot.webhook
        try:
            if hook is None:
                return
            error = await self._post(bot, hook.url, hook.secret_token, update)
            if error is None:
                bot.updates = [u for u in bot.updates if u is not update]
                pauses.pop(chat, None)
                self.world_changed()
                return
            hook.last_error_date = int(time.time())
            hook.last_error_message = error
            self.world_changed()
            pause = pauses.get(chat, self.first_retry)
            pauses[chat] = min(pause * 2, self.last_retry)
            await asyncio.sleep(pause)
        finally:
            busy.discard(chat)
            bot.signal.notify()  # the chat's next update (or this one, again) may go now

    async def _post(
        self, bot: BotState, url: str, secret: str | None, update: JsonObject
    ) -> str | None:
        """None when the bot took the update, else the error getWebhookInfo reports."""
        assert self.session is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        try:
            async with self.session.post(url, json=update, headers=headers) as response:
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
                call = await _method_call(response)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {exc.__class__.__name__}"
        if call is not None:
            method, params, uploads = call
            try:
                await self.execute(bot, method, params, uploads)
            except Exception:  # the reply's call is recorded with its verdict; delivery goes on
                log.debug("webhook reply %s refused", method, exc_info=True)
        return None


def chat_of(update: JsonObject) -> int:
    """The chat an update belongs to (its sender's for updates without one)."""
    for kind, payload in update.items():
        if kind == "update_id" or not isinstance(payload, dict):
            continue
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
        if chat:
            chat_id: int = chat["id"]
            return chat_id
        if "from" in payload:
            sender: int = payload["from"]["id"]
            return sender
    update_id: int = update["update_id"]
    return update_id


async def _method_call(
    response: aiohttp.ClientResponse,
) -> tuple[str, dict[str, Any], dict[str, Upload]] | None:
    if response.content_type == "application/json":
        body = await response.json()
        if isinstance(body, dict) and isinstance(body.get("method"), str):
            return body["method"], {k: v for k, v in body.items() if k != "method"}, {}
        return None
    if response.content_type != "multipart/form-data":
        return None
    params: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    reader = aiohttp.MultipartReader.from_response(response)
    async for part in reader:
        if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
            continue
        if part.filename:
            data = await part.read()
            uploads[part.name] = Upload(part.filename, part.headers.get("Content-Type", ""), data)
        else:
            params[part.name] = await part.text()
    method = params.pop("method", None)
    return (method, params, uploads) if isinstance(method, str) else None
