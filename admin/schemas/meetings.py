"""Meetings (sessions of the methodology): what a coordinator sets, and what the API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from admin.schemas.campaigns import AudienceBody
from admin.schemas.common import PRINTABLE, ReadModel, Title, Version, examples, length
from core.meetings.attendance import Standing
from core.meetings.meetings import AGENDA_LIMIT, LINK_LIMIT, LONGEST, Details, MeetingView
from core.models import CheckIn, MeetingInvitee, MeetingKind, Person, Rsvp

Line = Annotated[str, length(LINK_LIMIT), PRINTABLE]
Agenda = Annotated[str, length(AGENDA_LIMIT, min_length=0), PRINTABLE]
STARTS_AT = (
    "The date and time on the clock of `time_zone` (an offset, if given, is honoured). "
    "Not in the past."
)
SURVEY = (
    "The survey sent to those who attended once it ends, by its id (a built-in one, the "
    "secretariat's own or a national template); null: none."
)
EXAMPLE = {
    "kind": "workshop",
    "title": "Primer taller de enfoque",
    "step": "priorizacion",
    "starts_at": "2027-02-10T10:00:00",
    "time_zone": "America/Mexico_City",
    "duration_minutes": 180,
    "place": "Sala de juntas de la Secretaría Ejecutiva",
    "video_url": "https://meet.example.org/taller-enfoque",
    "audience": {"roles": ["civil_society", "staff"]},
    "agenda": "1. Bienvenida\n2. Problemas priorizados\n3. Acuerdos",
    "capacity": 30,
}


class MeetingCreate(BaseModel):
    model_config = examples(EXAMPLE)

    kind: MeetingKind
    title: Title
    step: str | None = Field(
        None, max_length=20, description="The methodology step it serves, by its id."
    )
    starts_at: datetime = Field(description=STARTS_AT)
    time_zone: str = Field(max_length=64, description="An IANA time zone.")
    duration_minutes: int = Field(strict=True, description=f"From 1 to {LONGEST}.")
    place: Line | None = None
    video_url: Line | None = Field(None, description="A place, a video-call link, or both.")
    audience: AudienceBody = Field(
        default_factory=AudienceBody,
        description="Who is invited; empty lists: everyone in the secretariat registered in the "
        "bot. Only the national team reaches other secretariats.",
    )
    agenda: Agenda | None = None
    capacity: int | None = Field(
        None, strict=True, description="At least 1; empty: no limit. Once full, *Asistiré* is "
        "refused and *Tal vez* offered.",
    )  # fmt: skip
    feedback_definition_id: str | None = Field(
        None, max_length=64, description=f"{SURVEY} Not given: `workshop_feedback` for a "
        "workshop or a working session, none for other kinds.",
    )  # fmt: skip

    def details(self) -> Details:
        # A survey not given is left to the kind's.
        unset = {"feedback_definition_id"} - self.model_fields_set
        given = self.model_dump(exclude={"audience", *unset})
        return Details(**given, audience=self.audience.rule())


class MeetingUpdate(BaseModel):
    """Only what changes, with the `version` you read."""

    model_config = examples({"version": 1, "starts_at": "2027-02-11T10:00:00"})

    version: Version
    kind: MeetingKind | None = None
    title: Title | None = None
    step: str | None = Field(None, max_length=20)
    starts_at: datetime | None = Field(None, description=STARTS_AT)
    time_zone: str | None = Field(
        None, max_length=64, description="Alone, it keeps the time on the clock."
    )
    duration_minutes: int | None = Field(None, strict=True)
    place: Line | None = None
    video_url: Line | None = None
    audience: AudienceBody | None = Field(
        None, description="Whoever it reaches and was not invited is invited; nobody is uninvited."
    )
    agenda: Agenda | None = None
    capacity: int | None = Field(None, strict=True)
    feedback_definition_id: str | None = Field(None, max_length=64, description=SURVEY)

    def changes(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True, exclude={"version", "audience"})
        for required in ("kind", "title", "starts_at", "time_zone", "duration_minutes"):
            if given.get(required, "") is None:
                del given[required]  # null for what a meeting must have: left as it is
        if self.audience is not None:
            given["audience"] = self.audience.rule()
        return given


class InviteeRead(ReadModel):
    person_id: int
    answer: Rsvp | None = Field(description="Empty: not answered yet.")
    answered_at: datetime | None
    attended_at: datetime | None = Field(description="Empty: not recorded present.")


class Answers(BaseModel):
    yes: int
    no: int
    maybe: int
    unanswered: int


class MeetingRead(ReadModel):
    id: int
    secretariat_id: int
    kind: MeetingKind
    title: str
    step: str | None
    starts_at: datetime = Field(description="On the clock of its time zone.")
    ends_at: datetime
    time_zone: str
    duration_minutes: int
    place: str | None
    video_url: str | None
    audience: dict[str, Any]
    agenda: str | None
    capacity: int | None
    sequence: int = Field(description="Announced changes so far (the calendar file's SEQUENCE).")
    cancelled_at: datetime | None
    answers: Answers
    invitees: list[InviteeRead]
    feedback_definition_id: str | None = Field(description="The survey that follows it.")
    feedback_campaign_id: int | None = Field(
        description="The campaign of that survey, once sent to those who attended."
    )
    created_at: datetime
    version: int

    @classmethod
    def of(cls, view: MeetingView) -> MeetingRead:
        meeting, invitees = view.meeting, view.invitees
        given = [invitee.answer for invitee in invitees]
        return cls.of_attributes(
            meeting,
            starts_at=meeting.local(meeting.starts_at),
            ends_at=meeting.local(meeting.ends_at),
            feedback_campaign_id=view.feedback_campaign_id,
            answers=Answers(
                yes=given.count(Rsvp.YES),
                no=given.count(Rsvp.NO),
                maybe=given.count(Rsvp.MAYBE),
                unanswered=given.count(None),
            ),
            invitees=invitees,
        )


class CheckInCodeRead(BaseModel):
    meeting_id: int
    code: str = Field(description="Shown once: the host shows it during the session.")
    deep_link: str = Field(description="Opens the chat with the bot and checks in.")
    qr_svg: str = Field(description="The deep link as a QR code, an SVG image.")
    opens_at: datetime = Field(description="Check-in opens, on the clock of its time zone.")
    closes_at: datetime = Field(description="The session's end, when the code expires.")


class AttendanceBody(BaseModel):
    model_config = examples({"present": True})

    present: bool


class AttendeeRead(ReadModel):
    person_id: int
    name: str
    answer: Rsvp | None
    present: bool
    checked_in: CheckIn | None = Field(description="How: the code, the link, or by the host.")
    attended_at: datetime | None

    @classmethod
    def of(cls, invitee: MeetingInvitee, person: Person) -> AttendeeRead:
        return cls.of_attributes(
            invitee,
            person_id=person.id,
            name=person.display_name,
            present=invitee.attended_at is not None,
        )


class StandingRead(ReadModel):
    person_id: int
    name: str
    invited: int = Field(description="Sessions they were invited to that have ended.")
    attended: int
    missed: int
    missed_in_a_row: int = Field(description="The latest sessions missed, back from the last.")
    behind: bool = Field(description="Missed the last two, or attended under three in four.")

    @classmethod
    def of(cls, standing: Standing) -> StandingRead:
        return cls.of_attributes(
            standing, person_id=standing.person.id, name=standing.person.display_name
        )
