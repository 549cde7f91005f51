"""The audit log: check that no event was altered or removed, and export the public ledger."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from incorruptible.context import open_database, settings_or_exit

if TYPE_CHECKING:
    from core.audit.chain import ChainReport
    from core.infra.settings import Settings

app = typer.Typer(help="Check the tamper-evident audit log.", no_args_is_help=True)

STDIO = Path("-")


@app.command()
def verify(
    file: Annotated[
        Path | None,
        typer.Argument(help="An export to check offline ('-' reads it from standard input)."),
    ] = None,
) -> None:
    """Recompute every event's hash and link; name the first broken or missing one.

    With FILE, check an export (from `audit export` or the public endpoint) without the
    database; without it, check the database.
    """
    from core.audit import ledger

    if file is not None:
        try:
            if file == STDIO:
                report = ledger.verify_lines(sys.stdin)
            else:
                with file.open(encoding="utf-8") as lines:
                    report = ledger.verify_lines(lines)
        except (OSError, UnicodeDecodeError) as exc:
            typer.secho(f"cannot read {file}: {exc}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
    else:
        report = asyncio.run(database_report(settings_or_exit()))
    typer.echo(report.describe())
    if not report.ok:
        raise typer.Exit(1)


async def database_report(settings: Settings) -> ChainReport:
    """The configured database's audit chain, checked event by event."""
    from core.audit import chain as audit_service

    async with open_database(settings) as session_factory, session_factory() as session:
        return await audit_service.verify(session)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="Where to write ('-' for standard output).")],
    plan: Annotated[
        int | None,
        typer.Option(help="Only this plan's events in full; the others reduced to their hashes."),
    ] = None,
) -> None:
    """Write the ledger as JSON lines, one event per line with its hashes, to verify offline."""
    from core.audit import ledger

    settings = settings_or_exit()

    async def run(out: TextIO) -> int:
        count = 0
        async with open_database(settings) as session_factory, session_factory() as session:
            async for line in ledger.export_lines(session, plan):
                out.write(line)
                count += 1
        return count

    if file == STDIO:
        asyncio.run(run(sys.stdout))
        return
    try:
        with file.open("w", encoding="utf-8") as out:
            count = asyncio.run(run(out))
    except OSError as exc:
        typer.secho(f"cannot write {file}: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    typer.echo(f"{count} events written to {file}")
