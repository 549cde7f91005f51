"""A plan's latest advances: progress reports put to validation, newest first, each with the
state of its latest validation request and its answers counted, never named."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Activity,
    ProgressReport,
    Task,
    TaskStatus,
    ValidationRequest,
    ValidationState,
)
from core.public.advances import latest_requests, vote_counts

RECENT = 20


@dataclass(frozen=True, slots=True)
class Answers:
    """How the validators still asked answered: people, and the sectors of those confirming."""

    confirmations: int = 0
    disputes: int = 0
    sectors: int = 0


@dataclass(frozen=True, slots=True)
class Advance:
    report_id: int
    task_code: str
    task_title: str
    status: TaskStatus
    percent: int
    reported_at: datetime
    state: ValidationState
    answers: Answers


async def recent_advances(
    session: AsyncSession,
    plan_id: int,
    limit: int = RECENT,
    lines: Collection[int] | None = None,
) -> list[Advance]:
    """The plan's ``limit`` newest advances, by the state of each one's latest request; with
    ``lines``, only those of tasks under one of those lines of action."""
    query = (
        select(
            ValidationRequest.id,
            ProgressReport.id,
            Task.code,
            Task.title,
            ProgressReport.status,
            ProgressReport.percent,
            ProgressReport.created_at,
            ValidationRequest.state,
        )
        .join(ProgressReport, ProgressReport.id == ValidationRequest.report_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .where(ValidationRequest.id.in_(latest_requests([plan_id])))
    )
    if lines is not None:
        query = query.join(Activity, Activity.id == Task.activity_id).where(
            Activity.objective_id.in_(list(lines))
        )
    newest = query.order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc())
    listed = list((await session.execute(newest.limit(limit))).all())
    answers = await _answers(session, [row[0] for row in listed])
    return [
        Advance(
            report_id, code, title, status, percent, at, state, answers.get(request_id, Answers())
        )
        for request_id, report_id, code, title, status, percent, at, state in listed
    ]


async def _answers(session: AsyncSession, request_ids: list[int]) -> dict[int, Answers]:
    """Confirmations, disputes and confirming sectors of each request, counted as the outcome
    counts them (``vote_counts``)."""
    if not request_ids:
        return {}
    votes = vote_counts()
    rows = await session.execute(
        select(votes.c.request_id, votes.c.confirmations, votes.c.disputes, votes.c.sectors).where(
            votes.c.request_id.in_(request_ids)
        )
    )
    return {
        request_id: Answers(confirmations, disputes, sectors)
        for request_id, confirmations, disputes, sectors in rows.all()
    }
