"""Requests to validate advances sent from the public pages: read, accepted (an invitation is
made for the sender) or declined (who sent it is forgotten)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from admin.auth import Id, PlanEditor, Reader
from admin.routers.invitations import issued_read
from admin.routers.params import Limit, Offset
from admin.schemas.common import Page, VersionBody
from admin.schemas.organisation import AcceptedJoinRequest, JoinRequestRead
from core.infra import listing
from core.models import JoinRequest, JoinRequestState
from core.people import join_requests

router = APIRouter(prefix="/secretariats/{secretariat_id}/join-requests", tags=["invitations"])


@router.get("", summary="List requests to validate", response_model=Page[JoinRequestRead])
async def list_requests(
    scope: Reader,
    state: Annotated[JoinRequestState | None, Query(description="Filter.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[JoinRequest]:
    """Newest first: people who asked, on the secretariat's public page, to validate its
    advances."""
    return await scope.read(join_requests.list_requests, state=state, limit=limit, offset=offset)


@router.post(
    "/{join_request_id}/accept", summary="Accept a request", response_model=AcceptedJoinRequest
)
async def accept_request(
    join_request_id: Id, body: VersionBody, scope: PlanEditor, request: Request
) -> AcceptedJoinRequest:
    """Makes a civil-society invitation in the sector the sender chose; send its link to the
    contact the request gives. A request already decided answers 422, a stale version 409."""
    accepted, issued = await scope.change(
        join_requests.accept,
        join_request_id,
        body.version,
        request.app.state.settings.invitation_ttl_days,
    )
    return AcceptedJoinRequest(
        request=JoinRequestRead.model_validate(accepted), invitation=issued_read(request, issued)
    )


@router.post(
    "/{join_request_id}/decline", summary="Decline a request", response_model=JoinRequestRead
)
async def decline_request(join_request_id: Id, body: VersionBody, scope: PlanEditor) -> JoinRequest:
    """The sender's name, organisation and contact are erased; the sector and dates stay."""
    return await scope.change(join_requests.decline, join_request_id, body.version)
