"""What every command needs: settings read once, the database opened for the command, and an
event loop for the long-running services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import typer

from core.db import SessionFactory, create_session_factory, engine_from_settings
from core.settings import Settings, SettingsError, load_settings

Result = TypeVar("Result")


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


def run_service(main: Coroutine[Any, Any, Result]) -> Result:
    """Run a long-lived service on uvloop where the platform has it (not on Windows): the bot
    spends a good part of each update in the event loop, and uvloop's is several times leaner."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)
