"""Reminder rules, the outbox's state, the reports and evidence of tasks, and help requests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from admin.schemas.common import ReadModel, Version, examples, read_model
from core.models import EvidenceKind, NotificationState, ReminderKind, TaskStatus
from core.reporting.help_requests import HelpRequestView


class ReminderRuleCreate(BaseModel):
    model_config = examples({"kind": "overdue", "days": 2, "escalate_after_days": 5})

    kind: ReminderKind = Field(
        description="before_due, on_due, overdue, or weekly_digest (Mondays)."
    )
    days: int = Field(
        0, strict=True, ge=0, le=365, description="before_due: days before; overdue: every N days."
    )
    escalate_after_days: int | None = Field(
        None,
        strict=True,
        ge=1,
        le=365,
        description="overdue only: from this many days late, also the coordinators.",
    )
    active: bool = True


class ReminderRuleUpdate(BaseModel):
    model_config = examples({"version": 1, "active": False})

    version: Version
    kind: ReminderKind | None = None
    days: int | None = Field(None, strict=True, ge=0, le=365)
    escalate_after_days: int | None = Field(None, strict=True, ge=1, le=365)
    active: bool | None = None


class ReminderRuleRead(ReadModel):
    id: int
    plan_id: int
    kind: ReminderKind
    days: int
    escalate_after_days: int | None
    active: bool
    version: int


class KindCount(BaseModel):
    kind: str = Field(description="reminder, task_blocked, inputs_ready, help_requested, ...")
    state: NotificationState
    count: int


class OutboxState(BaseModel):
    states: dict[NotificationState, int] = Field(description="Notifications in each state.")
    by_kind: list[KindCount]


class NotificationRead(ReadModel):
    id: int
    person_id: int
    kind: str
    subject_type: str | None
    subject_id: int | None
    state: NotificationState
    attempts: int
    scheduled_at: datetime
    last_error: str | None


class EvidenceRead(ReadModel):
    id: int
    kind: EvidenceKind
    sha256: str = Field(description="SHA-256 of the stored file (or of the text or link).")
    stored_name: str | None = Field(description="Download it from the evidence file endpoint.")
    size: int | None
    mime_type: str | None
    caption: str | None
    url: str | None
    telegram_file_id: str | None
    public: bool = Field(description="Shown on the advance's public page (a cleaned copy).")
    created_at: datetime


class EvidencePublication(BaseModel):
    model_config = examples({"public": True})

    public: bool = Field(
        strict=True,
        description="true: shown on the advance's public page, files as a cleaned copy "
        "(photos without their metadata); false: private again.",
    )


class ReportRead(ReadModel):
    id: int
    task_id: int
    person_id: int | None
    status: TaskStatus
    percent: int
    hours: Decimal
    note: str | None
    blocked_reason: str | None
    created_at: datetime
    evidence: list[EvidenceRead]


HelpRequestRead = read_model(
    HelpRequestView,
    "HelpRequestRead",
    "A request for help with a task, or a task reported blocked, with who asked and when.",
    kind=Field(description="help (asked for help) or blocked (a report marked it blocked)."),
    person_name=Field(description="Who asked."),
    message=Field(description="What they wrote: for a blocked task, what blocks it."),
    coordinators_notified=Field(
        description="Coordinators reachable on Telegram it was sent to; 0: none was, and only "
        "this list shows it."
    ),
    coordinator_reached=Field(description="Whether Telegram delivered it to a coordinator."),
    resolved_by=Field(description="token:<id> or person:<id>."),
)
