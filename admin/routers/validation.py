"""Validation of reports by civil society, and the public ledger.

The ledger endpoints need no token: they publish the audit chain as JSON lines (no personal
data; validators appear by sector and pseudonym) and its head, so anyone can verify it with
`incorruptible audit verify FILE` and pin the head.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.auth import Id, PlanEditor, Reader, Session
from admin.routers.params import Limit, Offset, creates
from admin.schemas.common import Page, RefQuery
from admin.schemas.validation import (
    LedgerHead,
    PolicyRead,
    PolicyUpdate,
    TaskValidationRead,
    ValidationRequestCreate,
    ValidationRequestRead,
)
from core.audit import chain, ledger
from core.infra import listing
from core.models import (
    Measurement,
    ProgressReport,
    ValidationPolicy,
    ValidationRequest,
    ValidationState,
)
from core.validation import requests
from core.validation.outcome import tally
from core.validation.policy import get_policy, set_policy
from core.validation.queries import latest_report_of_task, list_requests, plan_task_states, votes_of

router = APIRouter(tags=["validation"])
JSON_LINES = "application/x-ndjson"


async def request_read(session: AsyncSession, request: ValidationRequest) -> ValidationRequestRead:
    task_id = request.report_id and await session.scalar(
        select(ProgressReport.task_id).where(ProgressReport.id == request.report_id)
    )
    indicator_id = request.measurement_id and await session.scalar(
        select(Measurement.indicator_id).where(Measurement.id == request.measurement_id)
    )
    return ValidationRequestRead.of_attributes(
        request,
        task_id=task_id,
        indicator_id=indicator_id,
        tally=tally(request),
        votes=await votes_of(session, request),
    )


@creates(
    router,
    "/secretariats/{secretariat_id}/validations",
    ValidationRequestRead,
    "Ask civil society to validate a report or an indicator's value",
)
async def request_validation(
    body: ValidationRequestCreate, scope: PlanEditor
) -> ValidationRequestRead:
    """Validators of the secretariat are chosen by the plan's policy and asked in chat; 409
    while the report or the value has an open request."""
    if body.measurement_id is not None:
        request = await scope.change(requests.request_measurement_validation, body.measurement_id)
        return await request_read(scope.session, request)
    report_id = body.report_id
    if report_id is None:
        assert body.task_id is not None, "the body names a report, a task or a measurement"
        report_id = await scope.read(latest_report_of_task, body.task_id)
    request = await scope.change(requests.request_validation, report_id)
    return await request_read(scope.session, request)


@router.get(
    "/secretariats/{secretariat_id}/validations",
    summary="List validation requests with their votes",
    response_model=Page[ValidationRequestRead],
)
async def list_validations(
    scope: Reader,
    plan_id: Annotated[RefQuery | None, Query()] = None,
    state: ValidationState | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[ValidationRequestRead]:
    """Newest first."""
    page = await scope.read(list_requests, plan_id=plan_id, state=state, limit=limit, offset=offset)
    # Each request's votes are read on their own, so the items are built here, not by map.
    items = [await request_read(scope.session, item) for item in page.items]
    return listing.Page(items, page.total, page.limit, page.offset)


@router.get(
    "/secretariats/{secretariat_id}/plans/{plan_id}/task-validations",
    summary="Validation state of a plan's tasks",
    response_model=list[TaskValidationRead],
)
async def task_validations(plan_id: Id, scope: Reader) -> list[TaskValidationRead]:
    """Each task put to validation, with its latest request's state."""
    rows = await scope.read(plan_task_states, plan_id)
    return [
        TaskValidationRead(task_id=task_id, request_id=request_id, state=state)
        for task_id, request_id, state in rows
    ]


@router.get(
    "/secretariats/{secretariat_id}/plans/{plan_id}/validation-policy",
    summary="Read a plan's validation policy",
    response_model=PolicyRead,
)
async def read_policy(plan_id: Id, scope: Reader) -> ValidationPolicy:
    return await scope.read(get_policy, plan_id)


@router.put(
    "/secretariats/{secretariat_id}/plans/{plan_id}/validation-policy",
    summary="Change a plan's validation policy",
    response_model=PolicyRead,
)
async def update_policy(plan_id: Id, body: PolicyUpdate, scope: PlanEditor) -> ValidationPolicy:
    """Open requests keep the policy they were made with."""
    changes = body.model_dump(exclude_none=True)
    return await scope.change(set_policy, plan_id, **changes)


@router.get(
    "/public/ledger",
    summary="The public ledger, as JSON lines",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {JSON_LINES: {"schema": {"type": "string"}}},
            "description": "One audit event per line, with prev_hash and hash.",
        }
    },
)
async def public_ledger(
    request: Request, plan_id: Annotated[RefQuery | None, Query()] = None
) -> StreamingResponse:
    """The whole chain; with `plan_id`, that plan's events in full and the others reduced to
    their hashes, so the chain still verifies. No token needed."""
    session_factory = request.app.state.session_factory

    async def lines() -> AsyncIterator[str]:
        async with session_factory() as session, session.begin():
            async for line in ledger.export_lines(session, plan_id):
                yield line

    filename = f"ledger-plan-{plan_id}.jsonl" if plan_id else "ledger.jsonl"
    return StreamingResponse(
        lines(),
        media_type=JSON_LINES,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/public/ledger/head", summary="Head of the public ledger", response_model=LedgerHead)
async def public_head(session: Session) -> LedgerHead:
    """Pin this: a later export whose chain passes through it proves nothing before changed."""
    seq, digest = await chain.head(session)
    return LedgerHead(seq=seq, hash=digest)
