"""Good practices written, submitted, validated and published through the admin API."""

from __future__ import annotations

from typing import Any

import httpx

from core.models import TokenRole
from core.people import tokens
from core.practices import practices
from tests.support.factories import ACTOR

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
    """A practice written, submitted, validated (as civil society's validation will) and
    published."""
    practice = await write(client, secretariat_id, headers, **fields)
    item = f"/secretariats/{secretariat_id}/practices/{practice['id']}"
    submitted = await client.post(f"{item}/submit", headers=headers, json={"version": 1})
    assert submitted.status_code == 200, submitted.text
    async with session_factory() as session, session.begin():
        validated = await practices.mark_validated(
            session, secretariat_id, ACTOR, practice["id"], submitted.json()["version"]
        )
    published = await client.post(
        f"{item}/publish", headers=headers, json={"version": validated.version}
    )
    assert published.status_code == 200, published.text
    return published.json()


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


STEPS = (practices.submit, practices.mark_validated, practices.publish, practices.withdraw)


async def moved_in(session: Any, secretariat_id: int, steps: int, **fields: Any) -> int:
    """The id of a new practice of the secretariat taken through the first ``steps`` of
    submitted, validated, published and withdrawn, through core."""
    practice_id = await draft_in(session, secretariat_id, **fields)
    for version, step in enumerate(STEPS[:steps], 1):
        await step(session, secretariat_id, ACTOR, practice_id, version)
    return practice_id


async def published_in(session: Any, secretariat_id: int, **fields: Any) -> int:
    """The id of a new practice of the secretariat, published through core."""
    return await moved_in(session, secretariat_id, 3, **fields)
