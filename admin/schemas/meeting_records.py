"""What a session leaves on record: its agreements, as a coordinator records them and as the API
answers them with the tasks that follow them up, and its minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from admin.schemas.common import PRINTABLE, Day, ReadModel, Ref, examples, length
from core.infra.values import TEXT_LIMIT
from core.meetings.agreements import AgreementView
from core.meetings.minutes import Uploaded
from core.models import Minutes, TaskStatus

Agreed = Annotated[str, length(TEXT_LIMIT, min_length=0), PRINTABLE]


class AgreementCreate(BaseModel):
    """What was agreed, who answers for it and by when; followed up as a new task of
    `activity_id` or as an update of `task_id` (exactly one)."""

    model_config = examples(
        {
            "text": "Publicar el directorio de OSC participantes",
            "responsible_id": 12,
            "due_date": "2027-03-15",
            "activity_id": 4,
        }
    )

    text: Agreed = Field(description="Becomes the new task's title.")
    responsible_id: Ref
    due_date: Day = Field(description="Not before the session's day.")
    activity_id: Ref | None = Field(None, description="A new task at the end of this activity.")
    task_id: Ref | None = Field(
        None, description="This task: the responsible joins it, its due date becomes this one."
    )


class AgreementTask(ReadModel):
    """Where the agreement stands, as its task does."""

    id: int
    code: str
    title: str
    status: TaskStatus
    percent: int


class AgreementRead(ReadModel):
    id: int
    meeting_id: int
    text: str
    responsible_id: int | None = Field(description="Empty: the person was deleted.")
    due_date: date
    became_task: bool = Field(description="True: a new task; false: a task updated.")
    recorded_at: datetime
    task: AgreementTask | None = Field(description="Empty: the task was deleted.")

    @classmethod
    def of(cls, view: AgreementView) -> AgreementRead:
        return cls.of_attributes(view.agreement, task=view.task)


class MinutesRead(ReadModel):
    meeting_id: int
    file_name: str
    mime_type: str
    size: int = Field(description="Bytes.")
    sha256: str
    edition: int = Field(description="1 for the first upload, one more for each replacement.")
    uploaded_at: datetime
    sent_to: int = Field(description="Attendees it was sent to by this upload.")

    @classmethod
    def of(cls, minutes: Minutes, sent_to: int = 0) -> MinutesRead:
        return cls.of_attributes(minutes, sent_to=sent_to)

    @classmethod
    def uploaded(cls, result: Uploaded) -> MinutesRead:
        return cls.of(result.minutes, result.sent_to)
