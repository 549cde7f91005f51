"""Progress reports of tasks and their evidence; evidence files for the roles that review them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from fastapi.types import DecoratedCallable

from admin.auth import Id, PlanEditor, Reader
from admin.problems import problem_responses
from admin.routers.params import Limit, Offset
from admin.schemas.common import Page
from admin.schemas.reporting import EvidencePublication, EvidenceRead, ReportRead
from core.errors import NotFound
from core.infra import listing
from core.models import Evidence, ProgressReport
from core.reporting import evidence, publication, reports
from i18n import N_

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["reports"])


def downloads(
    router: APIRouter, path: str, summary: str, what: str
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A GET route of ``router`` that answers a stored file, ``what`` it is, or 404."""
    return router.get(
        path,
        summary=summary,
        response_class=FileResponse,
        responses={
            200: {"content": {"application/octet-stream": {}}, "description": what},
            **problem_responses(404),
        },
    )


@router.get(
    "/tasks/{task_id}/reports",
    summary="A task's progress reports, with their evidence",
    response_model=Page[ReportRead],
)
async def list_reports(
    task_id: Id, scope: Reader, limit: Limit = 50, offset: Offset = 0
) -> listing.Page[ProgressReport]:
    """Newest first. Each piece of evidence names its SHA-256, the same one the audit log
    recorded with the report."""
    return await scope.read(reports.list_reports, task_id, limit=limit, offset=offset)


@downloads(router, "/evidence/{evidence_id}/file", "Download an evidence file", "The stored file.")
async def evidence_file(evidence_id: Id, scope: PlanEditor, request: Request) -> FileResponse:
    """For administrators and coordinators only (viewers answer 403). Links and texts have
    no file (404)."""
    item = await scope.read(reports.get_evidence, evidence_id)
    missing = NotFound(N_("Evidence {id} has no stored file."), id=evidence_id)
    return stored_file(request, item.stored_name, item.mime_type, missing)


def stored_file(
    request: Request,
    stored_name: str | None,
    mime_type: str | None,
    missing: NotFound,
    *,
    filename: str | None = None,
) -> FileResponse:
    """A file of the evidence folder, as it was stored, downloaded as ``filename`` (by default
    its stored name); ``missing`` when there is none."""
    folder = request.app.state.settings.evidence_dir
    path = evidence.path_of(folder, stored_name) if stored_name else None
    if path is None or not path.is_file():
        raise missing
    return FileResponse(
        path,
        media_type=mime_type or "application/octet-stream",
        filename=filename or stored_name,
        headers={"X-Content-Type-Options": "nosniff"},
    )


@router.put(
    "/evidence/{evidence_id}/public",
    summary="Mark a piece of evidence public, or private again",
    response_model=EvidenceRead,
)
async def publish_evidence(
    evidence_id: Id, body: EvidencePublication, scope: PlanEditor, request: Request
) -> Evidence:
    """For administrators and coordinators (viewers answer 403). Public evidence appears on
    the advance's public page, `/avances/{report_id}`: a photo or document as a cleaned copy
    made now (a document without the names in its properties, comments and tracked changes), a
    link as a link, a text as text. Voice notes and videos are never published, nor a document
    that cannot be read or is encrypted (422)."""
    return await scope.change(
        publication.set_public,
        evidence_id,
        public=body.public,
        folder=request.app.state.settings.evidence_dir,
    )
