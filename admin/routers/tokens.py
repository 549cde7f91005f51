"""API tokens: who may call this API, with which role, until when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from admin.auth import CurrentPrincipal, Id, Session, TokenManager
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import Page
from admin.schemas.organisation import IssuedTokenRead, PrincipalRead, TokenCreate, TokenRead
from core.errors import NotFound, PermissionDenied
from core.infra import listing
from core.models import ApiToken, TokenRole
from core.people import tokens
from i18n import N_

router = APIRouter(tags=["tokens"])
TokenSort = Annotated[str | None, sort_by("id", "created_at", "expires_at", default="-created_at")]


@router.get("/me", summary="Who am I", response_model=PrincipalRead)
async def me(principal: CurrentPrincipal) -> PrincipalRead:
    return PrincipalRead(
        token_id=principal.token_id, role=principal.role, secretariat_id=principal.secretariat_id
    )


@router.get("/tokens", summary="List tokens", response_model=Page[TokenRead])
async def list_tokens(
    session: Session,
    principal: TokenManager,
    sort: TokenSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[ApiToken]:
    """Every token for the national admin; a secretariat admin sees its secretariat's."""
    return await tokens.list_tokens(
        session, principal.secretariat_id, sort=sort, limit=limit, offset=offset
    )


@creates(router, "/tokens", IssuedTokenRead, "Issue a token")
async def create_token(
    body: TokenCreate, session: Session, principal: TokenManager
) -> IssuedTokenRead:
    """The secret is in the answer once; it cannot be read again. A secretariat admin issues
    tokens for its own secretariat, never national ones. The new token expires no later than
    the one that issued it, and is revoked with it."""
    if not principal.is_national:
        if body.role == TokenRole.NATIONAL_ADMIN:
            raise PermissionDenied(N_("Only a national admin can issue national admin tokens."))
        if body.secretariat_id is not None and body.secretariat_id != principal.secretariat_id:
            raise NotFound(
                N_("Secretariat {id} not found."), field="secretariat_id", id=body.secretariat_id
            )
    parent = await tokens.get_token(session, principal.token_id)
    issued = await tokens.issue_token(session, principal.actor, parent=parent, **body.model_dump())
    return IssuedTokenRead(
        **TokenRead.model_validate(issued.token).model_dump(), token=issued.secret
    )


@router.post("/tokens/{token_id}/revoke", summary="Revoke a token", response_model=TokenRead)
async def revoke_token(token_id: Id, session: Session, principal: TokenManager) -> ApiToken:
    """Every token it issued, and theirs in turn, is revoked with it."""
    return await tokens.revoke_token(
        session, principal.actor, token_id, secretariat_id=principal.secretariat_id
    )
