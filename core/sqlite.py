"""SQLite under asyncio in one thread crossing per statement.

aiosqlite runs every call on its connection's own thread: opening a cursor, executing, fetching
the rows and closing the cursor each cross from the event loop to that thread and back, and each
crossing costs more than a small statement itself. The connection made here keeps the thread
for what touches the database (a statement together with its first rows, later rows of a long
result, commit, rollback) and does the bookkeeping (opening and closing cursors) in place, which
sqlite3 allows: it is built thread-safe, and one connection serves one transaction at a time.
A transaction's BEGIN travels with its first statement, and a commit or rollback with no
transaction open (the pool's reset of a returned connection, mostly) does not travel at all.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterable
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager

# Rows fetched in the same crossing as their statement: every result the bot and the API read
# in one transaction fits, and a streamed export still holds no more than this at a time.
FIRST_ROWS = 512


def connect(database: str, **options: Any) -> Connection:
    """An awaitable connection, for ``create_async_engine(..., async_creator=...)``."""

    def open_database() -> sqlite3.Connection:
        return sqlite3.connect(database, check_same_thread=False, **options)

    return Connection(open_database, iter_chunk_size=FIRST_ROWS)


def _run(
    cursor: sqlite3.Cursor, begin: str | None, sql: str, parameters: Iterable[Any]
) -> list[Any]:
    if begin:
        cursor.execute(begin)
    cursor.execute(sql, parameters)
    return cursor.fetchmany(FIRST_ROWS) if cursor.description else []


def _run_many(
    cursor: sqlite3.Cursor, begin: str | None, sql: str, parameters: Iterable[Iterable[Any]]
) -> None:
    if begin:
        cursor.execute(begin)
    cursor.executemany(sql, parameters)


class Cursor(aiosqlite.Cursor):
    def __init__(self, connection: Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(connection, cursor)
        self._connection = connection
        self._ready: deque[Any] = deque()  # rows fetched with the statement, not handed out
        self._more = False  # whether the database may still hold rows of this result

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> Cursor:
        given = () if parameters is None else parameters
        begin = self._connection.take_begin()
        rows = await self._execute(_run, self._cursor, begin, sql, given)
        self._ready = deque(rows)
        self._more = len(rows) == FIRST_ROWS
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> Cursor:
        begin = self._connection.take_begin()
        await self._execute(_run_many, self._cursor, begin, sql, parameters)
        self._ready.clear()
        self._more = False
        return self

    async def fetchone(self) -> Any:
        if self._ready:
            return self._ready.popleft()
        return await super().fetchone() if self._more else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        wanted = self._cursor.arraysize if size is None else size
        rows = [self._ready.popleft() for _ in range(min(wanted, len(self._ready)))]
        if len(rows) < wanted and self._more:
            rows.extend(await super().fetchmany(wanted - len(rows)))
        return rows

    async def fetchall(self) -> list[Any]:
        rows = list(self._ready)
        self._ready.clear()
        if self._more:
            rows.extend(await super().fetchall())
            self._more = False
        return rows

    async def close(self) -> None:
        self._cursor.close()


class Connection(aiosqlite.Connection):
    _begin: str | None = None

    def begin_with_next_statement(self, begin: str) -> None:
        """Open a transaction with ``begin`` in the same crossing as its first statement."""
        self._begin = begin

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    @contextmanager
    async def cursor(self) -> Cursor:
        return Cursor(self, self._conn.cursor())

    async def commit(self) -> None:
        self._begin = None
        if self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        self._begin = None
        if self._conn.in_transaction:
            await super().rollback()
