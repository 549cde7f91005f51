"""Secretariats: the tenants. Only the national admin creates them or lists them all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from admin.auth import CurrentPrincipal, Id, Manager, NationalAdmin, Reader, Session
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import Page
from admin.schemas.organisation import SecretariatCreate, SecretariatRead, SecretariatUpdate
from core.infra import listing
from core.models import Secretariat
from core.people import secretariats

router = APIRouter(prefix="/secretariats", tags=["secretariats"])
SecretariatSort = Annotated[str | None, sort_by("id", "slug", "name", default="slug")]


@router.get("", summary="List secretariats", response_model=Page[SecretariatRead])
async def list_secretariats(
    session: Session,
    principal: CurrentPrincipal,
    sort: SecretariatSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[Secretariat]:
    """Every secretariat for the national admin; one's own for everyone else."""
    only = None if principal.is_national else principal.secretariat_id
    return await secretariats.list_secretariats(
        session, only, sort=sort, limit=limit, offset=offset
    )


@creates(router, "", SecretariatRead, "Create a secretariat")
async def create_secretariat(
    body: SecretariatCreate, session: Session, principal: NationalAdmin
) -> Secretariat:
    """National admin only."""
    return await secretariats.create_secretariat(session, principal.actor, **body.model_dump())


@router.get("/{secretariat_id}", summary="Read a secretariat", response_model=SecretariatRead)
async def read_secretariat(secretariat_id: Id, scope: Reader) -> Secretariat:
    return await scope.read(secretariats.get_secretariat)


@router.patch("/{secretariat_id}", summary="Change a secretariat", response_model=SecretariatRead)
async def update_secretariat(
    secretariat_id: Id, body: SecretariatUpdate, scope: Manager
) -> Secretariat:
    return await secretariats.update_secretariat(
        scope.session, scope.actor, scope.secretariat_id, **body.model_dump(exclude_unset=True)
    )
