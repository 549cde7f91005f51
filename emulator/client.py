"""A small async client of the control API, for tests and benchmarks.

async with EmulatorClient(emulator.base_url) as client:
    ana = await client.user("Ana")
    await ana.send("/start")
    reply = await ana.next_message(timeout=5)
    await ana.press(reply, "Sí")
"""

from __future__ import annotations

import time
from typing import Any

import httpx

Json = dict[str, Any]


class EmulatorError(Exception):
    """The control API refused an action (its reason is the message)."""


class EmulatorClient:
    def __init__(self, base_url: str, bot: int | None = None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.bot = bot
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.http.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                reason = response.json().get("error", response.text)
            except ValueError:
                reason = response.text
            raise EmulatorError(reason)
        return response.json()

    async def _object(self, method: str, path: str, **kwargs: Any) -> Json:
        """``request`` to a route that answers a JSON object."""
        answer: Json = await self.request(method, path, **kwargs)
        return answer

    def _with_bot(self, body: Json) -> Json:
        return {**body, "bot": self.bot} if self.bot is not None else body

    # People and chats ----------------------------------------------------------------------
    async def user(
        self,
        first_name: str = "Ana",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "es",
        user_id: int | None = None,
    ) -> SimulatedUser:
        """Create a person with a private chat with the bot."""
        body = {
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "language_code": language_code,
            "id": user_id,
        }
        data = await self.request("POST", "/control/users", json=body)
        return SimulatedUser(self, data)

    async def group(self, title: str, members: list[SimulatedUser]) -> Json:
        body = {"title": title, "member_ids": [member.id for member in members]}
        return await self._object("POST", "/control/groups", json=body)

    async def bots(self) -> list[Json]:
        bots: list[Json] = await self.request("GET", "/control/bots")
        return bots

    async def chat(self, chat_id: int) -> Json:
        """The chat as a person sees it now: live messages and the reply keyboard."""
        return await self._object("GET", f"/control/chats/{chat_id}", params=self._params())

    async def events(
        self,
        chat_id: int,
        after: int = 0,
        timeout: float = 0,  # noqa: ASYNC109 - how long the server holds the request
        from_bot: bool | None = None,
    ) -> Json:
        params = self._params(after=after, timeout=timeout)
        if from_bot is not None:
            params["from_bot"] = "true" if from_bot else "false"
        return await self._object(
            "GET", f"/control/chats/{chat_id}/events", params=params, timeout=timeout + 10
        )

    async def block(self, chat_id: int, blocked: bool = True) -> Json:
        return await self._object(
            "POST", f"/control/chats/{chat_id}/blocked", json=self._with_bot({"blocked": blocked})
        )

    async def file(self, file_id: str) -> bytes:
        response = await self.http.get(f"/control/files/{file_id}")
        if response.status_code >= 400:
            raise EmulatorError(response.text)
        return response.content

    # Switches ---------------------------------------------------------------------------------
    async def set_limits(self, **limits: Any) -> Json:
        """Change rate limits: ``enabled``, ``per_chat_per_second``, ``global_per_second``..."""
        return await self._object("PUT", "/control/limits", json=limits)

    async def set_faults(
        self,
        failures: int = 0,
        status: int = 500,
        retry_after: int = 1,
        methods: list[str] | None = None,
        delay: float = 0.0,
        delayed_calls: int | None = None,
    ) -> Json:
        """The next ``failures`` calls (of ``methods``, or any) fail with ``status``."""
        body = {
            "failures": failures,
            "status": status,
            "retry_after": retry_after,
            "methods": methods or [],
            "delay": delay,
            "delayed_calls": delayed_calls,
        }
        return await self._object("PUT", "/control/faults", json=body)

    async def set_redelivery(self, enabled: bool = True) -> Json:
        """Deliver every new update twice (as Telegram does after a webhook failure)."""
        return await self._object("PUT", "/control/redelivery", json={"enabled": enabled})

    def _params(self, **params: Any) -> Json:
        return self._with_bot(params)


class SimulatedUser:
    """One simulated person, acting in their private chat unless ``chat_id`` is given."""

    def __init__(self, client: EmulatorClient, data: Json) -> None:
        self.client = client
        self.data = data
        self.id: int = data["id"]
        self.cursors: dict[int, int] = {}  # per chat, the last event next_event has seen

    def _body(self, chat_id: int | None, **fields: Any) -> Json:
        body = {"user_id": self.id, "chat_id": chat_id, **fields}
        return self.client._with_bot(body)

    async def _message(
        self, chat_id: int | None, reply_to: Json | int | None, **content: Any
    ) -> Json:
        body = self._body(chat_id, reply_to=_message_id(reply_to), **content)
        return await self.client._object("POST", "/control/messages", json=body)

    async def send(
        self, text: str, reply_to: Json | int | None = None, chat_id: int | None = None
    ) -> Json:
        """Send text; a leading ``/command`` gets its ``bot_command`` entity."""
        return await self._message(chat_id, reply_to, text=text)

    async def share_location(
        self, latitude: float, longitude: float, chat_id: int | None = None
    ) -> Json:
        location = {"latitude": latitude, "longitude": longitude}
        return await self._message(chat_id, None, location=location)

    async def send_contact(self, phone_number: str, first_name: str | None = None) -> Json:
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or self.data["first_name"],
        }
        return await self._message(None, None, contact=contact)

    async def send_sticker(self, emoji: str = "🙂") -> Json:
        return await self._message(None, None, sticker={"emoji": emoji})

    async def press(self, message: Json | int, button: str, chat_id: int | None = None) -> Json:
        """Press the inline button whose text or callback data is ``button``."""
        body = self._body(chat_id, message_id=_message_id(message), button=button)
        return await self.client._object("POST", "/control/callbacks", json=body)

    async def edit(self, message: Json | int, text: str, chat_id: int | None = None) -> Json:
        body = self._body(chat_id, message_id=_message_id(message), text=text)
        return await self.client._object("POST", "/control/edits", json=body)

    async def upload(
        self,
        kind: str,
        data: bytes,
        name: str,
        mime: str,
        caption: str | None = None,
        reply_to: Json | int | None = None,
        chat_id: int | None = None,
    ) -> Json:
        fields = {
            key: str(value)
            for key, value in self._body(
                chat_id, kind=kind, caption=caption, reply_to=_message_id(reply_to)
            ).items()
            if value is not None
        }
        files = {"file": (name, data, mime)}
        return await self.client._object("POST", "/control/uploads", data=fields, files=files)

    async def upload_photo(
        self, data: bytes, name: str = "photo.jpg", mime: str = "image/jpeg", **kw: Any
    ) -> Json:
        return await self.upload("photo", data, name, mime, **kw)

    async def upload_document(self, data: bytes, name: str, mime: str, **kw: Any) -> Json:
        return await self.upload("document", data, name, mime, **kw)

    async def upload_voice(
        self, data: bytes, name: str = "voice.ogg", mime: str = "audio/ogg", **kw: Any
    ) -> Json:
        return await self.upload("voice", data, name, mime, **kw)

    async def upload_video(
        self, data: bytes, name: str = "video.mp4", mime: str = "video/mp4", **kw: Any
    ) -> Json:
        return await self.upload("video", data, name, mime, **kw)

    # Reading the chat --------------------------------------------------------------------------
    async def next_event(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - a long poll of the control API
        kinds: tuple[str, ...] | None = None,
        chat_id: int | None = None,
    ) -> Json:
        """The next thing the bot did in the chat (message, edit, delete, answer, action)."""
        chat_id = self.id if chat_id is None else chat_id
        deadline = time.monotonic() + timeout
        while True:
            remaining = max(deadline - time.monotonic(), 0)
            page = await self.client.events(
                chat_id, after=self.cursors.get(chat_id, 0), timeout=remaining, from_bot=True
            )
            events: list[Json] = page["events"]
            for event in events:
                self.cursors[chat_id] = event["seq"]
                if kinds is None or event["kind"] in kinds:
                    return event
            if remaining <= 0:
                raise TimeoutError(f"the bot did nothing in chat {chat_id} for {timeout} s")

    async def next_message(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - a long poll of the control API
        chat_id: int | None = None,
    ) -> Json:
        """The next message the bot sends to the chat (skipping other events).

        Its ``reply_markup`` is the one the bot sent, reply keyboards included.
        """
        event = await self.next_event(timeout, kinds=("message",), chat_id=chat_id)
        message: Json = event["message"]
        return message | {"reply_markup": event["reply_markup"]}

    async def events(self, chat_id: int | None = None) -> list[Json]:
        """Everything that happened in the chat so far, in order."""
        page = await self.client.events(self.id if chat_id is None else chat_id)
        events: list[Json] = page["events"]
        return events

    async def messages(self, chat_id: int | None = None) -> list[Json]:
        """The live messages of the chat (both sides, after edits and deletions)."""
        chat = await self.client.chat(self.id if chat_id is None else chat_id)
        return [entry["message"] for entry in chat["messages"]]

    async def reply_keyboard(self, chat_id: int | None = None) -> Json | None:
        chat = await self.client.chat(self.id if chat_id is None else chat_id)
        keyboard: Json | None = chat["reply_keyboard"]
        return keyboard


def _message_id(message: Json | int | None) -> int | None:
    if message is None or isinstance(message, int):
        return message
    message_id: int = message["message_id"]
    return message_id
