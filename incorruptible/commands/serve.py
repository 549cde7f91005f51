"""The long-running processes."""

from __future__ import annotations

import asyncio
import logging

import typer
import uvicorn

from admin.app import create_app
from core import migrate as migrations
from core.db import create_session_factory, engine_from_settings
from incorruptible.context import settings_or_exit


def run() -> None:
    """Run the whole product in one process: migrations, then the admin API and public pages."""
    settings = settings_or_exit()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(message)s")

    async def main() -> None:
        engine = engine_from_settings(settings)
        await migrations.upgrade(engine)
        app = create_app(settings, create_session_factory(engine))
        config = uvicorn.Config(
            app, host=settings.admin_host, port=settings.admin_port, log_level="info"
        )
        typer.echo(f"admin API: http://{settings.admin_host}:{settings.admin_port}/docs")
        try:
            await uvicorn.Server(config).serve()
        finally:
            await engine.dispose()

    asyncio.run(main())
