"""How a request closes: the tally against the policy's quorum, and who is told."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.models import (
    AssignmentState,
    Measurement,
    Person,
    Practice,
    PracticeState,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    VoteChoice,
    utcnow,
)
from core.notify import outbox
from core.people import people
from core.practices import states
from core.validation import messages
from core.validation.requests import record_step
from core.validation.subjects import PracticeContext, subject_ids, subject_of
from i18n import N_

# --- outcome ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    confirmations: int
    disputes: int
    needs_info: int
    waiting: int  # asked, no answer yet
    sectors: int  # distinct sectors among the confirmations

    @property
    def complete(self) -> bool:
        decided = self.confirmations + self.disputes
        return self.needs_info == 0 and self.waiting == 0 and decided > 0


def tally(request: ValidationRequest) -> Tally:
    active = [a for a in request.assignments if a.state == AssignmentState.ACTIVE]
    choices = Counter(a.vote.choice for a in active if a.vote is not None)
    return Tally(
        confirmations=choices[VoteChoice.CONFIRM],
        disputes=choices[VoteChoice.DISPUTE],
        needs_info=choices[VoteChoice.NEEDS_INFO],
        waiting=sum(1 for a in active if a.vote is None),
        sectors=len({a.sector for a in active if a.vote and a.vote.choice == VoteChoice.CONFIRM}),
    )


def decide(request: ValidationRequest, counts: Tally, at_deadline: bool) -> ValidationState:
    """The outcome by the request's quorum; OPEN while it may still change."""
    quorum = (
        counts.confirmations >= request.min_confirmations
        and counts.sectors >= request.min_sectors
        and (not request.disputes_at_most_confirmations or counts.disputes <= counts.confirmations)
    )
    if not (counts.complete or at_deadline):
        return ValidationState.OPEN
    if quorum:
        return ValidationState.VALIDATED
    if counts.disputes > counts.confirmations:
        return ValidationState.DISPUTED
    return ValidationState.INCONCLUSIVE if counts.complete else ValidationState.EXPIRED


async def settle(
    session: AsyncSession,
    request: ValidationRequest,
    now: datetime,
    at_deadline: bool = False,
    voter: ValidationAssignment | None = None,
) -> ValidationState:
    """Close the request if its outcome is decided, and tell the reporter, the coordinators
    and its validators (all but the ``voter`` whose vote closed it, who is answered at once)."""
    if request.state != ValidationState.OPEN:
        return request.state
    counts = tally(request)
    outcome = decide(request, counts, at_deadline)
    if outcome == ValidationState.OPEN:
        return outcome
    await _close(session, request, outcome, now, **vars(counts))
    context = await subject_of(session, request)
    if isinstance(context, PracticeContext):
        await _decide_practice(session, context.practice, outcome)
    validators = [
        assignment.person_id
        for assignment in request.assignments
        if assignment.state == AssignmentState.ACTIVE and assignment is not voter
    ]
    told = await people.coordinators(session, request.secretariat_id)
    if context.reporter is not None:
        told.append(context.reporter)
    if validators:
        told += await session.scalars(
            select(Person).where(Person.id.in_(validators)).order_by(Person.id)
        )
    for person in {person.id: person for person in told}.values():
        await outbox.enqueue(
            session,
            person=person,
            kind="validation_outcome",
            key=f"validation-outcome:{request.id}:{person.id}",
            text=messages.outcome_text(person, context, outcome, counts),
            about=request,
        )
    return outcome


async def _decide_practice(
    session: AsyncSession, practice: Practice, outcome: ValidationState
) -> None:
    """Civil society validated the practice; or it goes back to draft, to be improved (the
    comments say how) and submitted again."""
    validated = outcome == ValidationState.VALIDATED
    await states.move(
        session,
        practice,
        Actor.system(),
        PracticeState.VALIDATED if validated else PracticeState.DRAFT,
        N_("Practice {id} is no longer waiting for validation."),
    )


async def end_with_practice(session: AsyncSession, practice_id: int) -> None:
    """Close the practice's open request, if any, as expired: the practice was withdrawn, and
    its validators' buttons now answer that the request is closed."""
    await _end_open(session, ValidationRequest.practice_id == practice_id, withdrawn=True)


async def end_with_measurement(
    session: AsyncSession, measurement: Measurement, superseded_by: Measurement
) -> None:
    """Close the open request about ``measurement``, if any, as expired: a correction
    superseded the value, and validating it would judge a figure no longer shown; its
    validators' buttons now answer that the request is closed."""
    await _end_open(
        session,
        ValidationRequest.measurement_id == measurement.id,
        superseded_by=superseded_by.id,
    )


async def _end_open(session: AsyncSession, which: ColumnElement[bool], **details: Any) -> None:
    request = await session.scalar(
        select(ValidationRequest).where(which, ValidationRequest.state == ValidationState.OPEN)
    )
    if request is not None:
        await _close(session, request, ValidationState.EXPIRED, utcnow(), **details)


async def _close(
    session: AsyncSession,
    request: ValidationRequest,
    outcome: ValidationState,
    now: datetime,
    **details: Any,
) -> None:
    """Close the request with ``outcome``, a step of the audit chain with its ``details``."""
    request.state, request.closed_at = outcome, now
    await session.flush()
    await record_step(
        session,
        request,
        Actor.system(),
        "validation.close",
        request,
        {**subject_ids(request), "outcome": outcome, **details},
    )
