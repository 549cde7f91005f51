"""A plan's latest advances: progress reports put to validation, newest first, each with the
state of its latest validation request and its answers counted, never named."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    AssignmentState,
    ProgressReport,
    Task,
    TaskStatus,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    ValidationVote,
    VoteChoice,
)

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
    session: AsyncSession, plan_id: int, limit: int = RECENT
) -> list[Advance]:
    """The plan's ``limit`` newest advances, by the state of each one's latest request."""
    latest = (
        select(func.max(ValidationRequest.id))
        .where(ValidationRequest.plan_id == plan_id)
        .group_by(ValidationRequest.report_id)
    )
    rows = (
        await session.execute(
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
            .where(ValidationRequest.id.in_(latest))
            .order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc())
            .limit(limit)
        )
    ).all()
    listed = list(rows)
    answers = await _answers(session, [row[0] for row in listed])
    return [
        Advance(
            report_id, code, title, status, percent, at, state, answers.get(request_id, Answers())
        )
        for request_id, report_id, code, title, status, percent, at, state in listed
    ]


async def _answers(session: AsyncSession, request_ids: list[int]) -> dict[int, Answers]:
    """Confirmations, disputes and confirming sectors of each request, counting (as the
    quorum does) only validators still asked."""
    if not request_ids:
        return {}
    rows = await session.execute(
        select(
            ValidationAssignment.request_id,
            ValidationVote.choice,
            func.count(),
            func.count(func.distinct(ValidationAssignment.sector)),
        )
        .join(ValidationVote, ValidationVote.assignment_id == ValidationAssignment.id)
        .where(
            ValidationAssignment.request_id.in_(request_ids),
            ValidationAssignment.state == AssignmentState.ACTIVE,
        )
        .group_by(ValidationAssignment.request_id, ValidationVote.choice)
    )
    counted: dict[int, dict[VoteChoice, tuple[int, int]]] = defaultdict(dict)
    for request_id, choice, people, sectors in rows.all():
        counted[request_id][choice] = (people, sectors)
    return {
        request_id: Answers(
            confirmations=choices.get(VoteChoice.CONFIRM, (0, 0))[0],
            disputes=choices.get(VoteChoice.DISPUTE, (0, 0))[0],
            sectors=choices.get(VoteChoice.CONFIRM, (0, 0))[1],
        )
        for request_id, choices in counted.items()
    }
