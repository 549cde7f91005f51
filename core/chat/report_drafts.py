"""Reports written in chat: the report conversation of a task, its evidence files, and
evidence sent on its own in reply to a reminder.

A report conversation is an ordinary response session of the ``task_report`` form, tied to its
task by a ``ReportDraft``. Files are checked and stored as they arrive (the draft keeps what was
stored under each Telegram file id); when the conversation completes, its answers become a
progress report through ``reports.submit_report``, which applies every rule again (``settle``,
in the transaction of the last answer).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.engine.inputs import ChoiceInput
from core.chat import responses
from core.chat.definitions import DefinitionCatalog
from core.chat.finished import Finished
from core.models import (
    EvidenceKind,
    HelpRequest,
    Person,
    ProgressReport,
    ReportDraft,
    ResponseSession,
    ResponseStatus,
    Task,
    TaskStatus,
)
from core.reporting import help_requests, reports
from core.reporting.evidence import EvidenceItem, StoredFile

REPORT = "task_report"
MEASUREMENT = "measurement_report"  # an indicator's value: see ``measurement_reports``
NOTES = "interview_notes"  # an interviewer's notes: see ``core.meetings.interviews``
EVIDENCE = "evidence"  # the question that collects evidence (or notes) until "done"
LINK = re.compile(r"^https?://\S+$", re.IGNORECASE)
FILE_KINDS = {
    "photo": EvidenceKind.PHOTO,
    "document": EvidenceKind.DOCUMENT,
    "voice": EvidenceKind.VOICE,
    "audio": EvidenceKind.VOICE,
    "video": EvidenceKind.VIDEO,
}


async def begin(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    person: Person,
    task_id: int,
    *,
    finished: bool = False,
) -> tuple[ResponseSession, Task]:
    """The person's report conversation on the task, started (or resumed) and made current.

    ``finished`` answers the status question with "done" (the "I finished" button). Refused
    when the task is not the person's, or is done or cancelled.
    """
    task, _plan = await reports.reportable_task(session, person, task_id)
    response = await open_draft(session, catalog, person, REPORT, {"task_id": task.id})
    if finished:
        step = await responses.current_step(session, catalog, response)
        if step.question_id == "status":
            await responses.feed(session, catalog, response, ChoiceInput(TaskStatus.DONE.value))
    return response, task


async def open_draft(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    person: Person,
    definition_id: str,
    subject: dict[str, Any],
    **fields: Any,
) -> ResponseSession:
    """The person's active report conversation of ``definition_id`` about ``subject`` (the
    draft columns naming what it reports on), resumed and made current; or a new one, with its
    draft holding ``subject`` and ``fields``."""
    response = await session.scalar(
        select(ResponseSession)
        .join(ReportDraft, ReportDraft.response_session_id == ResponseSession.id)
        .where(
            *(getattr(ReportDraft, column) == value for column, value in subject.items()),
            ResponseSession.person_id == person.id,
            ResponseSession.status == ResponseStatus.ACTIVE,
        )
    )
    if response is not None:
        responses.touch(response)
        return response
    response = await responses.start_for(session, catalog, person, definition_id)
    session.add(ReportDraft(response_session_id=response.id, files={}, **subject, **fields))
    await session.flush()
    return response


async def draft_of(session: AsyncSession, response: ResponseSession) -> ReportDraft | None:
    """The draft of a report conversation, of a task, of an indicator's value or of an
    interviewer's notes; None for any other conversation."""
    if response.definition_id not in (REPORT, MEASUREMENT, NOTES):
        return None
    return await session.get(ReportDraft, response.id)


def stored_fields(stored: StoredFile, caption: str | None = None) -> dict[str, Any]:
    return {
        "sha256": stored.sha256,
        "name": stored.name,
        "size": stored.size,
        "mime_type": stored.mime_type,
        "caption": caption,
    }


def keep_file(
    draft: ReportDraft, file_id: str, stored: StoredFile, caption: str | None = None
) -> None:
    """Remember what was stored for a file of the conversation, until the report is made."""
    draft.files = {**draft.files, file_id: stored_fields(stored, caption)}


def text_evidence(text: str) -> EvidenceItem:
    """A link, or a text kept as evidence; identified by the SHA-256 of its words."""
    cleaned = text.strip()
    digest = hashlib.sha256(cleaned.encode("utf-8")).hexdigest()
    if LINK.match(cleaned):
        return EvidenceItem(kind=EvidenceKind.LINK, sha256=digest, url=cleaned[:2048])
    return EvidenceItem(kind=EvidenceKind.TEXT, sha256=digest, caption=cleaned)


def file_evidence(kind: str, file_id: str, stored: dict[str, Any]) -> EvidenceItem:
    """A stored file (``stored_fields``) as evidence, with its Telegram file id to forward it."""
    return EvidenceItem(
        kind=FILE_KINDS[kind],
        sha256=stored["sha256"],
        telegram_file_id=file_id,
        stored_name=stored["name"],
        size=stored["size"],
        mime_type=stored["mime_type"],
        caption=stored.get("caption"),
    )


def evidence_of(parts: list[dict[str, Any]] | None, files: dict[str, Any]) -> list[EvidenceItem]:
    items = []
    for part in parts or ():
        if part["kind"] == "text":
            items.append(text_evidence(part["text"]))
        elif part["file_id"] in files:
            items.append(file_evidence(part["kind"], part["file_id"], files[part["file_id"]]))
    return items


@dataclass(frozen=True)
class Reported:
    """A completed report conversation: the progress report it made, on its task, and the
    open request that tells the coordination what blocks the task, when it is blocked."""

    report: ProgressReport
    task: Task
    blocked: HelpRequest | None = None


async def settle(session: AsyncSession, finished: Finished) -> Reported:
    """The completed conversation as a progress report; its draft is no longer needed."""
    person = finished.person
    assert person is not None, "only a registered person reports on a task"
    answers = finished.answers
    draft = await session.get(ReportDraft, finished.response.id)
    if draft is None or draft.task_id is None:
        raise LookupError(f"response session {finished.response.id} is not a report conversation")
    report = await reports.submit_report(
        session,
        person,
        draft.task_id,
        status=answers["status"],
        percent_done=answers.get("percent"),
        hours=Decimal(str(answers.get("hours") or 0)),
        note=answers.get("note"),
        blocked_reason=answers.get("blocked_reason"),
        evidence=evidence_of(answers.get("evidence"), draft.files),
    )
    task = await session.get_one(Task, draft.task_id)
    await session.delete(draft)
    blocked = await help_requests.open_blocked(session, task.id)
    return Reported(report, task, blocked if report.status == TaskStatus.BLOCKED else None)


async def attach(
    session: AsyncSession, person: Person, task_id: int, item: EvidenceItem
) -> ProgressReport:
    """Evidence sent in reply to a reminder: a report of that evidence alone.

    The task keeps its percent; a pending task is now in progress, a blocked one stays blocked
    for the same reason.
    """
    task, _plan = await reports.reportable_task(session, person, task_id)
    status = task.status if task.status == TaskStatus.BLOCKED else TaskStatus.IN_PROGRESS
    return await reports.submit_report(
        session,
        person,
        task.id,
        status=status,
        blocked_reason=await reports.last_blocked_reason(session, task.id),
        evidence=[item],
    )
