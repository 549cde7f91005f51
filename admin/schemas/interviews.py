"""Interviews: what a coordinator sets, and what the API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from admin.schemas.common import PRINTABLE, ReadModel, Ref, Title, examples, length
from admin.schemas.meetings import STARTS_AT, Line, MeetingRead
from admin.schemas.priorities import ChoiceId
from core.meetings.interviews import (
    DEFAULT_DEFINITION,
    NOTE_LIMIT,
    InterviewRecord,
    InterviewView,
    Scheduled,
)
from core.meetings.meetings import LONGEST
from core.models import CampaignState, EvidenceKind, InterviewNote, ParticipantState

Note = Annotated[str, length(NOTE_LIMIT), PRINTABLE]
EXAMPLE = {
    "interviewee_id": 12,
    "interviewer_id": 7,
    "starts_at": "2027-02-10T10:00:00",
    "time_zone": "America/Mexico_City",
    "duration_minutes": 60,
    "video_url": "https://meet.example.org/entrevista-proyecto",
}


class InterviewCreate(BaseModel):
    model_config = examples(EXAMPLE)

    interviewee_id: Ref = Field(description="A person of the secretariat, registered in the bot.")
    interviewer_id: Ref = Field(description="Another one, who records the notes in chat.")
    starts_at: datetime = Field(description=STARTS_AT)
    time_zone: str = Field(max_length=64, description="An IANA time zone.")
    duration_minutes: int = Field(strict=True, description=f"From 1 to {LONGEST}.")
    place: Line | None = None
    video_url: Line | None = Field(None, description="A place, a video-call link, or both.")
    title: Title | None = Field(None, description="Empty: the definition's title.")
    definition_id: str = Field(
        DEFAULT_DEFINITION,
        max_length=64,
        description="A definition of kind interview: built in, the secretariat's own or a "
        "national template.",
    )

    def scheduled(self) -> Scheduled:
        return Scheduled(**self.model_dump())


class SolutionsBody(BaseModel):
    """The options of a prioritisation's ranking the interview backs, in place of those it
    backed of that campaign (an empty list unlinks them)."""

    model_config = examples({"campaign_id": 3, "choice_ids": ["open_procurement"]})

    campaign_id: Ref
    choice_ids: list[ChoiceId] = Field(max_length=50)


class NoteBody(BaseModel):
    model_config = examples({"text": "Propone publicar las contrataciones cada semana."})

    text: Note


class SolutionRead(BaseModel):
    campaign_id: int
    choice_id: str
    label: str


class InterviewRead(ReadModel):
    id: int
    interviewee_id: int
    interviewer_id: int
    definition_id: str
    campaign_id: int | None = Field(description="The campaign that asks the interviewee in chat.")
    campaign_state: CampaignState | None = Field(description="Scheduled until the start.")
    interviewee_state: ParticipantState | None = Field(
        description="Invited, started or finished in chat; empty: not invited yet."
    )
    solutions: list[SolutionRead]
    meeting: MeetingRead
    created_at: datetime

    @classmethod
    def of(cls, view: InterviewView) -> InterviewRead:
        return cls.of_attributes(
            view.interview,
            campaign_state=view.campaign_state,
            interviewee_state=view.interviewee_state,
            solutions=[SolutionRead(**vars(item)) for item in view.solutions],
            meeting=MeetingRead.of(view.meeting),
        )


class NoteRead(ReadModel):
    id: int
    kind: EvidenceKind
    text: str | None
    file: str | None = Field(description="Where to download a voice note, relative to the API.")
    mime_type: str | None
    size: int | None
    sha256: str
    person_id: int | None = Field(description="Empty: written through the API.")
    created_at: datetime

    @classmethod
    def of(cls, note: InterviewNote, secretariat_id: int) -> NoteRead:
        file = (
            f"/secretariats/{secretariat_id}/interviews/{note.interview_id}/notes/{note.id}/file"
            if note.stored_name
            else None
        )
        return cls.of_attributes(note, file=file)


class InterviewDetail(InterviewRead):
    answers: list[dict[str, Any]] = Field(
        description="The interviewee's long answers (texts and voice notes), once finished."
    )
    notes: list[NoteRead]

    @classmethod
    def of_record(cls, record: InterviewRecord) -> InterviewDetail:
        secretariat_id = record.view.interview.secretariat_id
        return cls(
            **InterviewRead.of(record.view).model_dump(),
            answers=record.answers,
            notes=[NoteRead.of(note, secretariat_id) for note in record.notes],
        )
