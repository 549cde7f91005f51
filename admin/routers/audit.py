"""The tamper-evident audit log: a plan's events, and checks of the whole chain."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from admin.auth import CurrentPrincipal, Id, Reader, Session
from admin.routers.params import Limit, Offset
from admin.schemas.common import Page
from admin.schemas.views import AuditEventRead, ChainHead, ChainReportRead
from core.audit import chain
from core.audit.chain import ChainReport
from core.infra import listing
from core.plans import plans

router = APIRouter(tags=["audit"])


@router.get(
    "/secretariats/{secretariat_id}/plans/{plan_id}/audit",
    summary="Audit log of a plan",
    response_model=Page[AuditEventRead],
)
async def plan_audit_log(
    plan_id: Id, scope: Reader, limit: Limit = 50, offset: Offset = 0
) -> listing.Page[dict[str, Any]]:
    """Newest first: who did what, when, with before and after for changes. Each event holds
    the hash of the one before it in the whole chain."""
    page = await scope.read(plans.plan_audit_log, plan_id, limit=limit, offset=offset)
    return page.map(chain.as_record)


@router.get("/audit/verify", summary="Verify the audit chain", response_model=ChainReportRead)
async def verify_chain(session: Session, _principal: CurrentPrincipal) -> ChainReport:
    """Recompute every event's hash and link; name the first broken one."""
    return await chain.verify(session)


@router.get("/audit/head", summary="Head of the audit chain", response_model=ChainHead)
async def chain_head(session: Session, _principal: CurrentPrincipal) -> ChainHead:
    """Keep this hash: a later export that still contains it proves nothing before it changed."""
    seq, digest = await chain.head(session)
    return ChainHead(seq=seq, hash=digest)
