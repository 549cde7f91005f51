"""Attendance at sessions: the host's check-in code with its link and QR, who attended each
session and how, the host marking presence, and each person's attendance across sessions."""

from __future__ import annotations

import io

import segno
from fastapi import APIRouter, Request

from admin.auth import Id, PlanEditor, Reader
from admin.schemas.meetings import AttendanceBody, AttendeeRead, CheckInCodeRead, StandingRead
from core.meetings import attendance
from core.models import utcnow

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["meetings"])
MEETING = "/meetings/{meeting_id}"


@router.post(
    f"{MEETING}/check-in-code", summary="Issue a check-in code", response_model=CheckInCodeRead
)
async def issue_code(meeting_id: Id, scope: PlanEditor, request: Request) -> CheckInCodeRead:
    """A new code, shown once, with the bot's link that checks in and its QR code: the host
    shows them during the session. It works from 30 minutes before the start to the end; a new
    one replaces it. Refused for a cancelled or ended session (409)."""
    issued = await scope.change(attendance.issue_code, meeting_id, now=utcnow())
    meeting = issued.meeting
    link = request.app.state.join_links.link(attendance.link_payload(issued.code))
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="svg", scale=4, xmldecl=False)
    return CheckInCodeRead(
        meeting_id=meeting.id,
        code=issued.code,
        deep_link=link,
        qr_svg=image.getvalue().decode(),
        opens_at=meeting.local(attendance.opens_at(meeting)),
        closes_at=meeting.local(meeting.ends_at),
    )


@router.get(
    f"{MEETING}/attendance",
    summary="Who attended a session",
    response_model=list[AttendeeRead],
)
async def read_attendance(meeting_id: Id, scope: Reader) -> list[AttendeeRead]:
    """Every invitee, with their answer and whether and how they checked in."""
    rows = await scope.read(attendance.attendance_list, meeting_id)
    return [AttendeeRead.of(invitee, person) for invitee, person in rows]


@router.put(
    f"{MEETING}/attendance/{{person_id}}",
    summary="Mark an invitee present or absent",
    response_model=AttendeeRead,
)
async def mark_attendance(
    meeting_id: Id, person_id: Id, body: AttendanceBody, scope: PlanEditor
) -> AttendeeRead:
    """The host's record, from 30 minutes before the start on; a person not invited is 404, a
    cancelled session or one not started 409."""
    invitee, person = await scope.change(
        attendance.mark, meeting_id, person_id, present=body.present, now=utcnow()
    )
    return AttendeeRead.of(invitee, person)


@router.get("/attendance", summary="Attendance of each person", response_model=list[StandingRead])
async def read_standings(scope: Reader, behind: bool = False) -> list[StandingRead]:
    """Each of the secretariat's people across the sessions they were invited to that have
    ended: who is falling behind (missed the last two, or attended under three in four) first.
    With `behind`, only them."""
    found = await scope.read(attendance.standings, now=utcnow())
    return [StandingRead.of(item) for item in found if item.behind or not behind]
