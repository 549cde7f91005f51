"""What a session leaves on record: its agreements, each followed up as a task of the plan, and
its minutes, sent in chat to those who attended."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse

from admin.auth import Id, PlanEditor, Reader
from admin.context import Quiet
from admin.problems import problem_responses
from admin.routers.params import creates
from admin.routers.reports import downloads, stored_file
from admin.schemas.meeting_records import AgreementCreate, AgreementRead, MinutesRead
from core.errors import NotFound
from core.meetings import agreements, minutes
from core.models import utcnow
from i18n import N_

router = APIRouter(prefix="/secretariats/{secretariat_id}/meetings", tags=["meetings"])
MINUTES_PATH = "/{meeting_id}/minutes"


@creates(router, "/{meeting_id}/agreements", AgreementRead, "Record an agreement of a session")
async def record_agreement(
    meeting_id: Id, body: AgreementCreate, scope: PlanEditor
) -> AgreementRead:
    """A new task at the end of `activity_id` (titled with the text), or `task_id` updated: its
    responsible added, the due date set, the session cited in its description. The responsible
    hears of it in chat, and the plan's reminder rules remind it as any task. Refused: a
    cancelled session or one not started (409), an empty text, a due date before the session's
    day, both or neither of `activity_id` and `task_id`, a person who erased their data (422),
    a person, activity or task of another secretariat (404)."""
    view = await scope.change(
        agreements.record_agreement, meeting_id, **body.model_dump(), now=utcnow()
    )
    return AgreementRead.of(view)


@router.get(
    "/{meeting_id}/agreements",
    summary="A session's agreements, with their tasks",
    response_model=list[AgreementRead],
)
async def list_agreements(meeting_id: Id, scope: Reader) -> list[AgreementRead]:
    """In the order they were recorded, each with its task's code, title, status and percent."""
    found = await scope.read(agreements.list_agreements, meeting_id)
    return [AgreementRead.of(view) for view in found]


@router.put(
    MINUTES_PATH,
    summary="Upload a session's minutes",
    response_model=MinutesRead,
    responses=problem_responses(413),
)
async def upload_minutes(
    meeting_id: Id,
    scope: PlanEditor,
    request: Request,
    quiet: Quiet,
    file: Annotated[UploadFile, File(description="PDF, DOCX, ODT, or text (TXT, Markdown).")],
) -> MinutesRead:
    """Replaces the minutes before; each attendee (recorded present) receives them in chat as a
    document, outside their quiet hours, and again when they are replaced. The same file again
    changes nothing. Refused: another kind of file, judged by its content (422), over 10 MB
    (413 or 422), a cancelled session or one not started (409)."""
    data = await file.read(minutes.MAX_BYTES + 1)
    uploaded = await scope.change(
        minutes.upload_minutes,
        meeting_id,
        data=data,
        filename=file.filename,
        folder=request.app.state.settings.evidence_dir,
        now=utcnow(),
        quiet=quiet,
    )
    return MinutesRead.uploaded(uploaded)


@downloads(router, MINUTES_PATH, "Download a session's minutes", "The minutes.")
async def download_minutes(meeting_id: Id, scope: Reader, request: Request) -> FileResponse:
    """The latest version, under the name it was uploaded with; 404 before any upload."""
    found = await scope.read(minutes.get_minutes, meeting_id)
    missing = NotFound(N_("Session {id} has no minutes yet."), id=meeting_id)
    return stored_file(
        request, found.stored_name, found.mime_type, missing, filename=found.file_name
    )
