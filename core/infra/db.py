"""The database engine and the one session factory, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import Connection, CursorResult, Executable, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.infra import sqlite
from core.infra.settings import Settings

SessionFactory = async_sessionmaker[AsyncSession]


async def changed_rows(
    session: AsyncSession, statement: Executable, parameters: dict[str, Any] | None = None
) -> int:
    """How many rows an UPDATE or DELETE changed."""
    # Statements that change data give a cursor result, the only kind that counts rows.
    result = cast(CursorResult[Any], await session.execute(statement, parameters))
    return result.rowcount


def json_text(value: Any) -> str:
    """JSON as compact UTF-8 text, several times faster than the standard library's (non-string
    keys become strings, as there): a conversation's state is written for every answer."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    url = make_url(database_url)
    json_columns = {"json_serializer": json_text, "json_deserializer": orjson.loads}
    if url.get_backend_name() == "sqlite":
        pool: dict[str, int] = {}
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            # Every transaction takes the write lock (see _sqlite_begin_immediate), so one
            # connection serves them all: waiters queue in the pool, in order, instead of
            # sleeping in SQLite's busy handler and waking up late.
            pool = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60}
        database = url.database or ":memory:"
        engine = create_async_engine(
            url,
            echo=echo,
            async_creator=lambda: sqlite.connect(database, timeout=30),
            **json_columns,
            **pool,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_async_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20, **json_columns
    )


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
    # SQLite leaves foreign keys off unless asked on every connection; WAL lets readers
    # proceed while the one writer commits.
    # Let SQLAlchemy, not the driver, issue BEGIN (see _sqlite_begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Connection) -> None:
    # Take the write lock when the transaction starts, not at its first write: a transaction
    # that read the audit head then fails to upgrade its lock would lose its work. The BEGIN
    # goes to the database just before the transaction's first statement (core.infra.sqlite).
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite.Connection)
    driver.begin_with_next_statement("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


def engine_from_settings(settings: Settings) -> AsyncEngine:
    return create_engine(settings.database_url, echo=settings.database_echo)
