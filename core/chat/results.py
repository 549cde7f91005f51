"""Results of campaigns: the completed responses read from the database and aggregated.

A campaign's results are read by the secretariat that runs it, whoever answered (the national
team's campaigns reach people of every secretariat). Breakdowns hide small groups as
``conversations.suppression`` says, with ``k`` from the settings. Interviews that are not
anonymous also give each respondent's long answers, in the order they were given.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import Definition, localize
from conversations.results import Tally, summarize
from core.chat import campaigns, tallies
from core.chat.definitions import DefinitionCatalog
from core.errors import NotFound
from core.models import Campaign, ResponseSession, ResponseStatus
from i18n import N_


class Breakdown(enum.StrEnum):
    """What results may be broken down by, each the respondent attribute that holds it."""

    SECTOR = "sector"
    ROLE = "role"
    SECRETARIAT = "secretariat"

    @property
    def attribute(self) -> str:
        return "roles" if self is Breakdown.ROLE else self.value

    def of(self, group: tallies.Group) -> str | int | None:
        """The value a respondent group has for this breakdown."""
        if self is Breakdown.SECRETARIAT:
            return group.secretariat_id
        return group.roles if self is Breakdown.ROLE else group.sector


async def campaign_results(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    campaign_id: int,
    *,
    language: str,
    by: Breakdown | None = None,
    min_group: int = 1,
) -> dict[str, Any]:
    """The figures of a campaign's completed responses, broken down ``by`` if asked."""
    campaign = await campaigns.get_campaign(session, secretariat_id, campaign_id)
    definition = await catalog.of_campaign(session, campaign)
    result = await figures(
        session, definition, [campaign.id], language=language, by=by, min_group=min_group
    )
    result["campaign"] = campaign.id
    if definition.kind == "interview" and not definition.anonymous:
        result["interviews"] = await interviews(session, definition, campaign.id, language)
    return result


async def definition_results(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    definition_id: str,
    *,
    language: str,
    by: Breakdown | None = None,
    min_group: int = 1,
) -> dict[str, Any]:
    """The figures of a definition over every campaign of the secretariat that launched it; a
    definition the secretariat never launched is not found, known elsewhere or not."""
    own = select(Campaign).where(
        Campaign.secretariat_id == secretariat_id, Campaign.definition_id == definition_id
    )
    launched = list(await session.scalars(own.order_by(Campaign.id)))
    if not launched:
        raise NotFound(N_("No campaign of this secretariat has asked {id}."), id=definition_id)
    campaign_ids = [campaign.id for campaign in launched]
    definition = await catalog.of_campaign(session, launched[-1])
    result = await figures(
        session, definition, campaign_ids, language=language, by=by, min_group=min_group
    )
    result["campaigns"] = campaign_ids
    return result


async def figures(
    session: AsyncSession,
    definition: Definition,
    campaign_ids: list[int],
    *,
    language: str,
    by: Breakdown | None,
    min_group: int,
    with_texts: bool = True,
) -> dict[str, Any]:
    """The figures of the campaigns' completed responses, with the definition's title; without
    texts, files and places when ``with_texts`` is false."""
    groups: defaultdict[Any, Tally] = defaultdict(Tally)
    counted = await tallies.read(session, definition, campaign_ids, with_texts=with_texts)
    for group, tally in counted.items():
        groups[by.of(group) if by else None].update(tally)
    result = summarize(
        definition,
        groups,
        language=language,
        by=by.attribute if by else None,
        min_group=min_group,
    )
    result["title"] = localize(definition.title, language)
    return result


async def interviews(
    session: AsyncSession, definition: Definition, campaign_id: int, language: str
) -> list[dict[str, Any]]:
    """Each respondent's long answers (texts and voice notes, in the order given), by response."""
    long_answers = [q for q in definition.questions if q.type == "long_answer"]
    rows = await session.execute(
        select(ResponseSession.id, ResponseSession.person_id, ResponseSession.answers)
        .where(
            ResponseSession.campaign_id == campaign_id,
            ResponseSession.status == ResponseStatus.COMPLETED,
            ResponseSession.anonymous.is_(False),
        )
        .order_by(ResponseSession.id)
    )
    return [
        {
            "response_id": response_id,
            "person_id": person_id,
            "answers": [
                {
                    "id": question.id,
                    "text": localize(question.text, language),
                    "parts": [
                        part
                        for part in (answers or {}).get(question.id) or ()
                        if isinstance(part, dict)
                    ],
                }
                for question in long_answers
            ],
        }
        for response_id, person_id, answers in rows
    ]
