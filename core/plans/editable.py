"""What reading, changing and deleting any part of a plan takes: its scope, version and events.

Each update takes the version the editor last read (a stale one is refused), changes only the
fields given, and records what changed (before and after) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.attributes import flag_modified

from core.audit import chain
from core.audit.actor import Actor
from core.audit.changes import apply_changes, record_update
from core.errors import Conflict
from core.infra.listing import Page, Sorting, paginate
from core.infra.values import Cleaners, at_most, clean_fields, text
from core.models import (
    Activity,
    Indicator,
    Measurement,
    Objective,
    PeaPriority,
    Person,
    Plan,
    Task,
)
from core.plans.records import Keeper
from i18n import N_

# The parts of a plan that are changed and deleted one by one.
Part = Plan | Objective | Activity | Task | Indicator
# What is changed and deleted one by one: those parts, and the PEA priorities plans cite.
Item = Part | PeaPriority
T = TypeVar("T", bound=Item)
# What is listed a page at a time under one parent.
Child = TypeVar("Child", Objective, Activity, Indicator, Measurement)
Refusal = Callable[[AsyncSession, int, T, Mapping[str, Any]], Awaitable[None]]
Sibling = type[Objective] | type[Activity] | type[Task]


def check_version(current: int, expected: int | None) -> None:
    """Refuses a change made from a version other than the stored one."""
    if expected is not None and expected != current:
        raise Conflict(
            N_("It was changed by someone else (version {current}, not {expected}); reload it."),
            current=current,
            expected=expected,
        )


def replace_responsibles(
    item: Task | Indicator, people: list[Person], change: dict[str, dict[str, Any]], touch: str
) -> list[Person]:
    """Make ``people`` the item's responsibles and add the change of ids to ``change`` when it
    is one; those who were not responsible before. ``touch`` names any column of the item."""
    old_ids = item.responsible_ids
    new_ids = [person.id for person in people]
    if sorted(old_ids) == sorted(new_ids):
        return []
    change["before"]["responsible_ids"], change["after"]["responsible_ids"] = old_ids, new_ids
    item.responsibles = people
    # Responsibles live in a table of their own; the item's row is written anyway so that its
    # version moves and a second change from the same version is refused.
    flag_modified(item, touch)
    return [person for person in people if person.id not in old_ids]


def optional_text(value: Any) -> str | None:
    """Stripped text, or None for nothing or blanks."""
    return str(value).strip() or None if value is not None else None


def clean_code(value: Any) -> str:
    """A code of an objective, activity or task: non-empty text of at most 32 characters."""
    return at_most(text(value, "code"), "code", 32)


def _model_of(parent: InstrumentedAttribute[int]) -> Sibling:
    # The stubs allow for an aliased class; a column named on the model itself has the model.
    return cast(Sibling, parent.class_)


async def _siblings(
    session: AsyncSession, parent: InstrumentedAttribute[int], parent_id: int
) -> int:
    """How many items are under ``parent_id``: a new one's position, and its code's number."""
    return int(await session.scalar(select(func.count()).where(parent == parent_id)) or 0)


async def place(
    session: AsyncSession,
    parent: InstrumentedAttribute[int],
    parent_id: int,
    code: str | None,
    prefix: str,
) -> tuple[str, int]:
    """The code and position of a new item at the end of its parent.

    Without a code it is numbered after ``prefix`` (the parent's code); codes are unique under
    their parent.
    """
    code = code or f"{prefix}{await _siblings(session, parent, parent_id) + 1}"
    model = _model_of(parent)
    if await session.scalar(select(model.id).where(parent == parent_id, model.code == code)):
        raise Conflict(N_("The code {code} is already in use here."), field="code", code=code)
    return code, await _siblings(session, parent, parent_id)


def code_unique_under(parent: InstrumentedAttribute[int]) -> Refusal[Any]:
    """Refuses a new code that a sibling (an item with the same ``parent``) already has."""
    model = _model_of(parent)

    async def refuse(
        session: AsyncSession, secretariat_id: int, item: Any, values: Mapping[str, Any]
    ) -> None:
        new = values.get("code")
        if new is None or new == item.code:
            return
        parent_id = getattr(item, parent.key)
        if await session.scalar(
            select(model.id).where(parent == parent_id, model.code == new, model.id != item.id)
        ):
            raise Conflict(N_("The code {code} is already in use here."), field="code", code=new)

    return refuse


async def delete_item(
    session: AsyncSession,
    actor: Actor,
    kind: str,
    item: Item,
    secretariat_id: int,
    plan_id: int | None,
    data: dict[str, Any],
) -> None:
    """Delete ``item`` and record ``kind.delete`` with ``data``."""
    model = type(item)
    # One statement: the database's ON DELETE CASCADE removes the children, where the ORM
    # would load and delete them one by one.
    await session.execute(delete(model).where(model.id == item.id))
    session.expunge(item)
    await chain.about(session, item, f"{kind}.delete", actor, secretariat_id, plan_id, data)


@dataclass(frozen=True)
class Editable(Generic[T]):
    """One kind of item (a plan's part, a PEA priority), and what changing or deleting one takes.

    ``load`` finds an item within a secretariat; ``refuse`` checks cleaned values against what
    is stored; ``plan_id`` names the plan its events belong to (None for an item of no plan),
    asked only when an event is recorded; ``summary`` names the fields the delete event keeps;
    ``kept`` refuses to delete an item that holds a record of work.
    """

    kind: str
    load: Callable[[AsyncSession, int, int], Awaitable[T]]
    cleaners: Cleaners
    plan_id: Callable[[AsyncSession, int, T], Awaitable[int | None]]
    summary: tuple[str, ...]
    kept: Keeper | None = None
    refuse: Refusal[T] | None = None

    async def update(
        self,
        session: AsyncSession,
        secretariat_id: int,
        actor: Actor,
        item_id: int,
        *,
        version: int,
        **fields: Any,
    ) -> T:
        """Change the fields given of the item the editor last read as ``version``; no event is
        recorded when none of them differs."""
        item = await self.load(session, secretariat_id, item_id)
        check_version(item.version, version)
        values = clean_fields(fields, self.cleaners)
        if self.refuse is not None:
            await self.refuse(session, secretariat_id, item, values)
        change = apply_changes(item, values)
        if change["after"]:
            plan_id = await self.plan_id(session, secretariat_id, item)
            await record_update(session, actor, self.kind, item, secretariat_id, plan_id, change)
        return item

    async def delete(
        self,
        session: AsyncSession,
        secretariat_id: int,
        actor: Actor,
        item_id: int,
        *,
        version: int,
    ) -> None:
        """Delete the item the editor last read as ``version``, and what it holds; one that
        holds a record of work is refused."""
        item = await self.load(session, secretariat_id, item_id)
        check_version(item.version, version)
        if self.kept is not None:
            await self.kept(session, item)
        plan_id = await self.plan_id(session, secretariat_id, item)
        data = {name: getattr(item, name) for name in self.summary}
        await delete_item(session, actor, self.kind, item, secretariat_id, plan_id, data)


@dataclass(frozen=True)
class Children(Generic[Child]):
    """The items under one parent of a secretariat's plans, listed a page at a time.

    ``parent`` finds the parent within the secretariat (or refuses it as missing); ``column``
    is the child's reference to it.
    """

    model: type[Child]
    parent: Callable[[AsyncSession, int, int], Awaitable[Part]]
    column: InstrumentedAttribute[int]
    sorting: Sorting

    async def __call__(
        self,
        session: AsyncSession,
        secretariat_id: int,
        parent_id: int,
        *,
        sort: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page[Child]:
        """The parent's items, in the sorting's default order unless ``sort`` says otherwise."""
        parent = await self.parent(session, secretariat_id, parent_id)
        query = select(self.model).where(self.column == parent.id)
        return await paginate(session, query, self.sorting, sort=sort, limit=limit, offset=offset)
