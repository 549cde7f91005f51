"""The aiosqlite internals that core/sqlite.py builds on: when an upgrade changes one, this says
which, before anything subtler breaks."""

from __future__ import annotations

import importlib
import inspect
import sqlite3

import aiosqlite
import pytest

from core.infra import sqlite


def internal(owner: object, name: str) -> object:
    found = getattr(owner, name, None)
    if found is None:
        pytest.fail(f"aiosqlite {aiosqlite.__version__} no longer has {name}: see core/sqlite.py")
    return found


def test_the_constructors_take_what_core_sqlite_passes() -> None:
    connection = inspect.signature(aiosqlite.Connection.__init__).parameters
    assert list(connection)[1:3] == ["connector", "iter_chunk_size"], (
        "aiosqlite.Connection(connector, iter_chunk_size) changed"
    )
    cursor = inspect.signature(aiosqlite.Cursor.__init__).parameters
    assert list(cursor)[1:3] == ["conn", "cursor"], "aiosqlite.Cursor(conn, cursor) changed"


def test_the_sqlite3_connection_thread_and_cursor_are_reachable() -> None:
    assert isinstance(internal(aiosqlite.Connection, "_conn"), property), (
        "aiosqlite.Connection._conn is no longer a property"
    )
    execute = internal(aiosqlite.Connection, "_execute")
    assert inspect.iscoroutinefunction(execute), "aiosqlite.Connection._execute is not async"
    try:
        context = importlib.import_module("aiosqlite.context")
    except ImportError:
        pytest.fail("aiosqlite.context is gone: see core/sqlite.py")
    internal(context, "contextmanager")


async def test_a_connection_reaches_them(tmp_path) -> None:
    async with sqlite.connect(str(tmp_path / "internals.db")) as connection:
        assert isinstance(connection._conn, sqlite3.Connection)
        async with connection.cursor() as cursor:
            assert isinstance(cursor._cursor, sqlite3.Cursor), "aiosqlite.Cursor._cursor changed"
        assert await connection.on_thread(lambda: 1) == 1
