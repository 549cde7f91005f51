"""A secretariat's own state policy (PEA) priorities, each mapped to priorities of the national
policy: read, listed, created, changed and deleted within the secretariat, every change in the
audit chain. A line of action that cites a PEA priority by its code cites its PNA priorities
too, unless it names its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict
from core.infra.listing import Page, Sorting, paginate
from core.infra.lookup import of_secretariat
from core.infra.values import Cleaners, at_most, clean_fields, text
from core.models import PeaPriority
from core.plans.editable import Editable
from core.policy import priority_numbers
from i18n import N_

CODE_LIMIT = 100
PEA_SORTING = Sorting(
    {"code": PeaPriority.code, "title": PeaPriority.title},
    default="code",
    tie_breaker=PeaPriority.id,
)


def pea_code(value: Any) -> str:
    """The code lines of action cite: non-empty text of at most 100 characters."""
    return at_most(text(value, "code"), "code", CODE_LIMIT)


def _mapped(value: Any) -> list[int]:
    return priority_numbers(value)


PEA_FIELDS: Cleaners = {"code": pea_code, "title": text, "pna_priorities": _mapped}


async def get_pea_priority(
    session: AsyncSession, secretariat_id: int, pea_priority_id: int
) -> PeaPriority:
    """The secretariat's PEA priority ``pea_priority_id``, or NotFound."""
    missing = N_("PEA priority {id} not found.")
    return await of_secretariat(session, PeaPriority, secretariat_id, pea_priority_id, missing)


async def list_pea_priorities(
    session: AsyncSession,
    secretariat_id: int,
    *,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[PeaPriority]:
    """The secretariat's PEA priorities, by code unless ``sort`` says otherwise."""
    query = select(PeaPriority).where(PeaPriority.secretariat_id == secretariat_id)
    return await paginate(session, query, PEA_SORTING, sort=sort, limit=limit, offset=offset)


async def _refuse_taken_code(
    session: AsyncSession, secretariat_id: int, code: str, item_id: int | None = None
) -> None:
    query = select(PeaPriority.id).where(
        PeaPriority.secretariat_id == secretariat_id, PeaPriority.code == code
    )
    if item_id is not None:
        query = query.where(PeaPriority.id != item_id)
    if await session.scalar(query):
        raise Conflict(N_("The code {code} is already in use here."), field="code", code=code)


async def add_pea_priority(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    code: str,
    title: str,
    pna_priorities: Iterable[Any] | None = None,
) -> PeaPriority:
    """A new PEA priority of the secretariat, mapped to the national priorities named."""
    values = clean_fields(
        {"code": code, "title": title, "pna_priorities": pna_priorities}, PEA_FIELDS
    )
    await _refuse_taken_code(session, secretariat_id, values["code"])
    item = PeaPriority(secretariat_id=secretariat_id, **values)
    await chain.about(session, item, "pea_priority.create", actor, secretariat_id, None, values)
    return item


async def _code_free(
    session: AsyncSession, secretariat_id: int, item: PeaPriority, values: Mapping[str, Any]
) -> None:
    if "code" in values:
        await _refuse_taken_code(session, secretariat_id, values["code"], item.id)


async def _no_plan(session: AsyncSession, secretariat_id: int, item: PeaPriority) -> None:
    """A PEA priority is the secretariat's, of no plan."""
    return None


# Deleting one, the lines of action citing its code keep the code, and cite no national
# priority through it any more.
PEA_PRIORITIES = Editable(
    kind="pea_priority",
    load=get_pea_priority,
    cleaners=PEA_FIELDS,
    plan_id=_no_plan,
    summary=("code", "title"),
    refuse=_code_free,
)
update_pea_priority = PEA_PRIORITIES.update
delete_pea_priority = PEA_PRIORITIES.delete


def cited(own: list[int] | None, pea_code: str | None, mapped: dict[str, list[int]]) -> list[int]:
    """The national priorities a line of action cites: its ``own``, else those of the PEA
    priority whose code it cites (``mapped`` holds each PEA code's numbers)."""
    if own is not None:
        return list(own)
    return list(mapped.get(pea_code or "", []))


Mappings = dict[int, dict[str, list[int]]]


async def pea_mappings(session: AsyncSession, secretariat_ids: Iterable[int] | None) -> Mappings:
    """Per secretariat (of those named, of every one with None), each of its PEA codes with the
    national priorities it maps to; a secretariat without PEA priorities maps none."""
    query = select(PeaPriority.secretariat_id, PeaPriority.code, PeaPriority.pna_priorities)
    if secretariat_ids is not None:
        query = query.where(PeaPriority.secretariat_id.in_(list(secretariat_ids)))
    mappings: Mappings = defaultdict(dict)
    for secretariat_id, code, numbers in (await session.execute(query)).all():
        mappings[secretariat_id][code] = list(numbers)
    return mappings
