"""Schema migrations and demo data."""

from __future__ import annotations

import asyncio

import typer

from incorruptible.context import (
    configure_for_database,
    open_database,
    settings_or_exit,
    upgrade_database,
)


def migrate(
    revision: str = typer.Argument("head", help="Target revision."),
    downgrade: bool = typer.Option(False, "--downgrade", help="Go down to REVISION instead."),
) -> None:
    """Apply (or undo) database migrations."""
    from core.infra import migrate as migrations
    from core.infra.db import engine_from_settings

    settings = settings_or_exit()
    configure_for_database(settings)

    async def run() -> None:
        engine = engine_from_settings(settings)
        try:
            if downgrade:
                await migrations.downgrade(engine, revision)
            elif revision == "head":
                await upgrade_database(engine, settings)
            else:
                await migrations.upgrade(engine, revision)
        finally:
            await engine.dispose()

    asyncio.run(run())
    typer.echo(f"database at {revision}")


def seed_demo() -> None:
    """Create a demo secretariat with a realistic plan, people of every role and a few surveys."""
    from core.demo import seed_demo as seed
    from core.infra.db import engine_from_settings

    settings = settings_or_exit()
    configure_for_database(settings)

    async def run() -> str:
        engine = engine_from_settings(settings)
        await upgrade_database(engine, settings)
        await engine.dispose()
        async with open_database(settings) as session_factory:
            return await seed(session_factory, settings)

    typer.echo(asyncio.run(run()))
