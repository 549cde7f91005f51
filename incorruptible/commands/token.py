"""API tokens from the command line: how the first admin gets in."""

from __future__ import annotations

import asyncio

import typer

from core.audit.actor import Actor
from core.people.roles import TokenRole
from incorruptible.context import fail, open_database, settings_or_exit, upgrade_database

app = typer.Typer(help="Issue API tokens for the admin API.", no_args_is_help=True)


@app.command()
def create(
    role: TokenRole = typer.Option(
        ..., "--role", help="national_admin, secretariat_admin, coordinator or viewer."
    ),
    secretariat: int | None = typer.Option(
        None, "--secretariat", help="Secretariat id; required except for national_admin."
    ),
    days: int = typer.Option(90, "--days", help="Days until it expires."),
    label: str | None = typer.Option(None, "--label", help="Who or what will hold it."),
) -> None:
    """Issue a token and print it (only its hash is kept: copy it now)."""
    from core.errors import DomainError
    from core.infra.db import engine_from_settings
    from core.people import tokens

    settings = settings_or_exit()

    async def run() -> str:
        # The first admin may run this before anything else: bring the schema up first.
        engine = engine_from_settings(settings)
        await upgrade_database(engine, settings)
        await engine.dispose()
        async with open_database(settings) as session_factory, session_factory() as session:
            async with session.begin():
                issued = await tokens.issue_token(
                    session,
                    Actor.cli(),
                    role=role,
                    secretariat_id=secretariat,
                    days=days,
                    label=label,
                )
            return issued.secret

    try:
        secret = asyncio.run(run())
    except DomainError as refusal:
        raise fail(refusal.render(settings.default_language), 2) from None
    typer.echo(secret)
