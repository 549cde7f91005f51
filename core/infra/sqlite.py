"""SQLite under asyncio: statements run in place, unless they must wait or run long.

aiosqlite runs every call on its connection's own thread, and each crossing from the event loop
to that thread and back costs tens of microseconds of CPU: more than the small statements a bot
update or an API request makes, which SQLite answers in a few microseconds. The connection made
here runs a statement on the event loop itself, and sends it to the thread only when running it
in place would hold the loop up:

* when it has to wait for the write lock another process holds (SQLite reports "busy" at once,
  because in place the busy timeout is zero; the thread waits for as long as the connection's
  timeout allows);
* when it is a query still running after ``IN_PLACE_STEPS`` steps of SQLite's virtual machine:
  it is stopped, which changes nothing, and run again on the thread;
* bulk statements (``executemany``), and rows of a long result past its first ``FIRST_ROWS``.

aiosqlite has no public way to reach its sqlite3 connection, its cursor or its thread, so this
builds on four of its internals: ``Connection._conn``, ``Connection._execute``,
``Cursor._cursor`` and ``aiosqlite.context.contextmanager``. pyproject.toml bounds the versions
it was written for, and tests/core/test_sqlite_internals.py names whichever of them changes.

sqlite3 allows this: it is built thread-safe, and one connection serves one transaction at a
time, so the loop and the thread never use it together. A transaction's BEGIN is sent with its
first statement, and a commit or rollback with no transaction open does nothing.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

import aiosqlite
from aiosqlite.context import contextmanager

# Rows fetched together with their statement: every result the bot and the API read in one
# transaction fits, and a streamed export still holds no more than this at a time.
FIRST_ROWS = 512
# About a millisecond of work for SQLite; the bot's and the API's queries take a few hundred.
IN_PLACE_STEPS = 100_000
# Outcomes that mean "run it on the thread": nothing was changed by the attempt in place.
_MOVE_TO_THREAD = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_INTERRUPT}

Result = TypeVar("Result")
# What sqlite3 binds: values by position or by name.
Parameters = Sequence[Any] | Mapping[str, Any]


def connect(database: str, *, timeout: float = 5.0, **options: Any) -> Connection:
    """An awaitable connection, for ``create_async_engine(..., async_creator=...)``.

    ``timeout`` is how long a statement waits for another process's write lock (on the thread).
    """

    def open_database() -> sqlite3.Connection:
        connection: sqlite3.Connection = sqlite3.connect(
            database, timeout=0, check_same_thread=False, **options
        )
        return connection

    return Connection(open_database, iter_chunk_size=FIRST_ROWS, lock_timeout=timeout)


def _run(cursor: sqlite3.Cursor, sql: str, parameters: Parameters) -> list[Any]:
    cursor.execute(sql, parameters)
    return cursor.fetchmany(FIRST_ROWS) if cursor.description else []


def _is_query(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


def _stop() -> int:
    return 1


class Cursor(aiosqlite.Cursor):
    def __init__(self, connection: Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(connection, cursor)
        self._connection = connection
        self._ready: deque[Any] = deque()  # rows fetched with the statement, not handed out
        self._more = False  # whether the database may still hold rows of this result

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> Cursor:
        # SQLAlchemy passes a sequence or a mapping, as sqlite3 takes them.
        given = () if parameters is None else cast(Parameters, parameters)
        await self._connection.begin_if_asked()
        rows = await self._connection.run(_run, self._cursor, sql, given, bounded=_is_query(sql))
        self._ready = deque(rows)
        self._more = len(rows) == FIRST_ROWS
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> Cursor:
        await self._connection.begin_if_asked()
        await self._connection.on_thread(self._cursor.executemany, sql, parameters)
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

    def __init__(
        self,
        connector: Callable[[], sqlite3.Connection],
        iter_chunk_size: int,
        lock_timeout: float,
    ) -> None:
        super().__init__(connector, iter_chunk_size)
        self._lock_timeout_ms = self._begin_lock_timeout_ms = int(lock_timeout * 1000)

    def begin_with_next_statement(self, begin: str, lock_timeout: float | None = None) -> None:
        """Open a transaction with ``begin`` just before its first statement, waiting for
        another process's write lock ``lock_timeout`` seconds (else the connection's timeout)."""
        self._begin = begin
        self._begin_lock_timeout_ms = (
            self._lock_timeout_ms if lock_timeout is None else int(lock_timeout * 1000)
        )

    async def begin_if_asked(self) -> None:
        begin, self._begin = self._begin, None
        if begin:
            await self.run(self._conn.execute, begin, lock_timeout_ms=self._begin_lock_timeout_ms)

    async def run(
        self,
        function: Callable[..., Result],
        *args: Any,
        bounded: bool = False,
        lock_timeout_ms: int | None = None,
    ) -> Result:
        """``function(*args)`` on the event loop, or on the thread if it must wait or, when
        ``bounded``, if it outlasts ``IN_PLACE_STEPS``. Only a read may be bounded: stopping a
        write inside a transaction would roll the whole transaction back."""
        connection = self._conn
        if bounded:
            connection.set_progress_handler(_stop, IN_PLACE_STEPS)
        try:
            return function(*args)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode not in _MOVE_TO_THREAD:
                raise
        finally:
            if bounded:
                connection.set_progress_handler(None, 0)
        return await self.on_thread(function, *args, lock_timeout_ms=lock_timeout_ms)

    async def on_thread(
        self, function: Callable[..., Result], *args: Any, lock_timeout_ms: int | None = None
    ) -> Result:
        """``function(*args)`` on the connection's thread, waiting for a lock if it must (for
        ``lock_timeout_ms``, else the connection's timeout)."""
        waiting = self._lock_timeout_ms if lock_timeout_ms is None else lock_timeout_ms
        # aiosqlite's _execute carries no type hints; it returns what the function returns.
        done = await self._execute(self._waiting_for_locks, waiting, function, *args)  # type: ignore[no-untyped-call]
        return cast(Result, done)

    def _waiting_for_locks(
        self, lock_timeout_ms: int, function: Callable[..., Result], *args: Any
    ) -> Result:
        self._conn.execute(f"PRAGMA busy_timeout = {lock_timeout_ms}")
        try:
            return function(*args)
        finally:
            self._conn.execute("PRAGMA busy_timeout = 0")

    @contextmanager
    async def cursor(self) -> Cursor:  # type: ignore[override]  # the subclass's own cursor
        return Cursor(self, self._conn.cursor())

    async def commit(self) -> None:
        self._begin = None
        if self.in_transaction:
            await self.run(self._conn.commit)

    async def rollback(self) -> None:
        self._begin = None
        if self.in_transaction:
            await self.run(self._conn.rollback)
