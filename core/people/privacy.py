"""What the product holds about a person, and erasing it at their request.

Erasure removes the person's personal data and every answer linked to them; answers to
anonymous surveys were unlinked when completed and stay, as do aggregate results. The
person row remains, emptied, so that plans and the audit chain keep their references.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.infra.db import changed_rows
from core.models import CampaignParticipant, Person, ResponseSession, ResponseStatus, utcnow


@dataclass(frozen=True)
class PersonalData:
    name: str | None
    telegram_username: str | None
    email: str | None
    roles: list[str]
    sector: str | None
    organisation: str | None
    language: str
    time_zone: str
    consent_version: str | None
    consented_at: datetime | None
    joined_at: datetime
    completed_answers: int
    unfinished_answers: int


async def personal_data(session: AsyncSession, person: Person) -> PersonalData:
    counts = dict(
        (
            await session.execute(
                select(ResponseSession.status, func.count())
                .where(ResponseSession.person_id == person.id)
                .group_by(ResponseSession.status)
            )
        ).all()
    )
    return PersonalData(
        name=person.name,
        telegram_username=person.telegram_username,
        email=person.email,
        roles=sorted(str(role) for role in person.roles),
        sector=str(person.sector) if person.sector else None,
        organisation=person.organisation,
        language=person.language,
        time_zone=person.time_zone,
        consent_version=person.consent_version,
        consented_at=person.consented_at,
        joined_at=person.created_at,
        completed_answers=counts.get(ResponseStatus.COMPLETED, 0),
        unfinished_answers=counts.get(ResponseStatus.ACTIVE, 0),
    )


async def erase_person(session: AsyncSession, person: Person, actor: Actor) -> None:
    """Erase the person's personal data and linked answers, in the caller's transaction."""
    removed = await changed_rows(
        session, delete(ResponseSession).where(ResponseSession.person_id == person.id)
    )
    await session.execute(
        delete(CampaignParticipant).where(CampaignParticipant.person_id == person.id)
    )
    person.name = None
    person.telegram_id = None
    person.telegram_username = None
    person.email = None
    person.organisation = None
    person.consent_version = None
    person.consented_at = None
    person.reachable = False
    person.erased_at = utcnow()
    await session.flush()
    await chain.record(
        session,
        actor=actor,
        action="person.erase",
        entity_type="person",
        entity_id=person.id,
        secretariat_id=person.secretariat_id,
        data={"answers_removed": removed},
    )
