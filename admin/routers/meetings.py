"""Meetings (sessions of the methodology): scheduled for an audience, changed and cancelled,
each step told to the invitees in chat with a calendar file; their answers read back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from admin.auth import Id, PlanEditor, Reader
from admin.context import Catalog, Quiet
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import Page, VersionBody
from admin.schemas.meetings import MeetingCreate, MeetingRead, MeetingUpdate
from core.infra import listing
from core.meetings import meetings
from core.models import utcnow

router = APIRouter(prefix="/secretariats/{secretariat_id}/meetings", tags=["meetings"])
Sort = Annotated[str | None, sort_by("starts_at", "title", "id", default="starts_at")]


@router.get("", summary="List the sessions", response_model=Page[MeetingRead])
async def list_meetings(
    scope: Reader, sort: Sort = None, limit: Limit = 50, offset: Offset = 0
) -> listing.Page[MeetingRead]:
    page = await scope.read(meetings.list_meetings, sort=sort, limit=limit, offset=offset)
    return page.map(MeetingRead.of)


@creates(router, "", MeetingRead, "Schedule a session")
async def create_meeting(
    body: MeetingCreate, scope: PlanEditor, quiet: Quiet, catalog: Catalog
) -> MeetingRead:
    """Everyone the audience reaches is invited in chat, outside their quiet hours, with the
    answer buttons and a calendar file. Refused: a start in the past, an unknown time zone, no
    place nor link, a survey the secretariat cannot send, a person the audience does not reach
    (404)."""
    view = await scope.change(
        meetings.create_meeting,
        body.details(),
        catalog=catalog,
        national=scope.principal.is_national,
        now=utcnow(),
        quiet=quiet,
    )
    return MeetingRead.of(view)


@router.get("/{meeting_id}", summary="Read a session", response_model=MeetingRead)
async def read_meeting(meeting_id: Id, scope: Reader) -> MeetingRead:
    return MeetingRead.of(await scope.read(meetings.read_meeting, meeting_id))


@router.patch("/{meeting_id}", summary="Change a session", response_model=MeetingRead)
async def update_meeting(
    meeting_id: Id, body: MeetingUpdate, scope: PlanEditor, quiet: Quiet, catalog: Catalog
) -> MeetingRead:
    """A change of date, time, duration or place is announced to every invitee with the
    updated calendar file (its SEQUENCE one more); people the audience now reaches are
    invited. A session that started or was cancelled no longer changes (409)."""
    view = await scope.change(
        meetings.update_meeting,
        meeting_id,
        version=body.version,
        catalog=catalog,
        national=scope.principal.is_national,
        now=utcnow(),
        quiet=quiet,
        **body.changes(),
    )
    return MeetingRead.of(view)


@router.post("/{meeting_id}/cancel", summary="Cancel a session", response_model=MeetingRead)
async def cancel_meeting(
    meeting_id: Id, body: VersionBody, scope: PlanEditor, quiet: Quiet
) -> MeetingRead:
    """Every invitee is told, with a calendar file that takes it off their calendar; later
    answers are refused."""
    view = await scope.change(
        meetings.cancel_meeting, meeting_id, version=body.version, now=utcnow(), quiet=quiet
    )
    return MeetingRead.of(view)
