"""The database engine and the one session factory, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import Connection, CursorResult, Executable, event
from sqlalchemy.engine import URL, make_url
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


# Every engine's: JSON columns through orjson, and a statement's values left out of its errors,
# whose tracebacks are logged (they would quote Telegram ids, names, invitation codes).
ENGINE_OPTIONS: dict[str, Any] = {
    "json_serializer": json_text,
    "json_deserializer": orjson.loads,
    "hide_parameters": True,
}
# An execution option: how long a transaction waits for another's write lock on SQLite, in
# seconds, when it should not wait as long as the engine's connections do.
LOCK_TIMEOUT = "incorruptible_lock_timeout"


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # Every transaction takes the write lock (see _sqlite_begin_immediate), so one
        # connection serves them all: waiters queue in the pool, in order, instead of
        # sleeping in SQLite's busy handler and waking up late.
        pool = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60} if _is_file(url) else {}
        return _sqlite_engine(url, echo, pool, _sqlite_pragmas, _sqlite_begin_immediate)
    return create_async_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20, **ENGINE_OPTIONS
    )


def create_read_engine(engine: AsyncEngine, *, connections: int) -> AsyncEngine:
    """An engine for transactions that only read: on a SQLite file, ``connections`` read-only
    connections of its own, which WAL lets read while another holds the write lock; on any
    other database ``engine`` itself."""
    if not _is_file(engine.url):
        return engine
    pool = {"pool_size": connections, "max_overflow": 0}
    return _sqlite_engine(
        engine.url, engine.echo, pool, _sqlite_reader_pragmas, _sqlite_begin_deferred
    )


def _is_file(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def _sqlite_engine(
    url: URL,
    echo: bool,
    pool: dict[str, int],
    on_connect: Callable[[DBAPIConnection, object], None],
    on_begin: Callable[[Connection], None],
) -> AsyncEngine:
    database = url.database or ":memory:"
    if _is_file(url):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        echo=echo,
        async_creator=lambda: sqlite.connect(database, timeout=30),
        **ENGINE_OPTIONS,
        **pool,
    )
    event.listen(engine.sync_engine, "connect", on_connect)
    event.listen(engine.sync_engine, "begin", on_begin)
    return engine


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


def _sqlite_reader_pragmas(dbapi_connection: DBAPIConnection, record: object) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    # A reader that tried to write would need the write lock it must never wait for.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _sqlite_begin_immediate(connection: Connection) -> None:
    # Take the write lock when the transaction starts, not at its first write: a transaction
    # that read the audit head then fails to upgrade its lock would lose its work. The BEGIN
    # goes to the database just before the transaction's first statement (core.infra.sqlite).
    lock_timeout = connection.get_execution_options().get(LOCK_TIMEOUT)
    _driver(connection).begin_with_next_statement("BEGIN IMMEDIATE", lock_timeout)


def _sqlite_begin_deferred(connection: Connection) -> None:
    # A reader's statements see one snapshot of the database, and take no write lock.
    _driver(connection).begin_with_next_statement("BEGIN")


def _driver(connection: Connection) -> sqlite.Connection:
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite.Connection)
    return driver


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


def engine_from_settings(settings: Settings) -> AsyncEngine:
    return create_engine(settings.database_url, echo=settings.database_echo)
