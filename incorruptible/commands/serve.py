"""The long-running processes: the whole product in one process, and the admin API alone."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer

from incorruptible.context import (
    configure_for_database,
    listen,
    refuse_unsafe_production,
    run_service,
    schema_needed,
    settings_or_exit,
    upgrade_database,
)

if TYPE_CHECKING:
    from core.infra.db import SessionFactory
    from core.infra.settings import Settings
    from core.people.invitations import JoinLinks


async def serve_admin(
    settings: Settings,
    session_factory: SessionFactory,
    server: socket.socket,
    join_links: JoinLinks | None = None,
) -> None:
    """The admin API on an open socket until cancelled, then a graceful stop."""
    import uvicorn

    from admin.app import create_app
    from core.infra.stopping import stop_when_cancelled

    class AdminServer(uvicorn.Server):
        # The command stops every part together (see run_service): no handlers of uvicorn's own.
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    config = uvicorn.Config(
        create_app(settings, session_factory, join_links),
        log_level="info",
        # In JSON, uvicorn's lines go to the root logger like every other; text keeps its look.
        log_config=None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
        timeout_graceful_shutdown=5,
        # Behind the deployment's proxy, the visitor's address and scheme are the ones it
        # forwards (links then say https); otherwise only a proxy on this machine is believed.
        forwarded_allow_ips="*" if settings.behind_proxy else "127.0.0.1",
    )
    admin = AdminServer(config)

    def stop() -> None:
        admin.should_exit = True

    await stop_when_cancelled(admin.serve(sockets=[server]), stop)


async def serve_bot(settings: Settings, session_factory: SessionFactory) -> None:
    from bot.runner import poll, prepare, serve_webhook

    telegram, dispatcher = prepare(settings, session_factory)
    if settings.webhook_url is not None:
        await serve_webhook(telegram, dispatcher)
    else:
        await poll(telegram, dispatcher)


async def run_with_emulator(
    settings: Settings, session_factory: SessionFactory, admin: socket.socket
) -> None:
    """No bot token: the emulator and its web chat stand in for Telegram."""
    from bot.runner import poll, prepare
    from incorruptible.commands import emulator as emulators
    from incorruptible.commands.bot import emulated
    from incorruptible.welcome import prepare_demo, print_banner

    # Made before anything listens: the bot takes seconds to import, which would hold the loop.
    telegram, dispatcher = prepare(emulated(settings), session_factory)
    emulator = emulators.build(
        settings,
        host=settings.emulator_host,
        port=settings.emulator_port,
        state_dir=settings.data_dir / "emulator",
    )
    await emulators.start(emulator, "INCORRUPTIBLE_EMULATOR_PORT")
    try:
        print_banner(settings, emulator.base_url, await prepare_demo(settings, session_factory))
        async with asyncio.TaskGroup() as services:
            services.create_task(serve_admin(settings, session_factory, admin))
            services.create_task(poll(telegram, dispatcher))
    finally:
        await emulator.stop()


def _start(settings: Settings, *, migrate: bool, with_bot: bool) -> None:
    configure_for_database(settings)
    admin = listen(settings.admin_host, settings.admin_port, "INCORRUPTIBLE_ADMIN_PORT")
    # With the bot, the production shape's webhook listens too.
    listens = ("admin_host", "webhook_host") if with_bot else ("admin_host",)

    async def main() -> None:
        from core.infra.db import create_session_factory, engine_from_settings
        from incorruptible.commands.bot import join_links, token_of

        engine = engine_from_settings(settings)
        try:
            if migrate:
                await upgrade_database(engine, settings)
            session_factory = create_session_factory(engine)
            async with schema_needed(engine):
                await refuse_unsafe_production(settings, session_factory, listens=listens)
            if with_bot and not token_of(settings):
                await run_with_emulator(settings, session_factory, admin)
                return
            links = await join_links(settings)
            if not with_bot:
                typer.echo(f"admin API: http://{settings.admin_host}:{settings.admin_port}/docs")
                await serve_admin(settings, session_factory, admin, links)
            else:
                async with asyncio.TaskGroup() as services:
                    services.create_task(serve_admin(settings, session_factory, admin, links))
                    services.create_task(serve_bot(settings, session_factory))
        finally:
            await engine.dispose()

    with admin:
        run_service(main())


def run() -> None:
    """Run the whole product in one process: migrations, the admin API and the bot.

    Without a bot token, the local emulator and its web chat stand in for Telegram, with the
    demo secretariat and an invitation to it.
    """
    _start(settings_or_exit(), migrate=True, with_bot=True)


def admin() -> None:
    """Run the admin API alone (migrations are applied separately with `migrate`)."""
    _start(settings_or_exit(), migrate=False, with_bot=False)
