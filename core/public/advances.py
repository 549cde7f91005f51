"""Advances civil society validated, newest first: what the feeds of validated advances list.

An advance is a progress report put to validation; it appears here once a request on it ends
validated, with the task it reports on and how many validators confirmed it, from how many
sectors. Nothing here names a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    AssignmentState,
    Plan,
    ProgressReport,
    Secretariat,
    Task,
    TaskStatus,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    ValidationVote,
    VoteChoice,
)

FEED_SIZE = 50


def latest_requests(plan_ids: list[int]) -> Any:
    """The ids of each advance's latest validation request, in the plans given: what decides
    the state an advance stands in."""
    return (
        select(func.max(ValidationRequest.id))
        .where(ValidationRequest.plan_id.in_(plan_ids))
        .group_by(ValidationRequest.report_id)
    )


def vote_counts(request_ids: list[int] | None = None) -> Any:
    """Per validation request (of ``request_ids`` if given), its votes by answer and the
    sectors its confirmations came from, counted as the outcome counts them: only validators
    still asked."""

    def chose(choice: VoteChoice) -> Any:
        return func.sum(case((ValidationVote.choice == choice, 1), else_=0))

    confirming_sector = case(
        (ValidationVote.choice == VoteChoice.CONFIRM, ValidationAssignment.sector)
    )
    query = (
        select(
            ValidationVote.request_id,
            chose(VoteChoice.CONFIRM).label("confirmations"),
            chose(VoteChoice.DISPUTE).label("disputes"),
            chose(VoteChoice.NEEDS_INFO).label("needs_info"),
            func.count(distinct(confirming_sector)).label("sectors"),
        )
        .join(ValidationAssignment, ValidationAssignment.id == ValidationVote.assignment_id)
        .where(ValidationAssignment.state == AssignmentState.ACTIVE)
        .group_by(ValidationVote.request_id)
    )
    if request_ids is not None:
        query = query.where(ValidationVote.request_id.in_(request_ids))
    return query.subquery()


@dataclass(frozen=True, slots=True)
class ValidatedAdvance:
    request_id: int
    report_id: int
    requested_at: datetime
    validated_at: datetime
    task_code: str
    task_title: str
    status: TaskStatus
    percent: int
    plan_title: str
    plan_year: int
    secretariat_slug: str
    secretariat_name: str
    confirmations: int
    sectors: int


async def validated_advances(
    session: AsyncSession, secretariat_id: int | None = None, limit: int = FEED_SIZE
) -> list[ValidatedAdvance]:
    """The latest requests that ended validated, newest first; of one secretariat if given."""
    votes = vote_counts()
    query = (
        select(
            ValidationRequest.id,
            ValidationRequest.report_id,
            ValidationRequest.created_at,
            ValidationRequest.closed_at,
            Task.code,
            Task.title,
            ProgressReport.status,
            ProgressReport.percent,
            Plan.title,
            Plan.year,
            Secretariat.slug,
            Secretariat.name,
            func.coalesce(votes.c.confirmations, 0),
            func.coalesce(votes.c.sectors, 0),
        )
        .join(ProgressReport, ProgressReport.id == ValidationRequest.report_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .join(Plan, Plan.id == ValidationRequest.plan_id)
        .join(Secretariat, Secretariat.id == Plan.secretariat_id)
        .outerjoin(votes, votes.c.request_id == ValidationRequest.id)
        .where(
            ValidationRequest.state == ValidationState.VALIDATED,
            ValidationRequest.closed_at.is_not(None),
        )
        .order_by(ValidationRequest.closed_at.desc(), ValidationRequest.id.desc())
        .limit(limit)
    )
    if secretariat_id is not None:
        query = query.where(Plan.secretariat_id == secretariat_id)
    rows = (await session.execute(query)).all()
    return [ValidatedAdvance(*cast(tuple[Any, ...], row)) for row in rows]
