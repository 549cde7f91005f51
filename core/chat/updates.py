"""Processing each Telegram update once: its id is recorded in the transaction that handles it.

A redelivered update (a webhook retry, a restart before the offset was confirmed) finds its
id already there and is ignored; concurrent copies collide on the primary key.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.db import changed_rows
from core.models import ProcessedUpdate, utcnow

# A plain INSERT into the table, built once: the unit of work, or the ORM's bulk path, would cost
# more than the statement, and this runs for every update.
_CLAIM = insert(ProcessedUpdate.__table__)


async def claim(session: AsyncSession, bot_id: int, update_id: int) -> bool:
    """Record the update as the first write of the transaction that handles it.

    False if it was already processed; the transaction is then rolled back, having done nothing.
    """
    try:
        await session.execute(
            _CLAIM, {"bot_id": bot_id, "update_id": update_id, "processed_at": utcnow()}
        )
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Drop ids old enough that Telegram will never deliver them again (it keeps 24 hours)."""
    return await changed_rows(
        session, delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < utcnow() - age)
    )
