"""Secretariats: the tenants."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.errors import Conflict, InvalidInput
from core.models import Secretariat
from i18n import N_

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


async def create_secretariat(
    session: AsyncSession,
    actor: str,
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
    await chain.record(
        session,
        actor=actor,
        action="secretariat.create",
        entity_type="secretariat",
        entity_id=secretariat.id,
        secretariat_id=secretariat.id,
        data={"slug": slug, "name": secretariat.name, "state": state},
    )
    return secretariat
