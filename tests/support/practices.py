"""Good practices written, submitted, validated by civil society and published, through the
admin API and the validators' votes."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Person,
    Role,
    Sector,
    TokenRole,
    ValidationRequest,
    ValidationState,
    VoteChoice,
)
from core.people import tokens
from core.people.people import create_person
from core.practices import practices, reading
from core.validation import votes
from tests.support.factories import ACTOR

# Telegram ids of the validators made here, apart from any a test chooses.
_TELEGRAM_IDS = itertools.count(7_100_000_000)

COMPLETE: dict[str, Any] = {
    "title": "Testigos sociales en contrataciones públicas",
    "problem": "Las licitaciones se adjudicaban sin vigilancia ciudadana.",
    "pna_priority": 22,
    "actions": "Se acreditaron testigos sociales en cada licitación mayor.",
    "results": "El 80 % de las licitaciones contó con testigo social.",
    "contact_role": "Coordinación de Vinculación de la SESEA",
    "theme": "procurement",
}


async def write(
    client: httpx.AsyncClient, secretariat_id: int, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    """A new draft practice of the secretariat, complete unless ``fields`` say otherwise."""
    made = await client.post(
        f"/secretariats/{secretariat_id}/practices", headers=headers, json={**COMPLETE, **fields}
    )
    assert made.status_code == 201, made.text
    return made.json()


async def publish(
    client: httpx.AsyncClient,
    session_factory: Any,
    secretariat_id: int,
    headers: dict[str, str],
    **fields: Any,
) -> dict[str, Any]:
    """A practice written, submitted, confirmed by the secretariat's validators and published."""
    practice = await write(client, secretariat_id, headers, **fields)
    item = f"/secretariats/{secretariat_id}/practices/{practice['id']}"
    async with session_factory() as session, session.begin():
        await validators_in(session, secretariat_id)
    submitted = await client.post(f"{item}/submit", headers=headers, json={"version": 1})
    assert submitted.status_code == 200, submitted.text
    async with session_factory() as session, session.begin():
        version = await confirm(session, practice["id"])
    published = await client.post(f"{item}/publish", headers=headers, json={"version": version})
    assert published.status_code == 200, published.text
    return published.json()


async def validators_in(
    session: AsyncSession, secretariat_id: int, *, on_chat: bool = True
) -> list[Person]:
    """Two members of civil society of the secretariat, of two sectors, made once per
    secretariat: enough for the default policy to validate. On chat, the pool may choose them
    (for reports too); off it, never, and they validate only the practices they are given."""
    prefix = "Validadora " if on_chat else "Observadora "
    made = list(
        await session.scalars(
            select(Person)
            .where(Person.secretariat_id == secretariat_id, Person.name.startswith(prefix))
            .order_by(Person.id)
        )
    )
    if made:  # made for an earlier practice of the secretariat
        return made
    for n, sector in enumerate((Sector.OSC, Sector.ACADEMIA), 1):
        person = await create_person(
            session, secretariat_id, ACTOR, roles={Role.CIVIL_SOCIETY}, name=f"{prefix}{n}",
            sector=sector, telegram_id=next(_TELEGRAM_IDS) if on_chat else None,
        )  # fmt: skip
        made.append(person)
    return made


async def confirm(
    session: AsyncSession, practice_id: int, choice: VoteChoice = VoteChoice.CONFIRM
) -> int:
    """Every validator asked about the submitted practice answers ``choice``, as they would by
    its button in chat; the practice's version after the outcome."""
    request = await session.scalar(
        select(ValidationRequest).where(
            ValidationRequest.practice_id == practice_id,
            ValidationRequest.state == ValidationState.OPEN,
        )
    )
    assert request is not None, "the practice is not waiting for validation"
    for assignment in list(request.assignments):
        validator = await session.get_one(Person, assignment.person_id)
        await votes.cast_vote(session, validator, assignment.id, choice)
    practice = await reading.load_practice(session, request.secretariat_id, practice_id)
    return practice.version


async def coordinator_of(session_factory: Any, secretariat_id: int) -> dict[str, str]:
    """The headers of a coordinator's token of the secretariat."""
    async with session_factory() as session, session.begin():
        issued = await tokens.issue_token(
            session, "test", role=TokenRole.COORDINATOR, secretariat_id=secretariat_id
        )
    return {"Authorization": f"Bearer {issued.secret}"}


async def draft_in(session: Any, secretariat_id: int, **fields: Any) -> int:
    """The id of a new draft practice of the secretariat, written through core, complete
    unless ``fields`` say otherwise."""
    made = await practices.create_practice(session, secretariat_id, ACTOR, **{**COMPLETE, **fields})
    return made.id


async def moved_in(session: Any, secretariat_id: int, steps: int, **fields: Any) -> int:
    """The id of a new practice of the secretariat taken through the first ``steps`` of
    submitted, confirmed by its validators, published and withdrawn, through core."""
    practice_id = await draft_in(session, secretariat_id, **fields)
    version = 1
    if steps >= 1:
        # Validators off chat, so that the pool never asks them about the world's reports.
        validators = await validators_in(session, secretariat_id, on_chat=False)
        await practices.submit(
            session, secretariat_id, ACTOR, practice_id, version, validators=validators
        )
        version += 1
    if steps >= 2:
        version = await confirm(session, practice_id)
    for step in (practices.publish, practices.withdraw)[: max(steps - 2, 0)]:
        await step(session, secretariat_id, ACTOR, practice_id, version)
        version += 1
    return practice_id


async def published_in(session: Any, secretariat_id: int, **fields: Any) -> int:
    """The id of a new practice of the secretariat, published through core."""
    return await moved_in(session, secretariat_id, 3, **fields)
