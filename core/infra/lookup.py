"""Finding one stored item by its id, within what the caller may reach."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound

R = TypeVar("R")


async def one(session: AsyncSession, query: Select[R], missing: str, item_id: int) -> R:
    """The item ``query`` finds; ``missing`` names the id when it finds none."""
    item = await session.scalar(query)
    if item is None:
        raise NotFound(missing, id=item_id)
    return item
