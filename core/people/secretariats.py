"""Secretariats, the tenants: created, read, listed and changed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.audit.changes import apply_changes, record_update
from core.errors import Conflict, InvalidInput, NotFound
from core.infra.listing import Page, Sorting, given_filters, paginate
from core.infra.values import Cleaners, clean_fields, text
from core.models import (
    Secretariat,
)
from i18n import N_

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


async def create_secretariat(
    session: AsyncSession,
    actor: Actor,
    *,
    slug: str,
    name: str,
    state: str,
    time_zone: str = "America/Mexico_City",
) -> Secretariat:
    if not SLUG.match(slug):
        raise InvalidInput(
            N_("The slug must be 2 to 64 lowercase letters, digits or hyphens."), field="slug"
        )
    if await session.scalar(select(Secretariat.id).where(Secretariat.slug == slug)):
        raise Conflict(N_("A secretariat with the slug {slug} already exists."), slug=slug)
    if not name.strip():
        raise InvalidInput(N_("The {field} cannot be empty."), field="name")
    secretariat = Secretariat(slug=slug, name=name.strip(), state=state, time_zone=time_zone)
    session.add(secretariat)
    await session.flush()
    data = {"slug": slug, "name": secretariat.name, "state": state}
    await chain.about(session, secretariat, "secretariat.create", actor, secretariat.id, data=data)
    return secretariat


SECRETARIAT_SORTING = Sorting(
    {"id": Secretariat.id, "slug": Secretariat.slug, "name": Secretariat.name},
    default="slug",
    tie_breaker=Secretariat.id,
)


async def list_secretariats(
    session: AsyncSession, only_id: int | None, *, sort: str | None, limit: int, offset: int
) -> Page[Secretariat]:
    query = select(Secretariat).where(*given_filters((Secretariat.id, only_id)))
    return await paginate(
        session, query, SECRETARIAT_SORTING, sort=sort, limit=limit, offset=offset
    )


def _time_zone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(N_("Unknown time zone {zone}."), field="time_zone", zone=value) from None
    return str(value)


SECRETARIAT_FIELDS: Cleaners = {
    "name": lambda value: text(value, "name"),
    "state": lambda value: text(value, "state"),
    "time_zone": _time_zone,
}


async def names(session: AsyncSession, ids: Iterable[object]) -> dict[int, str]:
    """The names of the secretariats among ``ids`` (anything else in it is passed over)."""
    wanted = {value for value in ids if type(value) is int}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Secretariat.id, Secretariat.name).where(Secretariat.id.in_(wanted))
    )
    return {secretariat_id: name for secretariat_id, name in rows}


async def secretariat_by_slug(session: AsyncSession, slug: str) -> Secretariat | None:
    """The secretariat whose public address is ``slug``, if any."""
    found: Secretariat | None = await session.scalar(
        select(Secretariat).where(Secretariat.slug == slug)
    )
    return found


async def get_secretariat(session: AsyncSession, secretariat_id: int) -> Secretariat:
    secretariat = await session.get(Secretariat, secretariat_id)
    if secretariat is None:
        raise NotFound(N_("Secretariat {id} not found."), id=secretariat_id)
    return secretariat


async def update_secretariat(
    session: AsyncSession, actor: Actor, secretariat_id: int, **fields: Any
) -> Secretariat:
    secretariat = await get_secretariat(session, secretariat_id)
    change = apply_changes(secretariat, clean_fields(fields, SECRETARIAT_FIELDS))
    if change["after"]:
        await record_update(
            session, actor, "secretariat", secretariat, secretariat.id, None, change
        )
    return secretariat
