"""The survey results a secretariat published: each closed campaign's figures as the public may
see them.

Only what counts answers is shown: the shares of each option, rankings, the spread of a rating,
the average and median of a number. Nothing anyone wrote (texts, "other" texts, files, places,
calculations) and no single value (dates, a number's minimum or maximum). A campaign answered by
fewer than ``min_group`` people shows only that; a question answered by fewer shows only its
wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chat import results
from core.chat.definitions import DefinitionCatalog
from core.models import Campaign

# The figures shown of each type of question that asks for one.
SHOWN: dict[str, tuple[str, ...]] = {
    "single_choice": ("options",),
    "multiple_choice": ("options",),
    "yes_no": ("options",),
    "ranking": ("options",),
    "rating": ("distribution", "mean", "median"),
    "integer": ("mean", "median"),
    "decimal": ("mean", "median"),
}
# Published campaigns shown on a page, the latest first.
MAX_SHOWN = 10


@dataclass(frozen=True, slots=True)
class PublishedQuestion:
    id: str
    type: str
    text: str
    answered: int
    # Fewer than ``min_group`` answered it: nothing but its wording is shown.
    suppressed: bool
    figures: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PublishedSurvey:
    campaign_id: int
    secretariat_id: int
    title: str
    closed: datetime | None
    respondents: int
    # Fewer than ``min_group`` answered the campaign: nothing else is shown.
    suppressed: bool
    questions: list[PublishedQuestion]


async def published_surveys(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    secretariat_id: int | None,
    *,
    language: str,
    min_group: int,
    limit: int | None = MAX_SHOWN,
) -> list[PublishedSurvey]:
    """The secretariat's (or every secretariat's) published campaigns, the latest published
    first, each with the figures the public may see."""
    query = select(Campaign).where(Campaign.results_published_at.is_not(None))
    if secretariat_id is not None:
        query = query.where(Campaign.secretariat_id == secretariat_id)
    published = await session.scalars(
        query.order_by(Campaign.results_published_at.desc(), Campaign.id.desc()).limit(limit)
    )
    surveys = []
    for campaign in published:
        definition = await catalog.of_campaign(session, campaign)
        found = await results.figures(
            session,
            definition,
            [campaign.id],
            language=language,
            by=None,
            min_group=min_group,
            with_texts=False,
        )
        respondents = found["respondents"]
        suppressed = respondents < min_group
        surveys.append(
            PublishedSurvey(
                campaign_id=campaign.id,
                secretariat_id=campaign.secretariat_id,
                title=found["title"],
                closed=campaign.closed_at or campaign.closes_at,
                respondents=respondents,
                suppressed=suppressed,
                questions=[] if suppressed else _questions(found["questions"], min_group),
            )
        )
    return surveys


def _questions(figures: list[dict[str, Any]], min_group: int) -> list[PublishedQuestion]:
    shown = []
    for question in figures:
        keys = SHOWN.get(question["type"])
        if keys is None:
            continue
        hidden = question["answered"] < min_group
        shown.append(
            PublishedQuestion(
                id=question["id"],
                type=question["type"],
                text=question["text"],
                answered=question["answered"],
                suppressed=hidden,
                figures={} if hidden else {key: question[key] for key in keys if key in question},
            )
        )
    return shown
