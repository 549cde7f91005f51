"""Throw-away databases for the tests: a SQLite file, or a PostgreSQL database of its own.

Each test run creates its own PostgreSQL database, so runs side by side never collide.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.models import Base

POSTGRES_URL = os.environ.get(
    "INCORRUPTIBLE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


async def postgres_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any failure means the same thing here: no server
        return f"{type(exc).__name__}: {exc}"
    finally:
        await engine.dispose()


async def create_postgres_database() -> str:
    name = f"incorruptible_test_{secrets.token_hex(6)}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def clear_tables(engine: AsyncEngine) -> None:
    """Empty every table between tests, faster than creating the schema again."""
    tables = list(reversed(Base.metadata.sorted_tables))
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(table.delete())
