"""Paginated, sorted lists: one statement for the page and one for the total."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from i18n import N_

T = TypeVar("T")
U = TypeVar("U")
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int

    def map(self, read: Callable[[T], U]) -> Page[U]:
        """The same page with each item turned by ``read`` (into what an answer shows, say)."""
        return Page([read(item) for item in self.items], self.total, self.limit, self.offset)


@dataclass(frozen=True)
class Sorting:
    """The orders a list offers, by name, and the one it takes when none is asked for.

    A name stands for a column, or for a tuple of them: the first takes the direction asked
    for, the others break ties. ``tie_breaker`` (a column, or a tuple of them) comes last and
    makes every order total, so pages never overlap.
    """

    sortable: Mapping[str, Any]
    default: str
    tie_breaker: Any

    def order_by(self, sort: str | None) -> list[Any]:
        """Columns for ``sort`` (a name, ``-`` in front for descending)."""
        sort = sort or self.default
        name = sort.removeprefix("-")
        if name not in self.sortable:
            raise InvalidInput(
                N_("Cannot sort by {value}; use one of: {choices}."),
                field="sort",
                value=sort,
                choices=", ".join(sorted(self.sortable)),
            )
        first, *others = _columns(self.sortable[name])
        direction = first.desc() if sort.startswith("-") else first.asc()
        return [direction, *others, *_columns(self.tie_breaker)]


def _columns(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


async def paginate(
    session: AsyncSession,
    query: Select[*tuple[Any, ...]],
    sorting: Sorting,
    *,
    limit: int,
    offset: int,
    sort: str | None = None,
    whole_rows: bool = False,
) -> Page[Any]:
    """One page of ``query`` in the order ``sort`` names (``sorting``'s default without it):
    its first column, or each row whole with ``whole_rows``."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            N_("The limit must be from 1 to {limit}."), field="limit", limit=MAX_LIMIT
        )
    if offset < 0:
        raise InvalidInput(N_("The offset cannot be negative."), field="offset")
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = query.order_by(*sorting.order_by(sort)).limit(limit).offset(offset)
    result = await session.execute(page)
    items = result.all() if whole_rows else result.scalars().all()
    return Page(items=items, total=int(total or 0), limit=limit, offset=offset)


def given_filters(*filters: tuple[Any, object]) -> list[ColumnElement[bool]]:
    """``column == value`` for each of a list's optional filters, as ``(column, value)``, that
    was given (is not None)."""
    return [column == value for column, value in filters if value is not None]


def like_pattern(text: str, field: str = "q") -> str:
    """A case-insensitive LIKE pattern matching ``text`` anywhere, its wildcards escaped.

    NUL is refused: SQLite ends the pattern there, and ``%`` alone matches every row.
    """
    if "\x00" in text:
        raise InvalidInput(N_("The {field} must not contain NUL characters."), field=field)
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"
