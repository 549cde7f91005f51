"""``incorruptible emulator``: a local Telegram Bot API server, its control API and web chat."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from incorruptible.context import (
    configure_logging,
    fail,
    port_problem,
    run_service,
    settings_or_exit,
)

if TYPE_CHECKING:
    from core.infra.settings import Settings
    from emulator.server import Emulator


def build(settings: Settings, **options: Any) -> Emulator:
    """The emulator, or one line naming the setting to change: INCORRUPTIBLE_BOT_API_SPEC when
    that file is no specification, INCORRUPTIBLE_DATA_DIR when its state cannot be kept there."""
    from emulator.server import Emulator
    from emulator.spec import SpecError
    from emulator.state import StateError

    try:
        return Emulator(spec_path=settings.bot_api_spec, **options)
    except SpecError as error:
        raise fail(f"INCORRUPTIBLE_BOT_API_SPEC: {error}", 2) from None
    except StateError as error:
        raise fail(f"INCORRUPTIBLE_DATA_DIR: {error}", 2) from None


async def start(server: Emulator, port_setting: str) -> None:
    """Start listening, or one line naming the port and the setting to change."""
    try:
        await server.start()
    except OSError as error:
        raise fail(port_problem(server.host, server.port, port_setting, error), 2) from None


def emulator(
    host: str | None = typer.Option(None, help="Address to listen on (default: setting)."),
    port: int | None = typer.Option(None, help="Port to listen on (default: setting)."),
    token: list[str] = typer.Option(
        [], "--token", help="Bot token to accept; repeat for several bots."
    ),
    record: Path | None = typer.Option(
        None, help="Write every Bot API call and its verdict to this JSON-lines file."
    ),
    no_limits: bool = typer.Option(False, "--no-limits", help="Turn the flood limits off."),
    global_rate: float = typer.Option(30.0, help="Messages per second overall."),
    chat_rate: float = typer.Option(1.0, help="Messages per second to one chat."),
    chat_burst: float = typer.Option(3.0, help="Messages one chat may receive at once."),
    group_rate: float = typer.Option(20.0, help="Messages per minute to one group."),
    ephemeral: bool = typer.Option(
        False,
        "--ephemeral",
        help="Keep people, chats and files in memory only (by default they are kept in the "
        "data folder, as `incorruptible run` keeps them, and survive a restart).",
    ),
) -> None:
    """Run the Bot API emulator with its web chat until interrupted."""
    from emulator.limits import RateLimits
    from emulator.server import DEFAULT_TOKEN

    settings = settings_or_exit()
    configure_logging(settings)
    tokens = token or [
        settings.bot_token.get_secret_value() if settings.bot_token else DEFAULT_TOKEN
    ]
    limits = RateLimits(
        enabled=not no_limits,
        global_per_second=global_rate,
        global_burst=global_rate,
        per_chat_per_second=chat_rate,
        per_chat_burst=chat_burst,
        per_group_per_minute=group_rate,
        per_group_burst=group_rate,
    )
    server = build(
        settings,
        tokens=tokens,
        host=host or settings.emulator_host,
        port=port or settings.emulator_port,
        rate_limits=limits,
        record=record,
        state_dir=None if ephemeral else settings.data_dir / "emulator",
    )

    async def main() -> None:
        await start(server, "--port" if port else "INCORRUPTIBLE_EMULATOR_PORT")
        try:
            typer.echo(f"Bot API: {server.base_url}/bot<token>/<method>")
            typer.echo(f"web chat: {server.base_url}/")
            await asyncio.Event().wait()
        finally:
            await server.stop()

    run_service(main())
