"""The audit log: check that no event was altered or removed."""

from __future__ import annotations

import asyncio

import typer

from core.services import audit as audit_service
from incorruptible.context import open_database, settings_or_exit

app = typer.Typer(help="Check the tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Recompute every event's hash and link; name the first broken one."""
    settings = settings_or_exit()

    async def run() -> audit_service.ChainReport:
        async with open_database(settings) as session_factory, session_factory() as session:
            return await audit_service.verify(session)

    report = asyncio.run(run())
    typer.echo(report.describe())
    if not report.ok:
        raise typer.Exit(1)
