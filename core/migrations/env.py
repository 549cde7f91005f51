"""Alembic environment: the connection handed in by ``core.infra.migrate``, or the settings' URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from core.infra.db import create_engine
from core.infra.settings import load_settings
from core.models import Base
from core.models.practice import outside_the_models

target_metadata = Base.metadata


def compared(name: str | None, kind: str, parent_names: object) -> bool:
    """Whether autogenerate compares this part of the database with the models."""
    return not outside_the_models(name, kind)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=compared,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    engine = create_engine(load_settings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_with_own_engine())
