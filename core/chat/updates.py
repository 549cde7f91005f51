"""Processing each Telegram update once: its id is recorded in the transaction that handles it.

A redelivered update (a webhook retry, a restart before the offset was confirmed) finds its
id already there and is not handled again; concurrent copies collide on the primary key.

The record names the process handling the update and is marked finished at the end. Handlers
commit before they reply, so a process that dies after committing and before replying leaves an
update whose answer is kept but whose replies never left. Telegram delivers it again (its request
got no answer), and whichever process receives it then takes it over (``Claim.ABANDONED``): the
bot tells the person where they are instead of handling it a second time.

Whether a process is still there: on PostgreSQL each bot process holds an advisory lock named by
its key for as long as it lives (the server lets go of it when the process or its connection
dies); on SQLite, which one process serves, every other key is a process that is gone.
"""

from __future__ import annotations

import contextlib
import enum
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, insert, literal, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.infra.db import changed_rows
from core.models import ProcessedUpdate, utcnow

# A plain INSERT into the table, built once: the unit of work, or the ORM's bulk path, would cost
# more than the statement, and this runs for every update.
_CLAIM = insert(ProcessedUpdate.__table__)
# The first key of the advisory locks that say a bot process is alive (the second is its key).
_ALIVE_LOCKS = 0x1C0B07
_HELD = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND classid = :first AND objid = :second AND objsubid = 2"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
)


class Claim(enum.Enum):
    NEW = "new"  # this process handles it
    SEEN = "seen"  # handled already, or being handled by a live process: nothing to do
    ABANDONED = "abandoned"  # its handler died after committing: this process takes it over


@dataclass(frozen=True, slots=True)
class Handler:
    """A bot process, as the update records know it."""

    key: int
    postgresql: bool

    async def is_alive(self, session: AsyncSession, key: int | None) -> bool:
        if key == self.key:
            return True
        if key is None or not self.postgresql:
            return False
        return bool(await session.scalar(_HELD, {"first": _ALIVE_LOCKS, "second": key}))


@contextlib.asynccontextmanager
async def handling(engine: AsyncEngine) -> AsyncIterator[Handler]:
    """This process, known to the others for as long as the block lasts."""
    postgresql = engine.dialect.name == "postgresql"
    if not postgresql:
        yield Handler(secrets.randbits(31), postgresql=False)
        return
    async with engine.connect() as connection:
        while True:  # a key another live process holds is drawn again
            key = secrets.randbits(31)
            taken = await connection.scalar(
                select(func.pg_try_advisory_lock(literal(_ALIVE_LOCKS), literal(key)))
            )
            await connection.commit()
            if taken:
                break
        try:
            yield Handler(key, postgresql=True)
        finally:
            # A session's advisory lock outlives its connection's return to the pool.
            await connection.scalar(
                select(func.pg_advisory_unlock(literal(_ALIVE_LOCKS), literal(key)))
            )
            await connection.commit()


async def claim(session: AsyncSession, bot_id: int, update_id: int, handler: Handler) -> Claim:
    """Record the update as the first write of the transaction that handles it.

    Unless it is NEW or ABANDONED the transaction is rolled back, having done nothing.
    """
    try:
        await session.execute(
            _CLAIM,
            {
                "bot_id": bot_id,
                "update_id": update_id,
                "processed_at": utcnow(),
                "handler": handler.key,
                "finished": False,
            },
        )
    except IntegrityError:
        await session.rollback()
    else:
        return Claim.NEW
    mine = (ProcessedUpdate.bot_id == bot_id) & (ProcessedUpdate.update_id == update_id)
    earlier = (
        await session.execute(select(ProcessedUpdate.handler, ProcessedUpdate.finished).where(mine))
    ).one()
    if earlier.finished or await handler.is_alive(session, earlier.handler):
        await session.rollback()
        return Claim.SEEN
    # Two processes may find it abandoned at once: the handler recorded decides which takes it.
    taken = await changed_rows(
        session,
        update(ProcessedUpdate)
        .where(mine, ProcessedUpdate.handler.is_not_distinct_from(earlier.handler))
        .where(ProcessedUpdate.finished.is_(False))
        .values(handler=handler.key),
    )
    if not taken:
        await session.rollback()
        return Claim.SEEN
    return Claim.ABANDONED


async def finish(session: AsyncSession, bot_id: int, update_id: int) -> None:
    """Mark the update handled to the end, in the session's transaction."""
    await session.execute(
        update(ProcessedUpdate)
        .where(ProcessedUpdate.bot_id == bot_id, ProcessedUpdate.update_id == update_id)
        .values(finished=True)
    )


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Drop ids old enough that Telegram will never deliver them again (it keeps 24 hours)."""
    return await changed_rows(
        session, delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < utcnow() - age)
    )
