"""Which survey follows a meeting: the one its coordinator chose, else its kind's.

A workshop and a working session are followed by the workshop feedback survey, other kinds by
none. A chosen survey must be one the secretariat may launch (built in, its own, or a national
template), checked when it is set rather than when the meeting ends and nobody is there to hear.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.models import MeetingKind
from i18n import N_

if TYPE_CHECKING:  # the catalog reads people through joining, which invites to meetings
    from core.chat.definitions import DefinitionCatalog

WORKSHOP_FEEDBACK = "workshop_feedback"
BY_KIND_SURVEYS = {
    MeetingKind.WORKSHOP: WORKSHOP_FEEDBACK,
    MeetingKind.WORKING_SESSION: WORKSHOP_FEEDBACK,
}


class ByKind(enum.Enum):
    """No survey chosen: the kind's applies."""

    BY_KIND = "by kind"


BY_KIND = ByKind.BY_KIND


async def vet_survey(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    secretariat_id: int,
    kind: MeetingKind,
    chosen: str | ByKind | None,
) -> str | None:
    """The id of the survey that follows a meeting of ``kind``; a chosen one the secretariat
    cannot launch is refused."""
    if chosen is BY_KIND:
        return BY_KIND_SURVEYS.get(kind)
    if chosen is None:
        return None
    try:
        await catalog.find(session, secretariat_id, chosen)
    except NotFound:
        raise InvalidInput(
            N_("There is no survey called {value} that this secretariat can send."),
            field="feedback_definition_id",
            value=chosen,
        ) from None
    return chosen
