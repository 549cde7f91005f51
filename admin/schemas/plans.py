"""Plans, objectives, activities, tasks, dependencies, indicators and measurements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from admin.schemas.common import (
    PRINTABLE,
    Amount,
    Code,
    Day,
    Hours,
    LongText,
    PnaPriorities,
    ReadModel,
    Ref,
    TaskHours,
    Title,
    Version,
    Weight,
    examples,
    length,
    read_model,
)
from admin.schemas.pea import PeaCode
from admin.schemas.reporting import ReminderRuleCreate
from core.models import EvidenceKind, Frequency, Scale, TaskStatus
from core.plans.spreadsheets.indicator_load import IndicatorChanges
from core.plans.spreadsheets.load import ImportSummary
from core.plans.spreadsheets.update import TaskChange, UpdateSummary

Item = Annotated[str, length(300), PRINTABLE]
Unit = Annotated[str, length(50), PRINTABLE]


class PlanCreate(BaseModel):
    model_config = examples({"year": 2026, "title": "Programa Anual de Trabajo 2026"})

    year: int = Field(strict=True, ge=2000, le=2100)
    title: Title
    description: LongText | None = None
    reminder_rules: list[ReminderRuleCreate] | None = Field(
        None,
        max_length=20,
        description="The plan's reminder rules; unset: the default ones (3 days before the "
        "due date, on the day, and every 7 days overdue, the coordinators too from 14 days "
        "late); [] for none.",
    )


class PlanUpdate(BaseModel):
    model_config = examples({"version": 1, "title": "Programa Anual de Trabajo 2026 (revisado)"})

    version: Version
    year: int | None = Field(None, strict=True, ge=2000, le=2100)
    title: Title | None = None
    description: LongText | None = None
    measurement_grace_days: int | None = Field(
        None,
        strict=True,
        ge=0,
        le=90,
        description="Days after a period ends that its indicators' values are due.",
    )
    measurement_jump_factor: Decimal | None = Field(
        None,
        gt=1,
        le=1000,
        decimal_places=2,
        description="A value more than this many times the last one, or less than the last "
        "over it, is saved only when confirmed.",
    )


class PlanRead(ReadModel):
    id: int
    secretariat_id: int
    year: int
    title: str
    description: str | None
    measurement_grace_days: int
    measurement_jump_factor: float
    version: int
    created_at: datetime


ImportSummaryRead = read_model(
    ImportSummary,
    "ImportSummaryRead",
    plan=PlanRead,
    indicators=Field(description="Indicators the sheet Indicadores creates."),
    measurements=Field(description="Values the sheet Mediciones records."),
)
TaskChangeRead = read_model(TaskChange, "TaskChangeRead")
IndicatorChangesRead = read_model(
    IndicatorChanges,
    "IndicatorChangesRead",
    "What the sheets Indicadores and Mediciones change: indicators by name, periods given "
    "their first value (recorded) and values corrected by a new revision (corrected).",
)
UpdateSummaryRead = read_model(
    UpdateSummary,
    "UpdateSummaryRead",
    "What a plan's edited spreadsheet changes in it: done, or only foreseen in a dry run.",
    plan=PlanRead,
)


class ObjectiveCreate(BaseModel):
    model_config = examples(
        {
            "title": "Fortalecer la participación ciudadana",
            "pea_priority": "P12",
            "pna_priorities": [31, 32],
            "code": "1",
        }
    )

    title: Title
    code: Code | None = Field(None, description="Unique in the plan; numbered when omitted.")
    description: LongText | None = None
    pea_priority: PeaCode | None = Field(None, description="Priority of the state policy.")
    pna_priorities: PnaPriorities | None = Field(
        None,
        description="Priorities of the national policy (1-40) it cites; omitted: those "
        "its PEA priority maps to.",
    )
    weight: Weight | None = None


class ObjectiveUpdate(BaseModel):
    model_config = examples({"version": 1, "weight": 2})

    version: Version
    code: Code | None = None
    title: Title | None = None
    description: LongText | None = None
    pea_priority: PeaCode | None = None
    pna_priorities: PnaPriorities | None = None
    weight: Weight | None = None


class ObjectiveRead(ReadModel):
    id: int
    plan_id: int
    code: str
    title: str
    description: str | None
    pea_priority: str | None
    pna_priorities: list[int] | None
    position: int
    weight: float | None
    version: int


class ActivityCreate(BaseModel):
    model_config = examples({"title": "Talleres con organizaciones de la sociedad civil"})

    title: Title
    code: Code | None = None
    description: LongText | None = None
    weight: Weight | None = None


class ActivityUpdate(BaseModel):
    model_config = examples({"version": 1, "title": "Talleres regionales"})

    version: Version
    code: Code | None = None
    title: Title | None = None
    description: LongText | None = None
    weight: Weight | None = None


class ActivityRead(ReadModel):
    id: int
    objective_id: int
    code: str
    title: str
    description: str | None
    position: int
    weight: float | None
    version: int


class TaskFields(BaseModel):
    description: LongText | None = None
    responsible_ids: list[Ref] | None = Field(None, max_length=50)
    estimated_hours: TaskHours | None = None
    logged_hours: Hours | None = None
    inputs: list[Item] | None = Field(None, max_length=100, description="Insumos.")
    outputs: list[Item] | None = Field(None, max_length=100, description="Productos.")
    start_date: Day | None = None
    due_date: Day | None = None
    status: TaskStatus | None = None
    percent: int | None = Field(None, strict=True, ge=0, le=100)
    weight: Weight | None = None


class TaskCreate(TaskFields):
    model_config = examples(
        {
            "title": "Convocar a las OSC",
            "responsible_ids": [3],
            "estimated_hours": 12,
            "inputs": ["Directorio de OSC"],
            "outputs": ["Convocatoria publicada"],
            "start_date": "2026-02-02",
            "due_date": "2026-02-13",
        }
    )

    title: Title
    code: Code | None = None


class TaskUpdate(TaskFields):
    model_config = examples(
        {"version": 1, "status": "in_progress", "percent": 40, "logged_hours": 5}
    )

    version: Version
    title: Title | None = None


class TaskRead(ReadModel):
    id: int
    activity_id: int
    code: str
    title: str
    description: str | None
    position: int
    responsible_ids: list[int]
    estimated_hours: float
    logged_hours: float
    inputs: list[str]
    outputs: list[str]
    start_date: date | None
    due_date: date | None
    status: TaskStatus
    percent: int
    weight: float | None
    version: int


class DependencyCreate(BaseModel):
    model_config = examples({"predecessor_id": 10, "successor_id": 11, "lag_days": 2})

    predecessor_id: Ref
    successor_id: Ref
    lag_days: int = Field(
        0, strict=True, ge=-365, le=365, description="Days between finish and start."
    )


class DependencyRead(ReadModel):
    id: int
    predecessor_id: int
    successor_id: int
    lag_days: int


class IndicatorFields(BaseModel):
    method: LongText | None = None
    scale: Scale | None = Field(
        None,
        description='What a value can be; unset on creation: "percent" for a unit with "%" '
        'or "porcentaje", otherwise "number".',
    )
    starts_on: Day | None = Field(
        None, description="Its first day; unset on creation: January 1 of the plan's year."
    )
    ends_on: Day | None = Field(
        None, description="Its last day; unset on creation: December 31 of the plan's year."
    )
    due_dates: list[Day] | None = Field(
        None,
        max_length=366,
        description="The last day of each period, ascending, each once, within its first and "
        'last day: required with the frequency "dates", refused with any other.',
    )
    baseline: Amount | None = None
    goal: Amount | None = None
    means_of_verification: LongText | None = None
    evidence_kinds: list[EvidenceKind] | None = Field(
        None,
        max_length=len(EvidenceKind),
        description="The kinds of evidence its means of verification accepts with a value "
        "reported in chat; unset or empty: any.",
    )
    validated: bool | None = Field(
        None,
        description="Its new values go to civil-society validation on their own when the "
        'plan\'s validation policy has validate_measurements "flagged"; unset on creation: no.',
    )
    objective_id: Ref | None = None
    responsible_ids: list[Ref] | None = Field(
        None, max_length=50, description="The people who report its values."
    )


class IndicatorCreate(IndicatorFields):
    model_config = examples(
        {
            "name": "Organizaciones participantes",
            "unit": "organizaciones",
            "scale": "count",
            "frequency": "quarterly",
            "baseline": 12,
            "goal": 40,
            "means_of_verification": "Listas de asistencia",
            "evidence_kinds": ["document", "photo"],
            "responsible_ids": [3],
        }
    )

    name: Title
    unit: Unit
    frequency: Frequency


class IndicatorUpdate(IndicatorFields):
    model_config = examples({"version": 1, "goal": 45, "responsible_ids": [3, 4]})

    version: Version
    name: Title | None = None
    unit: Unit | None = None
    frequency: Frequency | None = None


class IndicatorRead(ReadModel):
    id: int
    plan_id: int
    objective_id: int | None
    name: str
    method: str | None
    unit: str
    scale: Scale
    baseline: float | None
    goal: float | None
    frequency: Frequency
    starts_on: date
    ends_on: date
    due_dates: list[date] | None
    means_of_verification: str | None
    evidence_kinds: list[EvidenceKind] | None
    validated: bool
    responsible_ids: list[int]
    version: int


class MeasurementCreate(BaseModel):
    model_config = examples(
        {"period": "2026-03-31", "value": 18, "note": "Primer trimestre"},
        {"period": "2026-03-31", "value": 81, "correction": True, "confirmed": True},
    )

    period: Day = Field(description="Any day of the period measured.")
    value: Amount
    note: LongText | None = None
    reported_by_id: Ref | None = None
    correction: bool = Field(
        False, description="A new value of a period that has one; the old one is kept."
    )
    confirmed: bool = Field(
        False,
        description="Save a value far from the last one (by the plan's jump factor) anyway.",
    )


class MeasurementRead(ReadModel):
    id: int
    indicator_id: int
    measured_on: date = Field(description="The last day of the period measured.")
    revision: int = Field(description="1 for the period's first value; each correction adds 1.")
    value: float
    note: str | None
    reported_by_id: int | None
    created_at: datetime
