"""From priorities to the plan: which ranked options to take, and what was made of them."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from admin.schemas.common import PRINTABLE, Ref, examples, length, read_model
from admin.schemas.plans import ActivityRead, ObjectiveRead
from core.plans.from_results import Pick, Ranked

ChoiceId = Annotated[str, length(64), PRINTABLE]

RankedOption = read_model(
    Ranked,
    "RankedOption",
    "An option of a campaign's ranking, as its respondents placed it.",
    interview_ids=Field(description="The interviews linked to it as backing it."),
)


class FromResults(BaseModel):
    model_config = examples(
        {"campaign_id": 3, "top": 3},
        {"campaign_id": 3, "question_id": "problems", "choices": ["procurement", "impunity"]},
    )

    campaign_id: Ref
    question_id: ChoiceId | None = Field(None, description="Empty: its first ranking question.")
    choices: list[ChoiceId] = Field([], max_length=50, description="The options to take, by id.")
    top: int | None = Field(None, strict=True, ge=1, le=50, description="Or the first N.")

    def pick(self) -> Pick:
        return Pick(self.campaign_id, self.question_id, tuple(self.choices), self.top)


# RankedOption is a read model built when the module loads, not a static type.
class MadeObjective(BaseModel):
    objective: ObjectiveRead
    ranking: RankedOption  # type: ignore[valid-type]


class MadeActivity(BaseModel):
    activity: ActivityRead
    ranking: RankedOption  # type: ignore[valid-type]
