"""The long-running processes: the whole product in one process, and the admin API alone."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer

from incorruptible.context import (
    configure_logging,
    listen,
    run_service,
    settings_or_exit,
    writable_data_dir,
)

if TYPE_CHECKING:
    from core.db import SessionFactory
    from core.settings import Settings
    from emulator.server import Emulator

ACTOR = "system:run"


async def serve_admin(settings: Settings, session_factory: SessionFactory, server: socket.socket):
    """The admin API on an open socket until cancelled, then a graceful stop."""
    import uvicorn

    from admin.app import create_app
    from core.stopping import stop_when_cancelled

    class AdminServer(uvicorn.Server):
        # The command stops every part together (see run_service): no handlers of uvicorn's own.
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    config = uvicorn.Config(
        create_app(settings, session_factory), log_level="info", timeout_graceful_shutdown=5
    )
    admin = AdminServer(config)

    def stop() -> None:
        admin.should_exit = True

    await stop_when_cancelled(admin.serve(sockets=[server]), stop)


async def serve_bot(settings: Settings, session_factory: SessionFactory) -> None:
    from bot.runner import poll, prepare, serve_webhook
    from incorruptible.commands.bot import WEBHOOK_HOST, WEBHOOK_PORT

    telegram, dispatcher = prepare(settings, session_factory)
    if settings.webhook_url is not None:
        await serve_webhook(telegram, dispatcher, host=WEBHOOK_HOST, port=WEBHOOK_PORT)
    else:
        await poll(telegram, dispatcher)


async def prepare_demo(settings: Settings, session_factory: SessionFactory) -> tuple[str, str]:
    """The demo secretariat with every built-in survey pending, and a fresh invitation to it."""
    from sqlalchemy import select

    from core.demo import DEMO_SLUG, seed_demo
    from core.models import Campaign, Role, Secretariat, Sector
    from core.services import campaigns, invitations
    from core.services.definitions import DefinitionCatalog

    await seed_demo(session_factory, settings)
    catalog = DefinitionCatalog(settings.privacy_notice_version)
    async with session_factory() as session, session.begin():
        secretariat = await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))
        assert secretariat is not None
        launched = set(
            await session.scalars(
                select(Campaign.definition_id).where(Campaign.secretariat_id == secretariat.id)
            )
        )
        for definition in catalog.public():
            if definition.id not in launched:
                await campaigns.launch(
                    session,
                    secretariat.id,
                    ACTOR,
                    definition=definition,
                    audience=campaigns.Audience(),
                )
        issued = await invitations.create_invitation(
            session, secretariat.id, ACTOR, role=Role.CIVIL_SOCIETY, sector=Sector.OSC
        )
        return secretariat.name, issued.code


def print_banner(settings: Settings, emulator: Emulator, name: str, code: str) -> None:
    """What a newcomer needs to start: where to chat, what to send, and how to reach the API."""
    admin = f"http://{settings.admin_host}:{settings.admin_port}"
    lines = [
        "",
        "incorruptible is running. No bot token is set: the local emulator stands in for",
        "Telegram, with a web chat to talk to the bot as any person you create there.",
        "",
        f"  web chat:   {emulator.base_url}/",
        f"  To join {name}, create a person in the web chat and send in the web chat: "
        f"/start {code}",
        "  (each code works once; make another with `incorruptible invite --role civil_society "
        "--sector osc`)",
        "",
        f"  admin API:  {admin}/docs",
        "  (a token for it: `incorruptible token create --role secretariat_admin "
        "--secretariat 1`, then Authorize in /docs)",
        "",
        "Stop with Ctrl+C.",
    ]
    typer.echo("\n".join(lines))


async def run_with_emulator(
    settings: Settings, session_factory: SessionFactory, admin: socket.socket
) -> None:
    """No bot token: the emulator and its web chat stand in for Telegram."""
    from incorruptible.commands import emulator as emulators
    from incorruptible.commands.bot import emulated

    emulator = emulators.build(
        settings,
        host=settings.emulator_host,
        port=settings.emulator_port,
        state_dir=settings.data_dir / "emulator",
    )
    await emulators.start(emulator, "INCORRUPTIBLE_EMULATOR_PORT")
    try:
        name, code = await prepare_demo(settings, session_factory)
        print_banner(settings, emulator, name, code)
        async with asyncio.TaskGroup() as services:
            services.create_task(serve_admin(settings, session_factory, admin))
            services.create_task(serve_bot(emulated(settings), session_factory))
    finally:
        await emulator.stop()


def _start(settings: Settings, *, migrate: bool, with_bot: bool) -> None:
    configure_logging(settings)
    if settings.is_sqlite:
        writable_data_dir(settings)
    admin = listen(settings.admin_host, settings.admin_port, "INCORRUPTIBLE_ADMIN_PORT")

    async def main() -> None:
        from core import migrate as migrations
        from core.db import create_session_factory, engine_from_settings
        from incorruptible.commands.bot import token_of

        engine = engine_from_settings(settings)
        try:
            if migrate:
                await migrations.upgrade(engine)
            session_factory = create_session_factory(engine)
            if not with_bot:
                typer.echo(f"admin API: http://{settings.admin_host}:{settings.admin_port}/docs")
                await serve_admin(settings, session_factory, admin)
            elif not token_of(settings):
                await run_with_emulator(settings, session_factory, admin)
            else:
                async with asyncio.TaskGroup() as services:
                    services.create_task(serve_admin(settings, session_factory, admin))
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
