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

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.infra.db import changed_rows
from core.models import (
    Absence,
    CampaignParticipant,
    Evidence,
    HelpRequest,
    InformationRequest,
    Invitation,
    Notification,
    NotificationState,
    Person,
    ProgressReport,
    ReportDraft,
    ResponseSession,
    ResponseStatus,
    ValidationAssignment,
    ValidationRequest,
    ValidationVote,
    ValidatorPause,
    utcnow,
)
from core.reporting.evidence import path_of

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
    time_zone: str
    consent_version: str | None
    consented_at: datetime | None
    joined_at: datetime
    completed_answers: int
    unfinished_answers: int


async def personal_data(session: AsyncSession, person: Person) -> PersonalData:
    counts = dict(
        (
            await session.execute(
                select(ResponseSession.status, func.count())
                .where(ResponseSession.person_id == person.id)
                .group_by(ResponseSession.status)
            )
        ).all()
    )
    return PersonalData(
        name=person.name,
        telegram_username=person.telegram_username,
        email=person.email,
        roles=sorted(str(role) for role in person.roles),
        sector=str(person.sector) if person.sector else None,
        organisation=person.organisation,
        language=person.language,
        time_zone=person.time_zone,
        consent_version=person.consent_version,
        consented_at=person.consented_at,
        joined_at=person.created_at,
        completed_answers=counts.get(ResponseStatus.COMPLETED, 0),
        unfinished_answers=counts.get(ResponseStatus.ACTIVE, 0),
    )


@dataclass(frozen=True)
class Erasure:
    """What an erasure left to do once committed: stored files only the person's reports held."""

    files: list[str]

    def delete_files(self, folder: Path) -> None:
        """Delete the files; after the commit, so a rolled-back erasure keeps its evidence."""
        for name in self.files:
            with contextlib.suppress(FileNotFoundError):
                path_of(folder, name).unlink()


async def erase_person(session: AsyncSession, person: Person, actor: Actor) -> Erasure:
    """Erase the person's personal data, what they wrote and the answers linked to them, in the
    caller's transaction; the caller deletes ``Erasure.files`` after committing."""
    written = await _scrub_writings(session, person)
    files = set(written.files)
    drafts = select(ReportDraft.files).join(ResponseSession).where(_sessions_of(person))
    files.update(_draft_files(await session.scalars(drafts)))
    removed = await changed_rows(session, delete(ResponseSession).where(_sessions_of(person)))
    for model in (CampaignParticipant, Absence, ValidatorPause):
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
    """Empty the reports, evidence, votes, questions and answers the person wrote."""
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
    files = []
    for item in await session.scalars(select(Evidence).where(Evidence.report_id.in_(reports))):
        texts += [item.caption, item.url]
        files.append(item.stored_name)
        item.caption = item.url = item.telegram_file_id = item.stored_name = None
    assignments = select(ValidationAssignment.id).where(ValidationAssignment.person_id == person.id)
    for vote in await session.scalars(
        select(ValidationVote).where(ValidationVote.assignment_id.in_(assignments))
    ):
        texts.append(vote.comment)
        vote.comment = vote.voice_file_id = None
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
        .values(text="", markup=None, last_error=None)
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
    """Which of the stored files another report or draft still holds (one copy per content)."""
    if not names:
        return set()
    held = {
        name
        for name in await session.scalars(
            select(Evidence.stored_name).where(Evidence.stored_name.in_(names))
        )
        if name
    }
    return held | (_draft_files(await session.scalars(select(ReportDraft.files))) & names)
