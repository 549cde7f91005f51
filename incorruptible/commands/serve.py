"""The long-running processes."""

from __future__ import annotations

import asyncio

import typer
import uvicorn
from sqlalchemy import select

from admin.app import create_app
from core import migrate as migrations
from core.db import SessionFactory, create_session_factory, engine_from_settings
from core.demo import DEMO_SLUG, seed_demo
from core.models import Campaign, Role, Secretariat, Sector
from core.services import campaigns, invitations
from core.services.definitions import DefinitionCatalog
from core.settings import Settings
from emulator.server import Emulator
from incorruptible.commands.bot import WEBHOOK_HOST, WEBHOOK_PORT, emulated, token_of
from incorruptible.context import configure_logging, run_service, settings_or_exit

ACTOR = "system:run"


async def serve_admin(settings: Settings, session_factory: SessionFactory) -> None:
    app = create_app(settings, session_factory)
    config = uvicorn.Config(
        app, host=settings.admin_host, port=settings.admin_port, log_level="info"
    )
    typer.echo(f"admin API: http://{settings.admin_host}:{settings.admin_port}/docs")
    await uvicorn.Server(config).serve()


async def serve_bot(settings: Settings, session_factory: SessionFactory) -> None:
    from bot.runner import poll, prepare, serve_webhook

    telegram, dispatcher = prepare(settings, session_factory)
    if settings.webhook_url is not None:
        await serve_webhook(telegram, dispatcher, host=WEBHOOK_HOST, port=WEBHOOK_PORT)
    else:
        await poll(telegram, dispatcher, handle_signals=False)


async def prepare_demo(settings: Settings, session_factory: SessionFactory) -> tuple[str, str]:
    """The demo secretariat with every built-in survey pending, and a fresh invitation to it."""
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


async def run_with_emulator(settings: Settings, session_factory: SessionFactory) -> None:
    """No bot token: the emulator and its web chat stand in for Telegram."""
    from bot import identity

    async with Emulator(
        spec_path=settings.bot_api_spec, host=settings.emulator_host, port=settings.emulator_port
    ) as emulator:
        bot_settings = emulated(settings)
        name, code = await prepare_demo(settings, session_factory)
        username = await identity.username(bot_settings)
        typer.echo("No bot token set: Telegram is replaced by the local emulator.")
        typer.echo(f"web chat: {emulator.base_url}/  (create a person, then chat with the bot)")
        typer.echo(f"To join {name}, send in the web chat: /start {code}")
        typer.echo(f"invitation link: {invitations.deep_link(username, code)}")
        await asyncio.gather(
            serve_admin(settings, session_factory), serve_bot(bot_settings, session_factory)
        )


def _start(settings: Settings, *, migrate: bool, with_bot: bool) -> None:
    configure_logging(settings)

    async def main() -> None:
        engine = engine_from_settings(settings)
        try:
            if migrate:
                await migrations.upgrade(engine)
            session_factory = create_session_factory(engine)
            if not with_bot:
                await serve_admin(settings, session_factory)
            elif not token_of(settings):
                await run_with_emulator(settings, session_factory)
            else:
                await asyncio.gather(
                    serve_admin(settings, session_factory), serve_bot(settings, session_factory)
                )
        finally:
            await engine.dispose()

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
