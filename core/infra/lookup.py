"""Finding one stored item by its id, within what the caller may reach."""

from __future__ import annotations

from typing import Protocol, TypeVar, TypeVarTuple

from sqlalchemy import Row, Select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound

R = TypeVar("R")
Ts = TypeVarTuple("Ts")


class Owned(Protocol):
    """What a secretariat owns directly: a row with its secretariat's id."""

    @property
    def secretariat_id(self) -> int: ...


Item = TypeVar("Item", bound=Owned)


async def one(session: AsyncSession, query: Select[R], missing: str, item_id: int) -> R:
    """The item ``query`` finds; ``missing`` names the id when it finds none."""
    item = await session.scalar(query)
    if item is None:
        raise NotFound(missing, id=item_id)
    return item


async def one_row(
    session: AsyncSession, query: Select[*Ts], missing: str, item_id: int
) -> Row[*Ts]:
    """The first row ``query`` finds (an item with what it belongs to, say); ``missing`` names
    the id when it finds none."""
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(missing, id=item_id)
    return row


async def of_secretariat(
    session: AsyncSession, model: type[Item], secretariat_id: int, item_id: int, missing: str
) -> Item:
    """The ``model`` row ``item_id`` of the secretariat; ``missing`` names the id when there is
    none, or it is another secretariat's (which is not to be told apart from none)."""
    item = await session.get(model, item_id)
    if item is None or item.secretariat_id != secretariat_id:
        raise NotFound(missing, id=item_id)
    return item
