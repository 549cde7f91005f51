"""Read-only views over a plan, and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from admin.schemas.common import ReadModel, read_model
from admin.schemas.reporting import HelpRequestRead
from core.audit.chain import ChainReport
from core.plans.progress import Progress
from core.plans.schedule import Schedule, ScheduledTask
from core.plans.views import Attention, AttentionItem, Responsible, TimelineItem

ProgressNode = read_model(
    Progress,
    "ProgressNode",
    level=Field(description="plan, objective, activity or task."),
    percent=Field(description="Weighted roll-up of the level below."),
    children=Field(default=[]),
)
ScheduledTaskRead = read_model(ScheduledTask, "ScheduledTaskRead")
ScheduleRead = read_model(
    Schedule,
    "ScheduleRead",
    critical_path=Field(description="Task ids of the chain that sets the end."),
)
TimelineItemRead = read_model(
    TimelineItem, "TimelineItemRead", kind=Field(description="objective, activity or task.")
)


class TimelineLink(BaseModel):
    predecessor_id: int
    successor_id: int
    lag_days: int


class TimelineRead(BaseModel):
    """Rows in display order (objective, its activities, each followed by its tasks) with
    scheduled dates, and the finish-to-start links between tasks: what a Gantt chart draws."""

    start: date
    finish: date
    items: list[TimelineItemRead]  # type: ignore[valid-type]  # a read model, built when its module loads
    links: list[TimelineLink]


ResponsibleRead = read_model(Responsible, "ResponsibleRead")
AttentionItemRead = read_model(
    AttentionItem,
    "AttentionItemRead",
    waiting_on=Field(description="Codes of unfinished tasks it depends on."),
    blocked_reason=Field(description="What blocks it, as its latest report says."),
)
AttentionRead = read_model(
    Attention,
    "AttentionRead",
    # Open requests for help, oldest first.
    help_requests=list[HelpRequestRead],  # type: ignore[valid-type]  # a read model, built when its module loads
)


class WeekLoad(BaseModel):
    week: str = Field(description="ISO week, like 2026-W07.", examples=["2026-W07"])
    starts_on: date
    hours: float


class WorkloadRead(BaseModel):
    person_id: int
    name: str
    total_hours: float
    weeks: list[WeekLoad]


class AuditEventRead(ReadModel):
    seq: int
    occurred_at: datetime
    secretariat_id: int | None
    plan_id: int | None
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    data: dict[str, Any]
    prev_hash: str
    hash: str


ChainReportRead = read_model(ChainReport, "ChainReportRead")


class ChainHead(BaseModel):
    seq: int
    hash: str
