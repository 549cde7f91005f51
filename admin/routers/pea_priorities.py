"""A secretariat's own PEA priorities and the national priorities each maps to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from admin.auth import Id, PlanEditor, Reader
from admin.routers.items import VersionQuery
from admin.routers.params import Limit, Offset, creates, deletes, sort_by
from admin.schemas.common import Page
from admin.schemas.pea import PeaPriorityCreate, PeaPriorityRead, PeaPriorityUpdate
from core.infra import listing
from core.models import PeaPriority
from core.policy import pea

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["plans"])
PeaPrioritySort = Annotated[str | None, sort_by("code", "title", default="code")]
ITEM = "/pea-priorities/{pea_priority_id}"


@router.get("/pea-priorities", summary="List PEA priorities", response_model=Page[PeaPriorityRead])
async def list_pea_priorities(
    scope: Reader,
    sort: PeaPrioritySort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[PeaPriority]:
    """The priorities of the secretariat's state policy (PEA), each with the priorities of the
    national policy (PNA) it maps to. A line of action whose `pea_priority` is one's code cites
    those national priorities unless it names its own."""
    return await scope.read(pea.list_pea_priorities, sort=sort, limit=limit, offset=offset)


@creates(router, "/pea-priorities", PeaPriorityRead, "Add a PEA priority")
async def create_pea_priority(body: PeaPriorityCreate, scope: PlanEditor) -> PeaPriority:
    return await scope.change(pea.add_pea_priority, **body.model_dump())


@router.get(ITEM, summary="Read a PEA priority", response_model=PeaPriorityRead)
async def read_pea_priority(pea_priority_id: Id, scope: Reader) -> PeaPriority:
    return await scope.read(pea.get_pea_priority, pea_priority_id)


@router.patch(ITEM, summary="Change a PEA priority", response_model=PeaPriorityRead)
async def update_pea_priority(
    pea_priority_id: Id, body: PeaPriorityUpdate, scope: PlanEditor
) -> PeaPriority:
    return await scope.change(
        pea.update_pea_priority, pea_priority_id, **body.model_dump(exclude_unset=True)
    )


@deletes(router, ITEM, "Delete a PEA priority")
async def delete_pea_priority(
    pea_priority_id: Id, version: VersionQuery, scope: PlanEditor
) -> None:
    """Lines of action citing its code keep it, and cite no national priority through it."""
    await scope.change(pea.delete_pea_priority, pea_priority_id, version=version)
