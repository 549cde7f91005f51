"""Which processes of the product are alive, so that work a dead one took can be taken over at
once rather than after a lease runs out.

On PostgreSQL each process holds an advisory lock named by its key for as long as it lives: the
server lets go of it when the process, or its connection, dies. SQLite serves one process, so
there every key but the caller's own is a process that is gone.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, literal, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

# The first key of the advisory locks that say a process is alive (the second is its key).
_ALIVE_LOCKS = 0x1C0B07


def _held_keys() -> Select[tuple[int]]:
    """The keys of the live processes: the advisory locks of this database held under ours."""
    return (
        select(literal_column("objid::bigint"))
        .select_from(text("pg_locks"))
        .where(
            text("locktype = 'advisory' AND granted AND objsubid = 2"),
            text("classid = :alive_locks").bindparams(alive_locks=_ALIVE_LOCKS),
            text("database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
        )
    )


@dataclass(frozen=True, slots=True)
class Process:
    """A process of the product, as the rows it works on name it."""

    key: int
    postgresql: bool

    def gone(self, key: ColumnElement[int | None]) -> ColumnElement[bool]:
        """Whether the process ``key`` names is gone, in SQL."""
        if not self.postgresql:
            return key != self.key
        return key.not_in(_held_keys())

    async def is_alive(self, session: AsyncSession, key: int | None) -> bool:
        if key is None:
            return False
        return bool(await session.scalar(select(~self.gone(literal(key)))))


@contextlib.asynccontextmanager
async def alive(engine: AsyncEngine) -> AsyncIterator[Process]:
    """This process, known to the others as alive for as long as the block lasts."""
    postgresql = engine.dialect.name == "postgresql"
    if not postgresql:
        yield Process(secrets.randbits(31), postgresql=False)
        return
    async with engine.connect() as connection:
        while True:  # a key another live process holds is drawn again
            key = secrets.randbits(31)
            lock = func.pg_try_advisory_lock(literal(_ALIVE_LOCKS), literal(key))
            if await connection.scalar(select(lock)):
                break
        await connection.commit()
        try:
            yield Process(key, postgresql=True)
        finally:
            # A session's advisory lock outlives its connection's return to the pool.
            unlock = func.pg_advisory_unlock(literal(_ALIVE_LOCKS), literal(key))
            await connection.scalar(select(unlock))
            await connection.commit()
