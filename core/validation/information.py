"""The "more information" loop: a validator's question to the reporter and the answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import (
    AssignmentState,
    Evidence,
    InformationRequest,
    Measurement,
    Person,
    ProgressReport,
    Role,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    VoteChoice,
    utcnow,
)
from core.notify import outbox
from core.validation import messages
from core.validation.requests import load_request, prompt_validator, record_step, text_digest
from core.validation.subjects import PracticeContext, subject_ids, subject_of
from i18n import N_

if TYPE_CHECKING:
    from core.reporting.evidence import EvidenceItem

# --- the "more information" loop -------------------------------------------------------------

# How long a validator who asks for more information has to write the question before the
# reporter is told, without it, that they asked.
QUESTION_WAIT = timedelta(minutes=15)


async def ask_reporter(
    session: AsyncSession,
    request: ValidationRequest,
    assignment: ValidationAssignment,
    question: str | None,
    now: datetime,
) -> None:
    """Open a question from the validator and pass it on to the reporter: at once when it is
    written, else once the validator writes it (``QUESTION_WAIT`` at most)."""
    info = InformationRequest(
        request_id=request.id, assignment_id=assignment.id, question=question, asked_at=now
    )
    session.add(info)
    await session.flush()
    await tell_reporter_question(session, request, info, now if question else now + QUESTION_WAIT)


async def tell_reporter_question(
    session: AsyncSession, request: ValidationRequest, info: InformationRequest, due: datetime
) -> None:
    """Send a validator's question, due at ``due``, to whoever answers for the subject (the
    reporter; a practice's coordinators): in the message about it not sent yet, if there is
    one, so that they read one message holding the question; else in a message of its own."""
    context = await subject_of(session, request)
    for person in context.answerers:
        text = messages.information_request_text(person, context, info.question)
        key = f"validation-info:{info.id}"
        if context.reporter is None:  # the coordinators answer: each is told
            key += f":{person.id}"
        if await outbox.rewrite(session, key, text=text, due=due):
            continue
        if await outbox.written(session, key):  # it went out without this question
            key = f"{key}:{text_digest(info.question)}"
        await outbox.enqueue(
            session,
            person=person,
            kind="validation_information",
            key=key,
            text=text,
            markup=messages.information_buttons(person.language, request.id),
            scheduled_at=due,
            about=request,
        )


async def open_questions(session: AsyncSession, person: Person) -> list[InformationRequest]:
    """Questions of open requests waiting for ``person``'s answer, oldest first: about their
    reports and the values they reported, and, for a coordinator, about their secretariat's
    practices and the values nobody reported in chat."""
    subjects = or_(ProgressReport.person_id == person.id, Measurement.reported_by_id == person.id)
    if person.has_role(Role.COORDINATOR):
        subjects = or_(
            subjects,
            and_(
                ValidationRequest.secretariat_id == person.secretariat_id,
                or_(
                    ValidationRequest.practice_id.is_not(None),
                    and_(
                        ValidationRequest.measurement_id.is_not(None),
                        Measurement.reported_by_id.is_(None),
                    ),
                ),
            ),
        )
    return list(
        await session.scalars(
            select(InformationRequest)
            .join(ValidationRequest, ValidationRequest.id == InformationRequest.request_id)
            .outerjoin(ProgressReport, ProgressReport.id == ValidationRequest.report_id)
            .outerjoin(Measurement, Measurement.id == ValidationRequest.measurement_id)
            .where(
                subjects,
                ValidationRequest.state == ValidationState.OPEN,
                InformationRequest.answered_at.is_(None),
            )
            .order_by(InformationRequest.id)
        )
    )


# The refusal of files sent as the answer about a practice.
ANSWER_IN_WORDS = N_(
    "Answer in words: the evidence of a practice is linked to it by the secretariat, not sent here."
)


async def answer_information(
    session: AsyncSession,
    person: Person,
    request_id: int,
    *,
    text: str | None = None,
    evidence: Sequence[EvidenceItem] = (),
    now: datetime | None = None,
) -> list[Evidence]:
    """The answer of whoever answers for the subject (its reporter; for a practice, or a value
    nobody reported in chat, a coordinator): files join the report or the value, and the
    validators are asked again."""
    now = now or utcnow()
    request = await load_request(session, request_id, lock=True)
    if request is None or request.secretariat_id != person.secretariat_id:
        raise NotFound(N_("This validation request does not exist."))
    context = await subject_of(session, request)
    if person.id not in {answerer.id for answerer in context.answerers}:
        if isinstance(context, PracticeContext):
            raise PermissionDenied(N_("Only the secretariat's coordinators answer for a practice."))
        raise PermissionDenied(N_("Only the person who reported can add information."))
    if evidence and not context.takes_files:
        raise InvalidInput(ANSWER_IN_WORDS, field="answer")
    if request.state != ValidationState.OPEN:
        raise Conflict(N_("This validation request is already closed."))
    questions = list(
        await session.scalars(
            select(InformationRequest).where(
                InformationRequest.request_id == request.id,
                InformationRequest.answered_at.is_(None),
            )
        )
    )
    if not questions:
        raise Conflict(N_("Nobody asked for more information about this report."))
    text = (text or "").strip() or None
    if text is None and not evidence:
        raise InvalidInput(N_("Send some text or a file as your answer."), field="answer")
    added = await context.add_evidence(session, evidence)
    for question in questions:
        question.answer, question.answered_at = text, now
        question.answer_evidence_ids = [item.id for item in added]
    await record_step(
        session,
        request,
        Actor.person(person.id),
        "validation.information",
        request,
        {
            **subject_ids(request),
            "answer_sha256": text_digest(text),
            "evidence": [{"kind": item.kind, "sha256": item.sha256} for item in added],
        },
    )
    waiting = [
        assignment
        for assignment in request.assignments
        if assignment.state == AssignmentState.ACTIVE
        and (assignment.vote is None or assignment.vote.choice == VoteChoice.NEEDS_INFO)
    ]
    for assignment in waiting:
        validator = await session.get_one(Person, assignment.person_id)
        await prompt_validator(
            session,
            request,
            context,
            validator,
            assignment,
            f"validation-again:{questions[0].id}:{assignment.id}",
            messages.new_information_text(
                validator, context, text, len(added), answered=assignment.vote is not None
            ),
        )
    return added
