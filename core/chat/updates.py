"""Processing each Telegram update once: its id is recorded in the transaction that handles it.

A redelivered update (a webhook retry, a restart before the offset was confirmed) finds its
id already there and is not handled again; concurrent copies collide on the primary key.

The record names the process handling the update and is marked finished at the end. Handlers
commit before they reply, so a process that dies after committing and before replying leaves an
update whose answer is kept but whose replies never left. Telegram delivers it again (its request
got no answer), and whichever process receives it then takes it over (``Claim.ABANDONED``): the
bot tells the person where they are instead of handling it a second time.

Whether that process is still there is ``core.infra.liveness``'s to say. A process killed a
moment ago may still look alive (the database lets go of its lock when it notices the connection
closed), so a copy that finds its update unfinished in another process's hands waits a little
for it to finish or to be gone before leaving it to that process.
"""

from __future__ import annotations

import asyncio
import enum
import time
from datetime import timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.db import changed_rows
from core.infra.liveness import Process
from core.models import ProcessedUpdate, utcnow

# A plain INSERT into the table, built once: the unit of work, or the ORM's bulk path, would cost
# more than the statement, and this runs for every update.
_CLAIM = insert(ProcessedUpdate.__table__)

# How long a copy waits for another live process to finish its update, and how often it looks.
PATIENCE = 5.0
_LOOK_EVERY = 0.1


class Claim(enum.Enum):
    NEW = "new"  # this process handles it
    SEEN = "seen"  # handled already, or being handled by a live process: nothing to do
    ABANDONED = "abandoned"  # its handler died after committing: this process takes it over


async def claim(
    session: AsyncSession,
    bot_id: int,
    update_id: int,
    process: Process,
    *,
    patience: float = PATIENCE,
) -> Claim:
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
                "handler": process.key,
                "finished": False,
            },
        )
    except IntegrityError:
        await session.rollback()
    else:
        return Claim.NEW
    mine = (ProcessedUpdate.bot_id == bot_id) & (ProcessedUpdate.update_id == update_id)
    deadline = time.monotonic() + patience
    while True:
        earlier = (
            await session.execute(
                select(ProcessedUpdate.handler, ProcessedUpdate.finished).where(mine)
            )
        ).one()
        if earlier.finished:
            await session.rollback()
            return Claim.SEEN
        if not await process.is_alive(session, earlier.handler):
            break
        await session.rollback()  # nothing held while waiting
        if earlier.handler == process.key or time.monotonic() >= deadline:
            return Claim.SEEN  # it is this process's, or the other is slow but there
        await asyncio.sleep(_LOOK_EVERY)
    # Two processes may find it abandoned at once: the handler recorded decides which takes it.
    taken = await changed_rows(
        session,
        update(ProcessedUpdate)
        .where(mine, ProcessedUpdate.handler.is_not_distinct_from(earlier.handler))
        .where(ProcessedUpdate.finished.is_(False))
        .values(handler=process.key),
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


async def close(session: AsyncSession, bot_id: int, update_id: int) -> None:
    """Record the update as handled to the end whether it was claimed or not (its handler
    failed, and the person was answered otherwise), and commit: a copy is not answered again."""
    row = {"bot_id": bot_id, "update_id": update_id, "processed_at": utcnow(), "finished": True}
    try:
        await session.execute(_CLAIM, row)
    except IntegrityError:
        await session.rollback()
        await finish(session, bot_id, update_id)
    await session.commit()


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Drop ids old enough that Telegram will never deliver them again (it keeps 24 hours)."""
    return await changed_rows(
        session, delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < utcnow() - age)
    )
