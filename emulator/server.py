"""The emulator: one aiohttp application serving the Bot API, the control API and the web chat.

``async with Emulator(spec_path=..., tokens=[...]) as emulator:`` runs it in the current
event loop on a free port (``emulator.base_url``); ``incorruptible emulator`` runs it alone.
Given a ``state_dir``, its world survives restarts (:mod:`emulator.state`); else it is kept
in memory only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aiohttp import web

from emulator.bot_api import DOWNLOAD_LIMIT, BotApi
from emulator.control import add_control_routes
from emulator.errors import ApiError, BadRequest, EntityTooLarge, NotFound, Unauthorized
from emulator.limits import Faults, RateLimiter, RateLimits
from emulator.people import People
from emulator.recorder import Recorder
from emulator.spec import SHIPPED_SPEC, Spec, Upload
from emulator.state import SavedWorld
from emulator.webhook import WebhookDelivery
from emulator.world import BotState, World

DEFAULT_TOKEN = "123456789:emulated-token"  # noqa: S105 - a local stand-in, not a secret
EMULATOR_KEY: web.AppKey[Emulator] = web.AppKey("emulator")
UPLOAD_LIMIT = 50 * 1024 * 1024  # what a bot may send to Telegram in one request
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _answer(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=_dumps(body), status=status, content_type="application/json")


def _refuse(error: ApiError) -> web.Response:
    return _answer(error.body(), error.status)


class Emulator:
    """A local Telegram Bot API server with simulated people, limits and faults."""

    def __init__(
        self,
        spec_path: Path | None = None,
        tokens: Iterable[str] = (DEFAULT_TOKEN,),
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: RateLimits | None = None,
        record: Path | None = None,
        download_limit: int = DOWNLOAD_LIMIT,
        webhook_retry: float = 0.2,
        state_dir: Path | None = None,
        save_delay: float = 0.5,
    ) -> None:
        """Raises :class:`~emulator.state.StateError` when ``state_dir`` cannot be written."""
        self.spec = Spec(spec_path or SHIPPED_SPEC)
        self.state = SavedWorld(state_dir, tokens, save_delay) if state_dir is not None else None
        self.world = self.state.world if self.state is not None else World(tokens)
        self.limiter = RateLimiter(rate_limits or RateLimits())
        self.faults = Faults()
        self.api = BotApi(self.world, self.limiter, download_limit)
        self.people = People(self.world)
        self.webhooks = WebhookDelivery(
            self.execute, BotApi.allowed, self.world.changed, first_retry=webhook_retry
        )
        self.api.on_webhook_change = self.webhooks.changed
        self.recorder = Recorder(record) if record else None
        self.host = host
        self.port = port
        self.app = create_app(self)
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def tokens(self) -> list[str]:
        return list(self.world.bots)

    def bot(self, bot_id: int | None = None) -> BotState:
        """The bot with this user id, or the first one."""
        if bot_id is None:
            return self.world.default_bot
        for bot in self.world.bots.values():
            if bot.id == bot_id:
                return bot
        raise KeyError(bot_id)

    async def start(self) -> None:
        # Long polls still open at shutdown are cut after a moment rather than waited for.
        self._runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        if self.port == 0:
            server = site._server
            assert isinstance(server, asyncio.Server)
            self.port = server.sockets[0].getsockname()[1]
        if self.state is not None:
            self.state.start()
        for bot in self.world.bots.values():
            self.webhooks.changed(bot)  # a webhook kept from the last run delivers again

    async def stop(self) -> None:
        await self.webhooks.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.state is not None:
            await self.state.close()
        if self.recorder is not None:
            self.recorder.close()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def execute(
        self, bot: BotState, method: str, params: dict[str, Any], uploads: dict[str, Upload]
    ) -> Any:
        """Check and run one Bot API call (from HTTP or a webhook reply), recording the verdict."""
        try:
            result = await self._run(bot, method, params, uploads)
            response: dict[str, Any] = {"ok": True, "result": result}
        except ApiError as error:
            response = error.body()
        if self.recorder is not None:
            self.recorder.write(bot.id, method, params, response)
        return response

    async def _run(
        self, bot: BotState, method: str, params: dict[str, Any], uploads: dict[str, Upload]
    ) -> Any:
        name = self.spec.method(method)
        if name is None:
            raise NotFound("")
        delay = self.faults.next_delay(name)
        if delay:
            await asyncio.sleep(delay)
        failure = self.faults.next_failure(name)
        if failure is not None:
            raise failure
        checked = self.spec.check_call(name, params, uploads)
        return await self.api.call(bot, name, checked, uploads)


async def _read_call(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    params: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.body_exists:
        return params, uploads
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json(loads=json.loads)
        except ValueError:
            raise BadRequest("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise BadRequest("JSON object expected")
        params.update(body)
    elif content_type in FORM_TYPES:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.filename, value.content_type, value.file.read())
            else:
                params[key] = value
    return params, uploads


async def bot_endpoint(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    bot = emulator.world.bots.get(request.match_info["token"])
    if bot is None:
        return _refuse(Unauthorized(""))
    try:
        params, uploads = await _read_call(request)
    except web.HTTPRequestEntityTooLarge:
        return _refuse(EntityTooLarge(""))
    except ApiError as error:
        return _refuse(error)
    response = await emulator.execute(bot, request.match_info["method"], params, uploads)
    return _answer(response, 200 if response["ok"] else response["error_code"])


async def download(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    if request.match_info["token"] not in emulator.world.bots:
        return _refuse(Unauthorized(""))
    stored = emulator.world.files_by_path.get(request.match_info["path"])
    if stored is None or stored.size > emulator.api.download_limit:
        return _refuse(NotFound(""))
    return web.Response(body=stored.data, content_type=stored.mime_type)


def create_app(emulator: Emulator) -> web.Application:
    app = web.Application(client_max_size=UPLOAD_LIMIT)
    app[EMULATOR_KEY] = emulator
    app.router.add_route("*", "/bot{token}/{method}", bot_endpoint)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    add_control_routes(app, emulator)
    return app
