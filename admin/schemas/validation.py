"""Validation requests, their votes and the plans' validation policies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from admin.schemas.common import ReadModel, Ref, read_model
from core.models import MeasurementValidation
from core.validation.outcome import Tally
from core.validation.queries import VoteView

Days = Annotated[int, Field(strict=True, ge=1, le=90)]


class ValidationRequestCreate(BaseModel):
    """Name the report, or the task (its latest report is validated), or an indicator's
    measurement."""

    report_id: Ref | None = None
    task_id: Ref | None = None
    measurement_id: Ref | None = None

    @model_validator(mode="after")
    def one_of(self) -> ValidationRequestCreate:
        named = (self.report_id, self.task_id, self.measurement_id)
        if sum(item is not None for item in named) != 1:
            raise ValueError("give exactly one of report_id, task_id or measurement_id")
        return self


VoteRead = read_model(
    VoteView,
    "VoteRead",
    "A validator appears by sector and pseudonym, never by name.",
    validator=Field(description="Stable pseudonym of the validator."),
    assignment_state=Field(description="active, declined or expired."),
    choice=Field(description="confirm, dispute, needs_info; null if unanswered."),
    changes=Field(description="How many times the vote was changed."),
)
TallyRead = read_model(
    Tally, "TallyRead", sectors=Field(description="Distinct sectors among the confirmations.")
)


class ValidationRequestRead(ReadModel):
    """A report's validation (with its plan and task), a measurement's (with its plan and
    indicator) or a good practice's."""

    id: int
    plan_id: int | None
    report_id: int | None
    task_id: int | None
    measurement_id: int | None
    indicator_id: int | None
    practice_id: int | None
    state: str = Field(description="open, validated, disputed, inconclusive or expired.")
    automatic: bool
    requested_by: str
    validators_wanted: int
    min_confirmations: int
    min_sectors: int
    disputes_at_most_confirmations: bool
    deadline: datetime
    closed_at: datetime | None
    created_at: datetime
    tally: TallyRead  # type: ignore[valid-type]  # a read model, built when its module loads
    votes: list[VoteRead]  # type: ignore[valid-type]  # a read model, built when its module loads


class PolicyRead(ReadModel):
    plan_id: int
    validators_per_request: int
    min_confirmations: int
    min_sectors: int
    disputes_at_most_confirmations: bool
    deadline_days: int
    reply_days: int
    remind_days_before: int
    auto_request_on_done: bool
    validate_measurements: MeasurementValidation = Field(
        description="Whose new values are put to validation on their own: none, all of the "
        "plan's indicators, or those flagged validated."
    )


class PolicyUpdate(BaseModel):
    """Only the settings given change; the others keep their value."""

    validators_per_request: Annotated[int, Field(strict=True, ge=1, le=20)] | None = None
    min_confirmations: Annotated[int, Field(strict=True, ge=1, le=20)] | None = None
    min_sectors: Annotated[int, Field(strict=True, ge=1, le=5)] | None = None
    disputes_at_most_confirmations: bool | None = None
    deadline_days: Days | None = None
    reply_days: Days | None = None
    remind_days_before: Annotated[int, Field(strict=True, ge=0, le=90)] | None = None
    auto_request_on_done: bool | None = None
    validate_measurements: MeasurementValidation | None = None


class TaskValidationRead(BaseModel):
    task_id: int
    request_id: int = Field(description="The task's latest validation request.")
    state: str = Field(description="open, validated, disputed, inconclusive or expired.")


class LedgerHead(BaseModel):
    seq: int = Field(description="Number of events in the chain.")
    hash: str = Field(description="Hash of the last event; pin it to check later exports.")
