"""What every command needs: settings read once, the database opened for the command, and an
event loop for the long-running services."""

from __future__ import annotations

import asyncio
import logging
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


def configure_logging(settings: Settings) -> None:
    """Log lines of ``INCORRUPTIBLE_LOG_LEVEL`` and above to standard error, for every service.

    aiogram writes a line for every update it handles at INFO: a busy bot's log would be made
    of little else (and writing it costs about 2% of the bot's CPU). Those lines show at DEBUG.
    """
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(message)s")
    if settings.log_level != "DEBUG":
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)


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
