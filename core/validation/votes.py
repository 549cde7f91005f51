"""A validator's answers to an assignment: confirm, dispute, ask, comment, decline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import ledger
from core.audit.actor import Actor
from core.buttons import VoteButton
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import (
    AssignmentState,
    InformationRequest,
    Person,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    ValidationVote,
    VoteChoice,
    utcnow,
)
from core.validation import messages
from core.validation.information import ask_reporter, tell_reporter_question
from core.validation.outcome import settle
from core.validation.requests import load_request, record_step, replace_assignment, text_digest
from core.validation.subjects import reporter_id, subject_ids, subject_of
from i18n import N_


async def owned_assignment(
    session: AsyncSession, person: Person, assignment_id: int
) -> ValidationAssignment:
    """The assignment if ``person`` was asked by it; the precise refusal otherwise.

    The bot calls this before acting on a button, so a forged or stale one changes nothing.
    """
    _request, assignment = await _owned(session, person, assignment_id)
    return assignment


async def _owned(
    session: AsyncSession, person: Person, assignment_id: int
) -> tuple[ValidationRequest, ValidationAssignment]:
    request_id = await session.scalar(
        select(ValidationAssignment.request_id).where(ValidationAssignment.id == assignment_id)
    )
    request = None if request_id is None else await load_request(session, request_id, lock=True)
    if request is None:
        raise NotFound(N_("This validation request does not exist."))
    assignment = next(a for a in request.assignments if a.id == assignment_id)
    if request.secretariat_id != person.secretariat_id:
        raise PermissionDenied(N_("This report belongs to another secretariat."))
    if await reporter_id(session, request) == person.id:
        raise PermissionDenied(N_("You cannot validate your own report."))
    if assignment.person_id != person.id:
        raise PermissionDenied(N_("You were not asked to validate this report."))
    return request, assignment


async def _answerable(
    session: AsyncSession, person: Person, assignment_id: int
) -> tuple[ValidationRequest, ValidationAssignment]:
    request, assignment = await _owned(session, person, assignment_id)
    if request.state != ValidationState.OPEN:
        raise Conflict(N_("This validation request is already closed."))
    if assignment.state != AssignmentState.ACTIVE:
        raise Conflict(N_("You are no longer asked to validate this report."))
    return request, assignment


async def cast_vote(
    session: AsyncSession,
    person: Person,
    assignment_id: int,
    choice: VoteChoice | str,
    *,
    comment: str | None = None,
    voice_file_id: str | None = None,
    now: datetime | None = None,
) -> ValidationVote:
    """Vote, or change one's vote while the request is open."""
    now = now or utcnow()
    try:
        choice = VoteChoice(choice)
    except ValueError:
        raise InvalidInput(N_("Unknown answer {choice}."), choice=choice) from None
    request, assignment = await _answerable(session, person, assignment_id)
    comment = (comment or "").strip() or None
    vote = assignment.vote
    previous = vote.choice if vote else None
    if vote is None:
        vote = ValidationVote(
            assignment_id=assignment.id,
            request_id=request.id,
            choice=choice,
            comment=comment,
            voice_file_id=voice_file_id,
            cast_at=now,
        )
        session.add(vote)
        assignment.vote = vote
    elif previous == choice and comment is None and voice_file_id is None:
        raise Conflict(N_("You already gave that answer."))
    else:
        vote.choice = choice
        vote.changes += 1
        vote.changed_at = now
        if comment is not None or voice_file_id is not None:
            vote.comment, vote.voice_file_id = comment, voice_file_id
            vote.public_comment = False  # consent was given to the words it replaces
    await session.flush()
    await _record(
        session,
        person,
        request,
        assignment,
        vote,
        "validation.vote" if previous is None else "validation.vote_change",
        **subject_ids(request),
        choice=choice,
        previous=previous,
    )
    if choice == VoteChoice.NEEDS_INFO and previous != VoteChoice.NEEDS_INFO:
        await ask_reporter(session, request, assignment, vote.comment, now)
    await settle(session, request, now, voter=assignment)
    return vote


async def _record(
    session: AsyncSession,
    person: Person,
    request: ValidationRequest,
    assignment: ValidationAssignment,
    vote: ValidationVote,
    action: str,
    **details: Any,
) -> None:
    """Record a step on the validator's vote, naming them by their alias only, with what the
    comment holds told by its digest and whether a voice note came."""
    alias = await ledger.pseudonym(session, person.id)
    data = {"request": request.id, "validator": alias, "sector": assignment.sector, **details}
    data |= {
        "comment_sha256": text_digest(vote.comment),
        "voice_note": vote.voice_file_id is not None,
    }
    await record_step(session, request, Actor.validator(alias), action, vote, data)


async def comment_vote(
    session: AsyncSession,
    person: Person,
    assignment_id: int,
    *,
    text: str | None = None,
    voice_file_id: str | None = None,
    now: datetime | None = None,
) -> ValidationVote:
    """Add the optional comment (text or voice note) to one's vote."""
    now = now or utcnow()
    request, assignment = await _answerable(session, person, assignment_id)
    vote = assignment.vote
    if vote is None:
        raise Conflict(N_("Choose an answer first, then add your comment."))
    text = (text or "").strip() or None
    if text is None and not voice_file_id:
        raise InvalidInput(N_("The comment is empty."), field="comment")
    vote.comment, vote.voice_file_id = text, voice_file_id
    vote.public_comment = False  # consent was given to the words it replaces, if any
    vote.changed_at = now
    await session.flush()
    await _record(session, person, request, assignment, vote, "validation.comment")
    if vote.choice == VoteChoice.NEEDS_INFO:
        question = await session.scalar(
            select(InformationRequest)
            .where(
                InformationRequest.assignment_id == assignment.id,
                InformationRequest.answered_at.is_(None),
            )
            .order_by(InformationRequest.id.desc())
        )
        if question is not None and text:
            question.question = text
            await tell_reporter_question(session, request, question, now)
    return vote


async def consent_to_publish(
    session: AsyncSession, person: Person, assignment_id: int, *, publish: bool
) -> ValidationVote:
    """Whether the validator lets their written comment appear, without their name, on the
    public page of what they validated (the advance, the practice); asked once they wrote it,
    and no until they say yes."""
    request, assignment = await _owned(session, person, assignment_id)
    vote = assignment.vote
    if vote is None or not vote.comment:
        raise Conflict(N_("There is no written comment to publish."))
    if vote.public_comment != publish:
        vote.public_comment = publish
        await session.flush()
        action = "validation.comment_public" if publish else "validation.comment_private"
        await _record(session, person, request, assignment, vote, action)
    return vote


async def decline(
    session: AsyncSession, person: Person, assignment_id: int, *, now: datetime | None = None
) -> ValidationAssignment | None:
    """The validator cannot review this report: someone else is asked instead."""
    now = now or utcnow()
    request, assignment = await _answerable(session, person, assignment_id)
    if assignment.vote is not None:
        raise Conflict(N_("You already answered; you can change your answer instead."))
    replacement = await replace_assignment(
        session, request, assignment, AssignmentState.DECLINED, now
    )
    await settle(session, request, now)
    return replacement


@dataclass(frozen=True)
class Forward:
    """A piece of evidence for the bot to send: the stored file (the cleaned copy, never what
    was sent to us), or a link or text."""

    kind: str
    stored_name: str | None
    caption: str | None
    url: str | None


async def evidence_to_forward(
    session: AsyncSession, person: Person, assignment_id: int
) -> list[Forward]:
    request, _assignment = await _owned(session, person, assignment_id)
    subject = await subject_of(session, request)
    return [
        Forward(item.kind, subject.file_of(item), item.caption, item.url)
        for item in subject.evidence
    ]


@dataclass(frozen=True)
class Pressed:
    """What a button press did: a vote (and, when that vote closed the request, what the voter
    is told of the outcome), a decline, or evidence to send."""

    action: str
    vote: ValidationVote | None = None
    evidence: tuple[Forward, ...] = ()
    closed: str | None = None


async def press(
    session: AsyncSession, person: Person, button: VoteButton, *, now: datetime | None = None
) -> Pressed:
    """Act on a vote button after checking that ``person`` may press it."""
    assignment_id, action = button.assignment_id, button.action
    if action == messages.EVIDENCE:
        items = await evidence_to_forward(session, person, assignment_id)
        return Pressed(action, evidence=tuple(items))
    if action == messages.DECLINE:
        await decline(session, person, assignment_id, now=now)
        return Pressed(action)
    vote = await cast_vote(session, person, assignment_id, action, now=now)
    request = await session.get_one(ValidationRequest, vote.request_id)
    if request.state == ValidationState.OPEN:
        return Pressed(action, vote=vote)
    context = await subject_of(session, request)
    return Pressed(
        action, vote=vote, closed=messages.closed_by_vote_text(person, context, request.state)
    )
