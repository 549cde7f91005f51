"""The long-running processes."""

from __future__ import annotations

import asyncio
import logging

import typer
import uvicorn

from admin.app import create_app
from core import migrate as migrations
from core.db import SessionFactory, create_session_factory, engine_from_settings
from core.settings import Settings
from incorruptible.context import settings_or_exit


async def serve_admin(settings: Settings, session_factory: SessionFactory) -> None:
    app = create_app(settings, session_factory)
    config = uvicorn.Config(
        app, host=settings.admin_host, port=settings.admin_port, log_level="info"
    )
    typer.echo(f"admin API: http://{settings.admin_host}:{settings.admin_port}/docs")
    await uvicorn.Server(config).serve()


def _start(settings: Settings, *, migrate: bool) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(message)s")

    async def main() -> None:
        engine = engine_from_settings(settings)
        try:
            if migrate:
                await migrations.upgrade(engine)
            await serve_admin(settings, create_session_factory(engine))
        finally:
            await engine.dispose()

    asyncio.run(main())


def run() -> None:
    """Run the whole product in one process: migrations, then the admin API and public pages."""
    _start(settings_or_exit(), migrate=True)


def admin() -> None:
    """Run the admin API alone (migrations are applied separately with `migrate`)."""
    _start(settings_or_exit(), migrate=False)
