"""How a practice moves between its states, each move in the audit chain.

draft → submitted (put before civil society) → validated (by the validation request's outcome)
→ published; a request that does not validate it sends it back to draft, to be improved and
submitted again; a submitted, validated or published practice can be withdrawn.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import InvalidInput
from core.models import Practice, PracticeState, utcnow

# Each state, and the states a practice may reach it from.
FROM = {
    PracticeState.DRAFT: frozenset({PracticeState.SUBMITTED}),
    PracticeState.SUBMITTED: frozenset({PracticeState.DRAFT}),
    PracticeState.VALIDATED: frozenset({PracticeState.SUBMITTED}),
    PracticeState.PUBLISHED: frozenset({PracticeState.VALIDATED}),
    PracticeState.WITHDRAWN: frozenset(
        {PracticeState.SUBMITTED, PracticeState.VALIDATED, PracticeState.PUBLISHED}
    ),
}


async def move(
    session: AsyncSession, practice: Practice, actor: Actor, to: PracticeState, refusal: str
) -> None:
    """Move ``practice`` to ``to``, or refuse with ``refusal`` (formatted with its id)."""
    if practice.state not in FROM[to]:
        raise InvalidInput(refusal, field="state", id=practice.id)
    before = practice.state
    practice.state = to
    if to == PracticeState.DRAFT:
        practice.submitted_at = None
    else:
        setattr(practice, f"{to.value}_at", utcnow())
    await session.flush()
    await chain.about(
        session, practice, f"practice.{to.value}", actor, practice.secretariat_id,
        data={"from": before, "to": to},
    )  # fmt: skip
