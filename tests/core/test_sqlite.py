"""The SQLite connection: statements run in place unless they must wait or run long, with
SQLite's guarantees intact."""

import asyncio
import sqlite3

import aiosqlite
import pytest
from sqlalchemy import func, insert, select, text

from core.infra import sqlite
from core.infra.db import create_engine, create_session_factory
from core.models import Base, ProcessedUpdate
from tests.support import databases


@pytest.fixture
async def sqlite_engine(tmp_path):
    engine = create_engine(databases.sqlite_url(tmp_path / "crossings.db"))
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def crossings(monkeypatch) -> list[str]:
    """The name of every call sent to a connection's thread, in order."""
    sent: list[str] = []
    cross = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        sent.append(args[1].__name__ if fn.__name__ == "_waiting_for_locks" else fn.__name__)
        return await cross(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return sent


async def test_small_statements_and_their_commit_run_in_place(sqlite_engine, crossings):
    session_factory = create_session_factory(sqlite_engine)
    async with session_factory() as session, session.begin():
        await session.execute(insert(ProcessedUpdate).values(bot_id=1, update_id=1))
        await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1
    assert crossings == []


async def fill(session_factory, count: int) -> None:
    async with session_factory() as session, session.begin():
        rows = [{"bot_id": 1, "update_id": number} for number in range(count)]
        await session.execute(insert(ProcessedUpdate), rows)


# Far more than IN_PLACE_STEPS: every pair of 2,000 rows is looked at.
LONG_QUERY = text(
    "SELECT count(*) FROM processed_update AS a JOIN processed_update AS b "
    "ON a.update_id < b.update_id WHERE a.bot_id = 1 AND b.bot_id = 1"
)


async def test_a_long_query_moves_to_the_thread_and_the_transaction_goes_on(
    sqlite_engine, crossings
):
    session_factory = create_session_factory(sqlite_engine)
    await fill(session_factory, 2000)
    crossings.clear()
    async with session_factory() as session, session.begin():
        await session.execute(insert(ProcessedUpdate).values(bot_id=2, update_id=1))
        # Stopped in place, then run again on the thread: the same answer.
        assert await session.scalar(LONG_QUERY) == 2000 * 1999 // 2
        assert crossings == ["_run"]
        await session.execute(insert(ProcessedUpdate).values(bot_id=2, update_id=2))
    async with session_factory() as session:
        stored = select(func.count()).where(ProcessedUpdate.bot_id == 2)
        assert await session.scalar(stored) == 2  # nothing was undone by the stop


async def test_a_transaction_waits_for_another_process_lock_without_holding_up_the_loop(
    sqlite_engine, tmp_path, crossings
):
    session_factory = create_session_factory(sqlite_engine)
    other = sqlite3.connect(tmp_path / "crossings.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    async def write() -> None:
        async with session_factory() as session, session.begin():
            await session.execute(insert(ProcessedUpdate).values(bot_id=3, update_id=1))

    ticker = asyncio.create_task(tick())
    writer = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not writer.done()
    other.execute("COMMIT")
    await writer
    ticker.cancel()
    other.close()
    assert ticks >= 10  # the loop went on while the transaction waited
    assert crossings == ["execute"]  # BEGIN waited on the thread; the rest ran in place


async def test_the_transaction_holds_the_write_lock_from_its_first_statement(
    sqlite_engine, tmp_path
):
    session_factory = create_session_factory(sqlite_engine)
    other = sqlite3.connect(tmp_path / "crossings.db", timeout=0, isolation_level=None)
    try:
        async with session_factory() as session, session.begin():
            await session.scalar(select(func.count()).select_from(ProcessedUpdate))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


async def test_a_failed_statement_rolls_the_whole_transaction_back(sqlite_engine):
    session_factory = create_session_factory(sqlite_engine)
    with pytest.raises(Exception, match="UNIQUE"):
        async with session_factory() as session, session.begin():
            await session.execute(insert(ProcessedUpdate).values(bot_id=1, update_id=7))
            await session.execute(insert(ProcessedUpdate).values(bot_id=1, update_id=7))
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0


@pytest.mark.parametrize("count", [0, 1, sqlite.FIRST_ROWS, sqlite.FIRST_ROWS * 2 + 3])
async def test_results_of_any_length_come_back_whole_and_in_order(sqlite_engine, count):
    session_factory = create_session_factory(sqlite_engine)
    async with session_factory() as session, session.begin():
        if count:
            rows = [{"bot_id": 1, "update_id": number} for number in range(count)]
            await session.execute(insert(ProcessedUpdate), rows)
    query = select(ProcessedUpdate.update_id).order_by(ProcessedUpdate.update_id)
    async with session_factory() as session:
        fetched = (await session.scalars(query)).all()
        streamed = [
            number
            async for number in await session.stream_scalars(query.execution_options(yield_per=100))
        ]
        one_by_one = (await session.execute(text("SELECT 1 UNION ALL SELECT 2"))).all()
    assert fetched == streamed == list(range(count))
    assert one_by_one == [(1,), (2,)]
