"""Paginated, sorted lists: one statement for the page and one for the total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.i18n import N_
from core.errors import InvalidInput

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


def order_by(sort: str | None, sortable: Mapping[str, Any], default: str) -> list[Any]:
    """Columns for ``sort`` (a field name, ``-`` in front for descending)."""
    sort = sort or default
    name = sort.removeprefix("-")
    if name not in sortable:
        raise InvalidInput(
            N_("Cannot sort by {value}; use one of: {choices}."),
            field="sort",
            value=sort,
            choices=", ".join(sorted(sortable)),
        )
    column = sortable[name]
    return [column.desc() if sort.startswith("-") else column.asc()]


async def paginate(
    session: AsyncSession,
    query: Select,
    *,
    limit: int,
    offset: int,
    sort: str | None,
    sortable: Mapping[str, Any],
    default: str,
    tie_breaker: Any,
) -> Page:
    """``tie_breaker`` (a column, or a tuple of them) makes the order total, so pages never
    overlap."""
    tie_breakers = tie_breaker if isinstance(tie_breaker, tuple) else (tie_breaker,)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            N_("The limit must be from 1 to {limit}."), field="limit", limit=MAX_LIMIT
        )
    if offset < 0:
        raise InvalidInput(N_("The offset cannot be negative."), field="offset")
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = (
        await session.scalars(
            query.order_by(*order_by(sort, sortable, default), *tie_breakers)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return Page(items=items, total=int(total or 0), limit=limit, offset=offset)
