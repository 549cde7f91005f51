"""What the product holds about a person, and erasing it at their request.

Erasure removes the person's personal data and every answer linked to them; answers to
anonymous surveys were unlinked when completed and stay, as do aggregate results. It empties
what they wrote (report notes, blocked reasons and help requests, evidence, validation comments,
questions and answers), the messages sent to them, their absences, the notes of the invitations
that named them, and stored evidence files nobody else's report holds; in other people's
messages their name, account, email and what they wrote become ``REDACTED``. The person row
remains, emptied, so that plans and the audit chain keep their references: reports keep their
figures, evidence its SHA-256, and the chain, never edited, holds no personal value.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.chat import expected_text, tallies
from core.chat.definitions import DefinitionCatalog
from core.infra.db import changed_rows
from core.models import (
    Absence,
    CampaignParticipant,
    Evidence,
    HelpRequest,
    InformationRequest,
    Interview,
    InterviewNote,
    Invitation,
    Measurement,
    MeetingInvitee,
    Minutes,
    Notification,
    NotificationState,
    Person,
    Practice,
    ProgressReport,
    ReportDraft,
    ResponseSession,
    ResponseStatus,
    Task,
    TaskStatus,
    ValidationAssignment,
    ValidationRequest,
    ValidationVote,
    ValidatorPause,
    VoteChoice,
    utcnow,
)
from core.reporting.evidence import path_of
from i18n import Titled

REDACTED = "[…]"  # what stands for an erased value in other people's texts


@dataclass(frozen=True)
class PersonalData:
    name: str | None
    telegram_username: str | None
    email: str | None
    roles: list[str]
    sector: str | None
    organisation: str | None
    language: str
    consent_version: str | None
    consented_at: datetime | None
    joined_at: datetime
    completed_answers: int
    unfinished_answers: int
    answered: list[Answered]
    reports: list[Reported]
    reports_total: int
    votes: list[Voted]
    votes_total: int


@dataclass(frozen=True)
class Answered:
    """The person's sessions of one definition (anonymous ones once completed are not theirs)."""

    definition_id: str
    definition_version: int
    owner_id: int | None
    completed: int
    under_way: int
    last: datetime


@dataclass(frozen=True)
class Reported:
    task: Titled
    status: TaskStatus
    percent: int
    at: datetime


@dataclass(frozen=True)
class Voted:
    task: Titled
    choice: VoteChoice
    at: datetime


# How many of the latest reports and votes /mis_datos lists (all of them are counted).
LATEST = 5


async def personal_data(session: AsyncSession, person: Person) -> PersonalData:
    answered = await _answered(session, person)
    reports = (
        await session.execute(
            select(Task.code, Task.title, ProgressReport.status, ProgressReport.percent)
            .add_columns(ProgressReport.created_at)
            .join(Task, Task.id == ProgressReport.task_id)
            .where(ProgressReport.person_id == person.id)
            .order_by(ProgressReport.id.desc())
            .limit(LATEST)
        )
    ).all()
    votes = (
        await session.execute(
            # A vote on a report names its task; on a good practice, the practice.
            select(
                Task.code,
                func.coalesce(Task.title, Practice.title),
                ValidationVote.choice,
                ValidationVote.cast_at,
            )
            .join(ValidationAssignment, ValidationAssignment.id == ValidationVote.assignment_id)
            .join(ValidationRequest, ValidationRequest.id == ValidationVote.request_id)
            .outerjoin(ProgressReport, ProgressReport.id == ValidationRequest.report_id)
            .outerjoin(Task, Task.id == ProgressReport.task_id)
            .outerjoin(Practice, Practice.id == ValidationRequest.practice_id)
            .where(ValidationAssignment.person_id == person.id)
            .order_by(ValidationVote.id.desc())
            .limit(LATEST)
        )
    ).all()
    return PersonalData(
        name=person.name,
        telegram_username=person.telegram_username,
        email=person.email,
        roles=sorted(str(role) for role in person.roles),
        sector=str(person.sector) if person.sector else None,
        organisation=person.organisation,
        language=person.language,
        consent_version=person.consent_version,
        consented_at=person.consented_at,
        joined_at=person.created_at,
        completed_answers=sum(item.completed for item in answered),
        unfinished_answers=sum(item.under_way for item in answered),
        answered=answered,
        reports=[
            Reported(Titled(title, code), status, percent, at)
            for code, title, status, percent, at in reports
        ],
        reports_total=await _count(
            session, select(ProgressReport.id).where(ProgressReport.person_id == person.id)
        ),
        votes=[Voted(Titled(title, code), choice, at) for code, title, choice, at in votes],
        votes_total=await _count(
            session,
            select(ValidationVote.id)
            .join(ValidationAssignment, ValidationAssignment.id == ValidationVote.assignment_id)
            .where(ValidationAssignment.person_id == person.id),
        ),
    )


async def _answered(session: AsyncSession, person: Person) -> list[Answered]:
    """Per definition, how many sessions the person finished and has under way, latest first."""
    completed = ResponseSession.status == ResponseStatus.COMPLETED
    rows = await session.execute(
        select(
            ResponseSession.definition_id,
            func.max(ResponseSession.definition_version),
            ResponseSession.definition_owner_id,
            func.count().filter(completed),
            func.count().filter(ResponseSession.status == ResponseStatus.ACTIVE),
            func.max(ResponseSession.updated_at),
        )
        .where(
            ResponseSession.person_id == person.id,
            ResponseSession.status.in_([ResponseStatus.COMPLETED, ResponseStatus.ACTIVE]),
        )
        .group_by(ResponseSession.definition_id, ResponseSession.definition_owner_id)
        .order_by(func.max(ResponseSession.updated_at).desc())
    )
    return [Answered(*row) for row in rows]


async def _count(session: AsyncSession, query: Select[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)


@dataclass(frozen=True)
class Erasure:
    """What an erasure left to do once committed: stored files only the person's reports held."""

    files: list[str]

    def delete_files(self, folder: Path) -> None:
        """Delete the files; after the commit, so a rolled-back erasure keeps its evidence."""
        for name in self.files:
            with contextlib.suppress(FileNotFoundError):
                path_of(folder, name).unlink()


async def erase_person(
    session: AsyncSession, catalog: DefinitionCatalog, person: Person, actor: Actor
) -> Erasure:
    """Erase the person's personal data, what they wrote and the answers linked to them (taken
    out of the results too), in the caller's transaction; the caller deletes ``Erasure.files``
    after committing."""
    written = await _scrub_writings(session, person)
    files = set(written.files)
    drafts = select(ReportDraft.files).join(ResponseSession).where(_sessions_of(person))
    files.update(_draft_files(await session.scalars(drafts)))
    counted = select(ResponseSession).where(_sessions_of(person), ResponseSession.tallied)
    await tallies.take_back(session, catalog, await session.scalars(counted))
    removed = await changed_rows(session, delete(ResponseSession).where(_sessions_of(person)))
    for model in (CampaignParticipant, MeetingInvitee, Absence, ValidatorPause):
        await session.execute(delete(model).where(model.person_id == person.id))
    await _scrub_messages(session, person, [*_identifiers(person), *written.texts])
    await session.execute(
        update(Invitation)
        .where(or_(Invitation.person_id == person.id, Invitation.used_by_id == person.id))
        .values(note=None)
    )
    person.name = None
    person.telegram_id = None
    person.telegram_username = None
    person.email = None
    person.organisation = None
    person.consent_version = None
    person.consented_at = None
    person.reachable = False
    expected_text.received(person)
    person.erased_at = utcnow()
    await session.flush()
    data = {"answers_removed": removed}
    await chain.about(session, person, "person.erase", actor, person.secretariat_id, data=data)
    return Erasure(sorted(files - await _files_in_use(session, files)))


def _sessions_of(person: Person) -> ColumnElement[bool]:
    # A joining conversation belongs to the Telegram account until the person exists.
    owned = ResponseSession.person_id == person.id
    if person.telegram_id is None:
        return owned
    return or_(owned, ResponseSession.telegram_id == person.telegram_id)


def _identifiers(person: Person) -> list[str]:
    values = [person.name, person.email, person.organisation]
    if person.telegram_username:
        values += [f"@{person.telegram_username}", person.telegram_username]
    if person.telegram_id is not None:
        values.append(str(person.telegram_id))
    return [value for value in values if value]


@dataclass(frozen=True)
class _Writings:
    texts: list[str]  # what the person wrote, to redact where others' messages quote it
    files: list[str]  # stored evidence files of their reports


async def _scrub_writings(session: AsyncSession, person: Person) -> _Writings:
    """Empty the reports, measurement notes, evidence, votes, questions and answers the person
    wrote."""
    texts: list[str | None] = []
    reports = select(ProgressReport.id).where(ProgressReport.person_id == person.id)
    for report in await session.scalars(
        select(ProgressReport).where(ProgressReport.person_id == person.id)
    ):
        texts += [report.note, report.blocked_reason]
        report.note = report.blocked_reason = None
    for request in await session.scalars(
        select(HelpRequest).where(HelpRequest.person_id == person.id)
    ):
        texts.append(request.message)
        request.message = None
    measured = select(Measurement.id).where(Measurement.reported_by_id == person.id)
    for measurement in await session.scalars(
        select(Measurement).where(Measurement.reported_by_id == person.id)
    ):
        texts.append(measurement.note)
        measurement.note = None
    files: list[str | None] = []
    for item in await session.scalars(
        select(Evidence).where(
            Evidence.report_id.in_(reports) | Evidence.measurement_id.in_(measured)
        )
    ):
        texts += [item.caption, item.url]
        files += [item.stored_name, item.public_name]
        item.caption = item.url = item.telegram_file_id = item.stored_name = None
        item.public_name, item.public = None, False
    # An interviewer's notes tell what the interviewee said: gone when either is erased.
    interviewed = select(Interview.id).where(Interview.interviewee_id == person.id)
    for note in await session.scalars(
        select(InterviewNote).where(
            (InterviewNote.person_id == person.id) | InterviewNote.interview_id.in_(interviewed)
        )
    ):
        texts.append(note.text)
        files.append(note.stored_name)
        note.text = note.telegram_file_id = note.stored_name = None
    assignments = select(ValidationAssignment.id).where(ValidationAssignment.person_id == person.id)
    for vote in await session.scalars(
        select(ValidationVote).where(ValidationVote.assignment_id.in_(assignments))
    ):
        texts.append(vote.comment)
        vote.comment = vote.voice_file_id = None
        vote.public_comment = False
    for info in await session.scalars(
        select(InformationRequest).where(InformationRequest.assignment_id.in_(assignments))
    ):
        texts.append(info.question)
        info.question = None
    answers = (
        select(InformationRequest)
        .join(ValidationRequest, ValidationRequest.id == InformationRequest.request_id)
        .where(ValidationRequest.report_id.in_(reports))
    )
    for info in await session.scalars(answers):
        texts.append(info.answer)
        info.answer = None
    await session.flush()
    return _Writings(
        [text.strip() for text in texts if text and text.strip()],
        [name for name in files if name],
    )


async def _scrub_messages(session: AsyncSession, person: Person, values: list[str]) -> None:
    """Empty the messages to the person (those not sent yet are dropped), and redact ``values``
    in the others of the secretariat."""
    await session.execute(
        update(Notification)
        .where(Notification.person_id == person.id, Notification.state == NotificationState.PENDING)
        .values(state=NotificationState.CANCELLED)
    )
    await session.execute(
        update(Notification)
        .where(Notification.person_id == person.id)
        .values(text="", markup=None, attachment=None, last_error=None)
    )
    if not values:
        return
    # Longest first, so a name is replaced whole before a shorter value inside it.
    values = sorted(set(values), key=len, reverse=True)
    quoting = await session.scalars(
        select(Notification).where(
            Notification.secretariat_id == person.secretariat_id,
            or_(*(Notification.text.contains(value, autoescape=True) for value in values)),
        )
    )
    for notification in quoting:
        notification.text = _redact(notification.text, values)
    await session.flush()


def _redact(text: str, values: list[str]) -> str:
    for value in values:
        text = text.replace(value, REDACTED)
    return text


def _draft_files(drafts: Iterable[dict[str, Any]]) -> set[str]:
    return {stored["name"] for files in drafts for stored in files.values() if stored.get("name")}


async def _files_in_use(session: AsyncSession, names: set[str]) -> set[str]:
    """Which of the stored files another report, interview note, session's minutes or draft
    still holds (one copy per content)."""
    if not names:
        return set()
    held = {
        name
        for row in await session.execute(
            select(Evidence.stored_name, Evidence.public_name).where(
                or_(Evidence.stored_name.in_(names), Evidence.public_name.in_(names))
            )
        )
        for name in row
        if name in names
    }
    for column in (InterviewNote.stored_name, Minutes.stored_name):
        held.update(await session.scalars(select(column).where(column.in_(names))))
    return held | (_draft_files(await session.scalars(select(ReportDraft.files))) & names)
