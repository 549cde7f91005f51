"""Invitations: single-use codes sent as Telegram deep links."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from admin.auth import Id, Manager, Reader
from admin.problems import language_of
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import Page
from admin.schemas.organisation import InvitationCreate, InvitationRead, IssuedInvitationRead
from core.infra import listing
from core.models import Invitation
from core.people import invitations
from core.people.invitations import IssuedInvitation
from i18n import N_, gettext

router = APIRouter(prefix="/secretariats/{secretariat_id}/invitations", tags=["invitations"])
InvitationSort = Annotated[
    str | None, sort_by("id", "created_at", "expires_at", default="-created_at")
]


@router.get("", summary="List invitations", response_model=Page[InvitationRead])
async def list_invitations(
    scope: Reader,
    state: Annotated[
        Literal["open", "used", "revoked", "expired"] | None, Query(description="Filter.")
    ] = None,
    sort: InvitationSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[Invitation]:
    return await scope.read(
        invitations.list_invitations, state=state, sort=sort, limit=limit, offset=offset
    )


@creates(router, "", IssuedInvitationRead, "Invite someone")
async def create_invitation(
    body: InvitationCreate, scope: Manager, request: Request
) -> IssuedInvitationRead:
    """Returns the code and its link once (Telegram's, or the local web chat's when the product
    runs without a bot token); only the code's hash is kept.

    With `person_id`, the invitation is bound to that person (one of this secretariat's, with no
    Telegram account yet): whoever joins through it becomes them, asked only their consent and
    what their record lacks."""
    settings = request.app.state.settings
    issued = await scope.change(
        invitations.create_invitation,
        role=body.role,
        sector=body.sector,
        person_id=body.person_id,
        note=body.note,
        ttl_days=body.ttl_days or settings.invitation_ttl_days,
    )
    return issued_read(request, issued)


def issued_read(request: Request, issued: IssuedInvitation) -> IssuedInvitationRead:
    """A new invitation with its code and the link to send, shown once."""
    link = request.app.state.join_links.link(issued.code)
    how = gettext(
        language_of(request),
        N_("Send this link; it opens the chat with the bot and joins: {link}"),
        link=link,
    )
    read = InvitationRead.model_validate(issued.invitation)
    return IssuedInvitationRead(
        **read.model_dump(), code=issued.code, deep_link=link, how_to_join=how
    )


@router.post(
    "/{invitation_id}/revoke", summary="Withdraw an invitation", response_model=InvitationRead
)
async def revoke_invitation(invitation_id: Id, scope: Manager) -> Invitation:
    return await scope.change(invitations.revoke_invitation, invitation_id)
