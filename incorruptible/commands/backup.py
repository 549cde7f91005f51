"""Back up the database and the evidence files, and restore them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from incorruptible.context import fail, settings_or_exit, upgrade_database, writable_data_dir

if TYPE_CHECKING:
    from core.audit.chain import ChainReport
    from core.infra.backup import Manifest


def backup(
    folder: Annotated[Path, typer.Argument(help="A new (or empty) folder to write the backup in.")],
) -> None:
    """Copy the database and the evidence files into FOLDER, with a manifest of their SHA-256.

    It may run while the product runs: the copy is of the database at one moment, and of every
    file stored by then. PostgreSQL is dumped by pg_dump, which must be of the server's major
    version (or newer).
    """
    from core.infra import backup as backups

    settings = settings_or_exit()
    try:
        manifest = asyncio.run(backups.back_up(settings, folder))
    except backups.BackupError as exc:
        raise fail(str(exc), 2) from None
    typer.echo(f"{_summary(manifest)} backed up to {folder}")


def restore(
    folder: Annotated[Path, typer.Argument(help="A folder written by `incorruptible backup`.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that already holds data.")
    ] = False,
) -> None:
    """Put a backup back into the configured database and data folder.

    Stop the product first (every service): the database is overwritten. Every file is checked
    against the manifest before anything changes (exit code 2 when one is missing or altered,
    or the backup does not fit the database). Then the schema is brought up to this version's
    and the audit chain verified (exit code 1 when it is broken).
    """
    from core.infra import backup as backups
    from core.infra.db import engine_from_settings
    from core.models import Base
    from incorruptible.commands.audit import database_report

    settings = settings_or_exit()
    writable_data_dir(settings)

    async def run() -> ChainReport:
        manifest = await backups.restore(
            settings, folder, replace=replace, tables=Base.metadata.tables
        )
        typer.echo(f"{_summary(manifest)} restored from {folder} (taken {manifest.created})")
        engine = engine_from_settings(settings)
        try:
            await upgrade_database(engine, settings)
        finally:
            await engine.dispose()
        return await database_report(settings)

    try:
        report = asyncio.run(run())
    except backups.BackupError as exc:
        raise fail(str(exc), 2) from None
    typer.echo(report.describe())
    if not report.ok:
        raise typer.Exit(1)


def _summary(manifest: Manifest) -> str:
    revision = manifest.schema_revision or "no schema"
    count = len(manifest.evidence_files)
    files = "evidence file" if count == 1 else "evidence files"
    return f"{manifest.database} database ({revision}) and {count} {files}"
