"""Fixtures shared by the whole suite.

Every test that asks for ``db_url``, ``engine``, ``session_factory``, ``session`` or ``migrated``
runs twice: on SQLite and on PostgreSQL. Where PostgreSQL is unreachable those runs are skipped,
except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.infra import migrate
from core.infra.db import SessionFactory, create_engine, create_session_factory
from core.models import Base
from tests.support import databases


async def _database_url(kind: str, tmp_path_factory) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield databases.sqlite_url(tmp_path_factory.mktemp("db") / "test.db")
        return
    reason = await databases.postgres_available()
    if reason:
        message = f"PostgreSQL at {databases.POSTGRES_URL} is unreachable ({reason})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    url = await databases.create_postgres_database()
    try:
        yield url
    finally:
        await databases.drop_postgres_database(url)


@pytest.fixture(scope="session", params=databases.BACKENDS)
async def db_url(request, tmp_path_factory) -> AsyncIterator[str]:
    """A database of the run, its schema made by each test's ``engine`` user."""
    async for url in _database_url(request.param, tmp_path_factory):
        yield url


@pytest.fixture(params=databases.BACKENDS)
async def empty_db_url(request, tmp_path_factory) -> AsyncIterator[str]:
    """A new, empty database for one test (migrations start from nothing)."""
    async for url in _database_url(request.param, tmp_path_factory):
        yield url


@pytest.fixture
async def postgres_db_url(tmp_path_factory) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one test of what only PostgreSQL serves: several
    processes of the product at once."""
    async for url in _database_url("postgresql", tmp_path_factory):
        yield url


@pytest.fixture(scope="session", params=databases.BACKENDS)
async def migrated_db_url(request, tmp_path_factory) -> AsyncIterator[str]:
    """A database of the run brought to the head by the migrations (``migrated`` empties it
    for each test)."""
    async for url in _database_url(request.param, tmp_path_factory):
        engine = create_engine(url)
        await migrate.upgrade(engine)
        await engine.dispose()
        yield url


@pytest.fixture
async def migrated(migrated_db_url: str) -> AsyncIterator[SessionFactory]:
    """A session factory over the migrated database, its tables emptied."""
    engine = create_engine(migrated_db_url)
    await databases.clear_tables(engine)
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def other_empty_db_url(empty_db_url, tmp_path) -> AsyncIterator[str]:
    """A second new, empty database of the same kind as ``empty_db_url``."""
    if empty_db_url.startswith("sqlite"):
        yield databases.sqlite_url(tmp_path / "other.db")
        return
    url = await databases.create_postgres_database()
    try:
        yield url
    finally:
        await databases.drop_postgres_database(url)


@pytest.fixture(scope="session")
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session_factory(engine: AsyncEngine) -> SessionFactory:
    await databases.clear_tables(engine)
    return create_session_factory(engine)


@pytest.fixture
async def session(session_factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session
