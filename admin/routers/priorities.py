"""From priorities to the plan: a prioritisation campaign's ranking made lines of action and
activities, each citing the campaign, its place, its Borda points and its respondents."""

from __future__ import annotations

from fastapi import APIRouter

from admin.auth import Id, PlanEditor, Reader
from admin.context import Catalog, Language
from admin.routers.params import creates
from admin.schemas.priorities import FromResults, MadeActivity, MadeObjective, RankedOption
from core.meetings import interviews
from core.plans import from_results
from core.plans.from_results import Ranked

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["plans"])


@router.get(
    "/campaigns/{campaign_id}/ranking",
    summary="A campaign's ranking, by Borda points",
    # A read model built when its module loads, not a static type.
    response_model=list[RankedOption],  # type: ignore[valid-type]
)
async def read_ranking(
    campaign_id: Id,
    scope: Reader,
    catalog: Catalog,
    language: Language,
    question_id: str | None = None,
) -> list[Ranked]:
    """The options of the campaign's ranking question (its first, unless one is named), best
    first: what `from-results` takes from; each names the interviews that back it."""
    return await scope.read(interviews.ranking, catalog, campaign_id, question_id, language)


@creates(
    router,
    "/plans/{plan_id}/objectives/from-results",
    list[MadeObjective],
    "Lines of action from a prioritisation",
)
async def objectives_from_results(
    plan_id: Id, body: FromResults, scope: PlanEditor, catalog: Catalog, language: Language
) -> list[MadeObjective]:
    """The problems picked (by id, or the first `top` by Borda points) become lines of action
    at the end of the plan, in the language asked; each cites the campaign in its description
    and in the audit chain."""
    made = await scope.change(
        from_results.lines_of_action, plan_id, catalog=catalog, pick=body.pick(), language=language
    )
    return [MadeObjective(objective=item, ranking=ranked) for item, ranked in made]


@creates(
    router,
    "/objectives/{objective_id}/activities/from-results",
    list[MadeActivity],
    "Activities from a prioritisation",
)
async def activities_from_results(
    objective_id: Id, body: FromResults, scope: PlanEditor, catalog: Catalog, language: Language
) -> list[MadeActivity]:
    """The solutions picked become activities at the end of the line of action."""
    made = await scope.change(
        from_results.activities, objective_id, catalog=catalog, pick=body.pick(), language=language
    )
    return [MadeActivity(activity=item, ranking=ranked) for item, ranked in made]
