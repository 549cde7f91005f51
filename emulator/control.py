"""The control API (JSON over HTTP under ``/control``): act as people and read what they got.

Also serves the web chat (``/`` and ``/static``), its translated strings, and the switches
for limits, faults and redelivery. Every endpoint takes an optional ``bot`` (the bot's user
id) and otherwise acts on the first bot.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator.bot_api import commands_key
from emulator.limits import Faults, RateLimits
from emulator.people import PersonError
from emulator.ui import UI_STRINGS
from emulator.world import BotState
from i18n import gettext, pick_language

if TYPE_CHECKING:
    from emulator.server import Emulator

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_EVENT_WAIT = 60.0
# Names the running emulator in the answers a web chat page keeps polling: a page that outlived a
# restart tells the world it opened a chat in from the one answering now (an in-memory world
# started again hands out the same ids to other people).
WORLD_HEADER = "X-Emulator-World"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(value: Any, status: int = 200) -> web.Response:
    return web.json_response(value, status=status)


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PersonError(f"{name} must be an integer") from None


def _optional_int(value: Any, name: str) -> int | None:
    return None if value in (None, "") else _int(value, name)


def _optional_text(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise PersonError(f"{name} must be a string")
    return value


def _optional_object(
    value: Any, name: str, fields: dict[str, Callable[[Any, str], Any]]
) -> dict[str, Any] | None:
    """``value`` as a JSON object whose ``fields``, when given, each pass their check: what
    the control API is sent is checked here, before a person acts on it."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PersonError(f"{name} must be a JSON object")
    for field, check in fields.items():
        if field in value:
            check(value[field], f"{name}.{field}")
    return value


def _coordinate(limit: float) -> Callable[[Any, str], float]:
    def check(value: Any, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit:
            raise PersonError(f"{name} must be a number from -{limit:g} to {limit:g}")
        return float(value)

    return check


def _location(value: Any) -> dict[str, Any] | None:
    """A location's object, with both its coordinates (a missing one is no number)."""
    location = _optional_object(value, "location", {})
    if location is not None:
        _coordinate(90)(location.get("latitude"), "location.latitude")
        _coordinate(180)(location.get("longitude"), "location.longitude")
    return location


class ControlApi:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.world = emulator.world
        self.people = emulator.people
        self.instance = secrets.token_hex(8)

    def routes(self) -> list[web.AbstractRouteDef]:
        guard = _answering_errors
        return [
            web.get("/", self.index),
            web.get("/chat", self.index),
            web.static("/static", STATIC_DIR),
            web.get("/control/ui", guard(self.ui_strings)),
            web.get("/control/bots", guard(self.bots)),
            web.get("/control/users", guard(self.users)),
            web.post("/control/users", guard(self.create_user)),
            web.post("/control/groups", guard(self.create_group)),
            web.post("/control/messages", guard(self.send)),
            web.post("/control/uploads", guard(self.upload)),
            web.post("/control/callbacks", guard(self.press)),
            web.post("/control/edits", guard(self.edit)),
            web.get("/control/chats/{chat_id}", guard(self.chat)),
            web.get("/control/chats/{chat_id}/events", guard(self.events)),
            web.post("/control/chats/{chat_id}/blocked", guard(self.block)),
            web.get("/control/files/{file_id}", guard(self.file)),
            web.get("/control/commands", guard(self.commands)),
            web.get("/control/limits", guard(self.get_limits)),
            web.put("/control/limits", guard(self.set_limits)),
            web.get("/control/faults", guard(self.get_faults)),
            web.put("/control/faults", guard(self.set_faults)),
            web.put("/control/redelivery", guard(self.redelivery)),
        ]

    # Helpers -------------------------------------------------------------------------------
    def _in_this_world(self, value: Any, status: int = 200) -> web.Response:
        response = _json(value, status)
        response.headers[WORLD_HEADER] = self.instance
        return response

    def _bot(self, data: Any) -> BotState:
        try:
            return self.emulator.bot(_optional_int(data.get("bot"), "bot"))
        except KeyError:
            raise PersonError("unknown bot") from None

    @staticmethod
    async def _body(request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise PersonError("the body must be a JSON object") from None
        if not isinstance(body, dict):
            raise PersonError("the body must be a JSON object")
        return body

    # Web chat --------------------------------------------------------------------------------
    async def index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def ui_strings(self, request: web.Request) -> web.Response:
        # Spanish unless the page asks otherwise (?lang=en), like every page of the product.
        language = pick_language(request.query.get("lang"))
        strings = {msgid: gettext(language, msgid) for msgid in UI_STRINGS}
        return _json({"language": language, "strings": strings})

    # People ------------------------------------------------------------------------------------
    async def bots(self, request: web.Request) -> web.Response:
        return _json([bot.user for bot in self.world.bots.values()])

    async def users(self, request: web.Request) -> web.Response:
        return self._in_this_world(list(self.world.users.values()))

    async def create_user(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        first_name = str(body.get("first_name") or "").strip()
        if not first_name:
            raise PersonError("first_name is required")
        user = self.world.create_user(
            first_name,
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code", "es"),
            user_id=_optional_int(body.get("id"), "id"),
        )
        return self._in_this_world(user, 201)

    async def create_group(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        members = [_int(member, "member_ids") for member in body.get("member_ids", [])]
        unknown = [member for member in members if member not in self.world.users]
        if unknown:
            raise PersonError(f"unknown users {unknown}")
        group = self.world.create_group(str(body.get("title") or "Grupo"), members)
        return _json(group, 201)

    async def send(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        message = self.people.send(
            self._bot(body),
            _int(body.get("user_id"), "user_id"),
            chat_id=_optional_int(body.get("chat_id"), "chat_id"),
            reply_to=_optional_int(body.get("reply_to"), "reply_to"),
            text=_optional_text(body.get("text"), "text"),
            location=_location(body.get("location")),
            contact=_optional_object(
                body.get("contact"),
                "contact",
                {"phone_number": _optional_text, "first_name": _optional_text, "user_id": _int},
            ),
            sticker=_optional_object(body.get("sticker"), "sticker", {"emoji": _optional_text}),
        )
        return _json(message, 201)

    async def upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise PersonError("a file part named 'file' is required")
        message = self.people.upload(
            self._bot(form),
            _int(form.get("user_id"), "user_id"),
            kind=str(form.get("kind", "document")),
            data=upload.file.read(),
            file_name=upload.filename,
            mime_type=upload.content_type or "application/octet-stream",
            chat_id=_optional_int(form.get("chat_id"), "chat_id"),
            caption=str(form["caption"]) if form.get("caption") else None,
            reply_to=_optional_int(form.get("reply_to"), "reply_to"),
        )
        return _json(message, 201)

    async def press(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        query = self.people.press(
            self._bot(body),
            _int(body.get("user_id"), "user_id"),
            _int(body.get("message_id"), "message_id"),
            str(body.get("button", "")),
            chat_id=_optional_int(body.get("chat_id"), "chat_id"),
        )
        return _json(query, 201)

    async def edit(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        message = self.people.edit(
            self._bot(body),
            _int(body.get("user_id"), "user_id"),
            _int(body.get("message_id"), "message_id"),
            str(body.get("text", "")),
            chat_id=_optional_int(body.get("chat_id"), "chat_id"),
        )
        return _json(message)

    # Reading chats ---------------------------------------------------------------------------
    async def chat(self, request: web.Request) -> web.Response:
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        return self._in_this_world(self.people.snapshot(self._bot(request.query), chat_id))

    async def events(self, request: web.Request) -> web.Response:
        """Events after ``after`` (a seq); waits up to ``timeout`` seconds for the first one."""
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        log = self.world.chat(self._bot(request.query), chat_id)
        if log is None:
            raise PersonError(f"unknown chat {chat_id}")
        after = _int(request.query.get("after", 0), "after")
        try:
            timeout = min(float(request.query.get("timeout", 0)), MAX_EVENT_WAIT)
        except ValueError:
            raise PersonError("timeout must be a number") from None
        from_bot = request.query.get("from_bot")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [
                event
                for event in log.events[after:]
                if from_bot is None or event["from_bot"] == (from_bot == "true")
            ]
            remaining = deadline - loop.time()
            if found or remaining <= 0:
                return self._in_this_world({"events": found, "last": len(log.events)})
            await log.signal.wait(remaining)

    async def block(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        blocked = self.people.set_blocked(self._bot(body), chat_id, bool(body.get("blocked", True)))
        return _json({"chat_id": chat_id, "blocked": blocked})

    async def file(self, request: web.Request) -> web.Response:
        stored = self.world.files.get(request.match_info["file_id"])
        if stored is None:
            return _json({"error": "unknown file"}, 404)
        return web.Response(body=stored.data, content_type=stored.mime_type)

    async def commands(self, request: web.Request) -> web.Response:
        """The command menu a person sees, as the bot set it for their chat and language."""
        bot = self._bot(request.query)
        user = self.world.users.get(_int(request.query.get("user_id"), "user_id"))
        if user is None:
            raise PersonError("unknown user")
        language = user.get("language_code", "")
        for scope in (
            {"type": "chat", "chat_id": user["id"]},
            {"type": "all_private_chats"},
            {"type": "default"},
        ):
            for code in (language, ""):
                key = commands_key(scope, code)
                if key in bot.commands:
                    return _json(bot.commands[key])
        return _json([])

    # Switches --------------------------------------------------------------------------------
    async def get_limits(self, request: web.Request) -> web.Response:
        return _json(dataclasses.asdict(self.emulator.limiter.limits))

    async def set_limits(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        try:
            limits = RateLimits(**{**dataclasses.asdict(self.emulator.limiter.limits), **body})
        except TypeError as exc:
            raise PersonError(str(exc)) from None
        self.emulator.limiter.configure(limits)
        return _json(dataclasses.asdict(limits))

    async def get_faults(self, request: web.Request) -> web.Response:
        faults = dataclasses.asdict(self.emulator.faults)
        faults["methods"] = sorted(faults["methods"])
        return _json(faults)

    async def set_faults(self, request: web.Request) -> web.Response:
        """Replace the injected faults: ``{"failures": 2, "status": 502}``, ``{"delay": 1.5}``."""
        body = await self._body(request)
        status = _int(body.get("status", 500), "status")
        if status not in (429, 500, 502):
            raise PersonError("status must be 429, 500 or 502")
        self.emulator.faults = Faults(
            failures=_int(body.get("failures", 0), "failures"),
            status=status,
            retry_after=_int(body.get("retry_after", 1), "retry_after"),
            methods=set(body.get("methods") or ()),
            delay=float(body.get("delay", 0)),
            delayed_calls=_optional_int(body.get("delayed_calls"), "delayed_calls"),
        )
        return await self.get_faults(request)

    async def redelivery(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        self.world.redeliver = bool(body.get("enabled", True))
        return _json({"enabled": self.world.redeliver})


def _answering_errors(handler: Handler) -> Handler:
    """Turn a PersonError into a 400 with the reason (a middleware would slow the Bot API)."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except PersonError as error:
            return _json({"error": str(error)}, 400)

    return guarded


def add_control_routes(app: web.Application, emulator: Emulator) -> None:
    app.add_routes(ControlApi(emulator).routes())
