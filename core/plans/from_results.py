"""From priorities to the plan: what a prioritisation campaign ranked highest becomes lines of
action (problems) or activities (solutions), each citing where it came from.

The ranking is the campaign's Borda count (ranked i-th among n choices earns n - i + 1 points).
The coordinator picks which options go in (by id, or the first N), and every item made keeps in
its description, and in the audit chain, the campaign, its place, its points and how many
people answered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import Definition, localize
from core.audit import chain
from core.audit.actor import Actor
from core.chat import campaigns, results
from core.chat.definitions import DefinitionCatalog
from core.errors import InvalidInput
from core.models import Activity, Objective
from core.plans import structure
from core.plans.plans import get_plan
from i18n import N_, ngettext


@dataclass(frozen=True)
class Pick:
    """Which of a campaign's ranked options to take: these ids, or the first ``top``."""

    campaign_id: int
    question_id: str | None = None
    choices: tuple[str, ...] = ()
    top: int | None = None


@dataclass(frozen=True)
class Ranked:
    """One option of a ranking, as the campaign's respondents placed it."""

    choice_id: str
    label: str
    place: int
    borda: int
    respondents: int
    campaign_id: int
    question_id: str
    # The interviews that back it (``core.meetings.interviews``), where they were asked for.
    interview_ids: tuple[int, ...] = ()

    def citation(self, campaign_title: str, language: str) -> str:
        return ngettext(
            language,
            "Prioritised in campaign {campaign} (“{title}”): place {place}, {points} Borda "
            "points, from {n} response.",
            "Prioritised in campaign {campaign} (“{title}”): place {place}, {points} Borda "
            "points, from {n} responses.",
            self.respondents,
            campaign=self.campaign_id,
            title=campaign_title,
            place=self.place,
            points=self.borda,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "question_id": self.question_id,
            "choice_id": self.choice_id,
            "place": self.place,
            "borda": self.borda,
            "respondents": self.respondents,
        }


async def lines_of_action(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    catalog: DefinitionCatalog,
    pick: Pick,
    language: str,
) -> list[tuple[Objective, Ranked]]:
    """The picked problems, as new lines of action at the end of the plan."""
    await get_plan(session, secretariat_id, plan_id)
    return await _made(
        session, secretariat_id, actor, plan_id, structure.add_objective, catalog, pick, language
    )


async def activities(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    objective_id: int,
    *,
    catalog: DefinitionCatalog,
    pick: Pick,
    language: str,
) -> list[tuple[Activity, Ranked]]:
    """The picked solutions, as new activities at the end of the line of action."""
    await structure.get_objective(session, secretariat_id, objective_id)
    return await _made(
        session, secretariat_id, actor, objective_id, structure.add_activity, catalog, pick,
        language,
    )  # fmt: skip


Item = TypeVar("Item", Objective, Activity)


async def _made(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    parent_id: int,
    add: Callable[..., Awaitable[Item]],
    catalog: DefinitionCatalog,
    pick: Pick,
    language: str,
) -> list[tuple[Item, Ranked]]:
    """Each picked option added under ``parent_id`` by ``add``, citing where it came from."""
    chosen, title = await _chosen(session, secretariat_id, catalog, pick, language)
    made = []
    for ranked in chosen:
        item = await add(
            session,
            secretariat_id,
            actor,
            parent_id,
            title=ranked.label,
            description=ranked.citation(title, language),
        )
        await _cite(session, actor, secretariat_id, item, ranked)
        made.append((item, ranked))
    return made


async def ranking(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    campaign_id: int,
    question_id: str | None,
    language: str,
) -> tuple[list[Ranked], str]:
    """A campaign's ranking question (the one named, or its first), options by Borda points,
    and the campaign's title."""
    campaign = await campaigns.get_campaign(session, secretariat_id, campaign_id)
    definition = await catalog.of_campaign(session, campaign)
    question = _ranking_question(definition, question_id)
    result = await results.campaign_results(
        session, secretariat_id, catalog, campaign.id, language=language
    )
    if not result["respondents"]:
        raise InvalidInput(
            N_("Campaign {id} has no completed responses yet."), field="campaign_id", id=campaign.id
        )
    figures = next(q for q in result["questions"] if q["id"] == question)
    ranked = [
        Ranked(
            choice_id=option["id"],
            label=option["label"],
            place=place,
            borda=option["borda"],
            respondents=result["respondents"],
            campaign_id=campaign.id,
            question_id=question,
        )
        for place, option in enumerate(figures["options"], 1)
    ]
    return ranked, localize(campaign.title, language) or campaign.definition_id


def _ranking_question(definition: Definition, question_id: str | None) -> str:
    rankings = [question.id for question in definition.questions if question.type == "ranking"]
    if question_id is None and rankings:
        return rankings[0]
    if question_id not in rankings:
        raise InvalidInput(
            N_("“{question}” is not a ranking question of this campaign; its rankings: {known}."),
            field="question_id",
            question=question_id or "",
            known=", ".join(rankings) or "—",
        )
    return question_id


async def _chosen(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    pick: Pick,
    language: str,
) -> tuple[list[Ranked], str]:
    ranked, title = await ranking(
        session, secretariat_id, catalog, pick.campaign_id, pick.question_id, language
    )
    if bool(pick.choices) == (pick.top is not None):
        raise InvalidInput(N_("Pick either the options (choices) or how many (top)."), field="top")
    if pick.top is not None:
        return ranked[: pick.top], title
    by_id = {item.choice_id: item for item in ranked}
    if unknown := [choice for choice in pick.choices if choice not in by_id]:
        raise InvalidInput(
            N_("These options are not in the ranking: {ids}."),
            field="choices",
            ids=", ".join(unknown),
        )
    return [by_id[choice] for choice in dict.fromkeys(pick.choices)], title


async def _cite(
    session: AsyncSession,
    actor: Actor,
    secretariat_id: int,
    item: Objective | Activity,
    ranked: Ranked,
) -> None:
    action = f"{item.__tablename__}.from_results"
    await chain.about(session, item, action, actor, secretariat_id, data=ranked.as_json())
