"""Read-only views over a plan, and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from admin.schemas.common import ReadModel
from core.models import TaskStatus


class ProgressNode(ReadModel):
    level: str = Field(description="plan, objective, activity or task.")
    id: int
    code: str | None
    title: str
    percent: float = Field(description="Weighted roll-up of the level below.")
    weight: float
    estimated_hours: float
    logged_hours: float
    tasks_total: int
    tasks_done: int
    children: list[ProgressNode] = []


class ScheduledTaskRead(ReadModel):
    task_id: int
    code: str
    title: str
    duration_days: int
    earliest_start: date
    earliest_finish: date
    latest_start: date
    latest_finish: date
    slack_days: int
    critical: bool


class ScheduleRead(ReadModel):
    start: date
    finish: date
    critical_path: list[int] = Field(description="Task ids of the chain that sets the end.")
    tasks: list[ScheduledTaskRead]


class TimelineItemRead(ReadModel):
    id: int
    kind: str = Field(description="objective, activity or task.")
    parent_id: int | None
    code: str
    title: str
    start: date | None
    finish: date | None
    percent: float
    status: TaskStatus | None
    critical: bool
    slack_days: int | None
    responsible_ids: list[int]


class TimelineLink(BaseModel):
    predecessor_id: int
    successor_id: int
    lag_days: int


class TimelineRead(BaseModel):
    """Rows in display order (objective, its activities, each followed by its tasks) with
    scheduled dates, and the finish-to-start links between tasks: what a Gantt chart draws."""

    start: date
    finish: date
    items: list[TimelineItemRead]
    links: list[TimelineLink]


class ResponsibleRead(ReadModel):
    person_id: int
    name: str


class AttentionItemRead(ReadModel):
    task_id: int
    code: str
    title: str
    status: TaskStatus
    percent: int
    due_date: date | None
    days_overdue: int
    responsibles: list[ResponsibleRead]
    waiting_on: list[str] = Field(description="Codes of unfinished tasks it depends on.")


class AttentionRead(ReadModel):
    as_of: date
    overdue: list[AttentionItemRead]
    blocked: list[AttentionItemRead]


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


class ChainReportRead(ReadModel):
    ok: bool
    events: int
    head: str
    broken_seq: int | None
    reason: str | None


class ChainHead(BaseModel):
    seq: int
    hash: str
