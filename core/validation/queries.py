"""Reading validation requests, their votes and the validation state of a plan's tasks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import ledger
from core.errors import NotFound
from core.infra.listing import Page, Sorting, given_filters, paginate
from core.models import (
    ProgressReport,
    ValidationRequest,
    ValidationState,
)
from core.plans.plans import get_plan
from core.plans.tasks import get_task
from core.validation.requests import load_request
from i18n import N_

NEWEST_FIRST = Sorting({"id": ValidationRequest.id}, default="-id", tie_breaker=())

# --- reading ---------------------------------------------------------------------------------


async def get_request(
    session: AsyncSession, secretariat_id: int, request_id: int
) -> ValidationRequest:
    request = await load_request(session, request_id)
    if request is None or request.secretariat_id != secretariat_id:
        raise NotFound(N_("Validation request {id} not found."), id=request_id)
    return request


async def list_requests(
    session: AsyncSession,
    secretariat_id: int,
    *,
    plan_id: int | None = None,
    state: ValidationState | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ValidationRequest]:
    """A page of requests, newest first, and how many match."""
    query = select(ValidationRequest).where(
        ValidationRequest.secretariat_id == secretariat_id,
        *given_filters((ValidationRequest.plan_id, plan_id), (ValidationRequest.state, state)),
    )
    return await paginate(session, query, NEWEST_FIRST, limit=limit, offset=offset)


async def counts(session: AsyncSession) -> dict[str, int]:
    """How many requests are in each state, every secretariat's together."""
    query = select(ValidationRequest.state, func.count()).group_by(ValidationRequest.state)
    found = dict((await session.execute(query)).all())
    return {state.value: found.get(state, 0) for state in ValidationState}


async def latest_report_of_task(session: AsyncSession, secretariat_id: int, task_id: int) -> int:
    """The id of the task's last report, for asking validation by task."""
    task, _plan = await get_task(session, secretariat_id, task_id)
    report_id = await session.scalar(
        select(ProgressReport.id)
        .where(ProgressReport.task_id == task.id)
        .order_by(ProgressReport.id.desc())
        .limit(1)
    )
    if report_id is None:
        raise NotFound(N_("Task {task} has no report yet."), task=task.code)
    return report_id


@dataclass(frozen=True)
class VoteView:
    """A vote as coordinators and the public see it: by sector and pseudonym."""

    assignment_id: int
    validator: str
    sector: str
    assignment_state: str
    choice: str | None
    comment: str | None
    voice_note: bool
    changes: int


async def votes_of(session: AsyncSession, request: ValidationRequest) -> list[VoteView]:
    views = []
    for assignment in request.assignments:
        vote = assignment.vote
        views.append(
            VoteView(
                assignment_id=assignment.id,
                validator=await ledger.pseudonym(session, assignment.person_id),
                sector=assignment.sector,
                assignment_state=assignment.state,
                choice=vote.choice if vote else None,
                comment=vote.comment if vote else None,
                voice_note=bool(vote and vote.voice_file_id),
                changes=vote.changes if vote else 0,
            )
        )
    return views


async def plan_task_states(
    session: AsyncSession, secretariat_id: int, plan_id: int
) -> list[tuple[int, int, str]]:
    """(task id, latest request id, its state) for every task of the plan put to validation."""
    await get_plan(session, secretariat_id, plan_id)
    rows = await session.execute(
        select(ProgressReport.task_id, ValidationRequest.id, ValidationRequest.state)
        .join(ValidationRequest, ValidationRequest.report_id == ProgressReport.id)
        .where(ValidationRequest.plan_id == plan_id)
        .order_by(ValidationRequest.id)
    )
    latest = {task_id: (request_id, state) for task_id, request_id, state in rows.all()}
    return [(task_id, *latest[task_id]) for task_id in sorted(latest)]
