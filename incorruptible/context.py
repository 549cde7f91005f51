"""What every command needs: settings read once, and the database opened for the command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import typer

from core.db import SessionFactory, create_session_factory, engine_from_settings
from core.settings import Settings, SettingsError, load_settings


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[SessionFactory]:
    engine = engine_from_settings(settings)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()
