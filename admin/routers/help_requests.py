"""What staff asked of their coordination: help with a task, or word that it is blocked."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from admin.auth import Id, PlanEditor, Reader
from admin.routers.params import Limit, Offset
from admin.schemas.common import RefQuery, VersionBody, page_of
from admin.schemas.reporting import HelpRequestRead
from core.infra import listing
from core.models import HelpKind
from core.reporting import help_requests
from core.reporting.help_requests import HelpRequestView

STATES = {"open": False, "resolved": True, "all": None}
router = APIRouter(prefix="/secretariats/{secretariat_id}/help-requests", tags=["help requests"])


@router.get("", summary="List help requests", response_model=page_of(HelpRequestRead))
async def list_requests(
    scope: Reader,
    state: Annotated[
        Literal["open", "resolved", "all"], Query(description="Which ones; open by default.")
    ] = "open",
    kind: Annotated[HelpKind | None, Query(description="help or blocked; both if unset.")] = None,
    plan_id: Annotated[RefQuery | None, Query(description="Only this plan's tasks.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[HelpRequestView]:
    """Newest first: who asked (person id and name), when, about which task of which plan,
    what they wrote, and whether a coordinator was reached on Telegram. Requests nobody could
    be told of appear here all the same."""
    return await scope.read(
        help_requests.list_requests,
        resolved=STATES[state],
        kind=kind,
        plan_id=plan_id,
        limit=limit,
        offset=offset,
    )


@router.get("/{help_request_id}", summary="Read a help request", response_model=HelpRequestRead)
async def read_request(help_request_id: Id, scope: Reader) -> HelpRequestView:
    return await scope.read(help_requests.get_request, help_request_id)


@router.post(
    "/{help_request_id}/resolve",
    summary="Mark a help request resolved",
    response_model=HelpRequestRead,
)
async def resolve_request(
    help_request_id: Id, body: VersionBody, scope: PlanEditor
) -> HelpRequestView:
    """Send the `version` you read; one already resolved answers 409."""
    return await scope.change(help_requests.resolve, help_request_id, expected_version=body.version)
