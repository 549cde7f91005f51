"""Interviews: scheduled with a person, run in chat at their start, backed solutions linked, and
the interviewer's notes read back with the interviewee's answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from admin.auth import Id, PlanEditor, Reader
from admin.context import Catalog, Language, Quiet
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.routers.reports import downloads, stored_file
from admin.schemas.common import Page
from admin.schemas.interviews import (
    InterviewCreate,
    InterviewDetail,
    InterviewRead,
    NoteBody,
    NoteRead,
    SolutionsBody,
)
from core.errors import NotFound
from core.infra import listing
from core.meetings import interviews
from core.models import utcnow
from i18n import N_

router = APIRouter(prefix="/secretariats/{secretariat_id}/interviews", tags=["interviews"])
Sort = Annotated[str | None, sort_by("starts_at", "id", default="starts_at")]


@router.get("", summary="List the interviews", response_model=Page[InterviewRead])
async def list_interviews(
    scope: Reader,
    catalog: Catalog,
    language: Language,
    sort: Sort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[InterviewRead]:
    page = await scope.read(
        interviews.list_interviews,
        catalog,
        language=language,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return page.map(InterviewRead.of)


@creates(router, "", InterviewRead, "Schedule an interview")
async def create_interview(
    body: InterviewCreate, scope: PlanEditor, catalog: Catalog, language: Language, quiet: Quiet
) -> InterviewRead:
    """A session of kind interview for the interviewee and the interviewer (both invited in
    chat, with a calendar file and reminders); at its start the interviewee is asked the
    interview in chat and the interviewer gets a button to record notes. Refused, with nothing
    changed: a person of another secretariat (404), erased or not in the bot, the same person
    twice, a definition that is not an interview (422)."""
    view = await scope.change(
        interviews.schedule,
        catalog,
        body.scheduled(),
        language=language,
        now=utcnow(),
        quiet=quiet,
    )
    return InterviewRead.of(view)


@router.get("/{interview_id}", summary="Read an interview", response_model=InterviewDetail)
async def read_interview(
    interview_id: Id, scope: Reader, catalog: Catalog, language: Language
) -> InterviewDetail:
    """With the interviewee's long answers once finished, and the interviewer's notes."""
    record = await scope.read(interviews.read_interview, catalog, interview_id, language=language)
    return InterviewDetail.of_record(record)


@router.put(
    "/{interview_id}/solutions",
    summary="Link the solutions an interview backs",
    response_model=InterviewRead,
)
async def link_solutions(
    interview_id: Id, body: SolutionsBody, scope: PlanEditor, catalog: Catalog, language: Language
) -> InterviewRead:
    """Options of the ranking of a prioritisation campaign of the secretariat; the campaign's
    ranking then names this interview under each. Unknown options are refused (422)."""
    view = await scope.change(
        interviews.link_solutions,
        catalog,
        interview_id,
        campaign_id=body.campaign_id,
        choice_ids=body.choice_ids,
        language=language,
    )
    return InterviewRead.of(view)


@creates(router, "/{interview_id}/notes", NoteRead, "Add a note to an interview")
async def add_note(interview_id: Id, body: NoteBody, scope: PlanEditor) -> NoteRead:
    note = await scope.change(interviews.add_note, interview_id, text=body.text)
    return NoteRead.of(note, scope.secretariat_id)


@downloads(
    router,
    "/{interview_id}/notes/{note_id}/file",
    "Download a note's file (a voice note)",
    "The stored file.",
)
async def note_file(
    interview_id: Id, note_id: Id, scope: PlanEditor, request: Request
) -> FileResponse:
    """For administrators and coordinators only (viewers answer 403). Text notes have no file
    (404)."""
    note = await scope.read(interviews.get_note, interview_id, note_id)
    missing = NotFound(N_("Note {id} has no stored file."), id=note_id)
    return stored_file(request, note.stored_name, note.mime_type, missing)
