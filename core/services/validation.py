"""Civil-society validation of progress reports.

A request puts a report before N validators of the report's secretariat, chosen over sectors,
never the reporter nor anyone of the reporter's organisation nor a paused validator, least
recently asked first. Each validator confirms, disputes or asks for more information; the
reporter's answer to a question is added to the report and the validators are asked again.

A request closes when every validator still asked holds a confirmation or a dispute, or at its
deadline. The outcome follows the quorum the plan's policy had when the request was made:

- validated: at least ``min_confirmations`` confirmations from ``min_sectors`` sectors (and, if
  the policy says so, no more disputes than confirmations);
- disputed: otherwise, more disputes than confirmations;
- inconclusive: otherwise, when everybody answered;
- expired: otherwise, at the deadline.

Silent validators are replaced after the policy's reply time and reminded before the deadline
(``process_due``, run periodically). Every step is an audit event in which validators appear
only by sector and pseudonym (``ledger.pseudonym``); comments are recorded by their SHA-256.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conversations.i18n import N_
from core.buttons import VoteButton
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import (
    POLICY_DEFAULTS,
    AssignmentState,
    Evidence,
    InformationRequest,
    Person,
    PersonRole,
    Plan,
    ProgressReport,
    Role,
    Task,
    TaskStatus,
    ValidationAssignment,
    ValidationPolicy,
    ValidationRequest,
    ValidationState,
    ValidationVote,
    ValidatorPause,
    VoteChoice,
    utcnow,
)
from core.services import audit, ledger, outbox, scope
from core.services import validation_messages as messages
from core.services.reminders import QuietHours
from core.services.validation_messages import ReportContext

if TYPE_CHECKING:
    from core.services.reports import EvidenceItem

logger = logging.getLogger(__name__)
NEVER = datetime.min.replace(tzinfo=UTC)
SYSTEM = "system"


class NoValidatorAvailable(Conflict):
    """Nobody in the pool may be asked."""


# --- policy and pool -------------------------------------------------------------------------


async def get_policy(session: AsyncSession, secretariat_id: int, plan_id: int) -> ValidationPolicy:
    """The plan's policy; the defaults (not stored) when it has none."""
    await scope.get_plan(session, secretariat_id, plan_id)
    policy = await session.get(ValidationPolicy, plan_id)
    return policy or ValidationPolicy(plan_id=plan_id, **POLICY_DEFAULTS)


async def set_policy(
    session: AsyncSession, secretariat_id: int, actor: str, plan_id: int, **changes: Any
) -> ValidationPolicy:
    unknown = set(changes) - set(POLICY_DEFAULTS)
    if unknown:
        raise InvalidInput(N_("Unknown policy setting {name}."), name=sorted(unknown)[0])
    current = await get_policy(session, secretariat_id, plan_id)
    values = {name: getattr(current, name) for name in POLICY_DEFAULTS} | changes
    _check_policy(values)
    policy = await session.get(ValidationPolicy, plan_id)
    if policy is None:
        policy = ValidationPolicy(plan_id=plan_id)
        session.add(policy)
    for name, value in values.items():
        setattr(policy, name, value)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="validation_policy.set",
        entity_type="plan",
        entity_id=plan_id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=values,
    )
    return policy


def _check_policy(values: dict[str, Any]) -> None:
    def whole(name: str, low: int, high: int) -> int:
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(
                N_("The {field} must be a whole number from {low} to {high}."),
                field=name,
                low=low,
                high=high,
            )
        return value

    wanted = whole("validators_per_request", 1, 20)
    confirmations = whole("min_confirmations", 1, wanted)
    whole("min_sectors", 1, confirmations)
    whole("deadline_days", 1, 90)
    whole("reply_days", 1, 90)
    whole("remind_days_before", 0, 90)
    for name in ("disputes_at_most_confirmations", "auto_request_on_done"):
        if not isinstance(values[name], bool):
            raise InvalidInput(N_("The {field} must be true or false."), field=name)


async def pause_validator(session: AsyncSession, person: Person) -> None:
    """Stop being chosen as a validator; requests already received stay open to answer."""
    if not person.has_role(Role.CIVIL_SOCIETY):
        raise PermissionDenied(N_("Only members of civil society validate reports."))
    if await session.get(ValidatorPause, person.id) is None:
        session.add(ValidatorPause(person_id=person.id))
        await session.flush()
        await _record_pool_change(session, person, "validator.pause")


async def resume_validator(session: AsyncSession, person: Person) -> None:
    if not person.has_role(Role.CIVIL_SOCIETY):
        raise PermissionDenied(N_("Only members of civil society validate reports."))
    pause = await session.get(ValidatorPause, person.id)
    if pause is not None:
        await session.delete(pause)
        await session.flush()
        await _record_pool_change(session, person, "validator.resume")


async def is_paused(session: AsyncSession, person: Person) -> bool:
    return await session.get(ValidatorPause, person.id) is not None


async def _record_pool_change(session: AsyncSession, person: Person, action: str) -> None:
    alias = await ledger.pseudonym(session, person.id)
    await audit.record(
        session,
        actor=f"validator:{alias}",
        action=action,
        entity_type="validator",
        entity_id=None,
        secretariat_id=person.secretariat_id,
        data={"validator": alias, "sector": person.sector},
    )


def _organisation(person: Person | None) -> str | None:
    if person is None or not person.organisation:
        return None
    return " ".join(person.organisation.casefold().split()) or None


async def _candidates(
    session: AsyncSession, secretariat_id: int, reporter: Person | None, request_id: int | None
) -> tuple[list[Person], dict[int, datetime]]:
    """Who may be asked now, and when each was last asked."""
    query = (
        select(Person)
        .join(PersonRole)
        .where(
            Person.secretariat_id == secretariat_id,
            PersonRole.role == Role.CIVIL_SOCIETY,
            Person.sector.is_not(None),
            Person.erased_at.is_(None),
            Person.telegram_id.is_not(None),
            Person.reachable.is_(True),
            Person.id.not_in(select(ValidatorPause.person_id)),
        )
    )
    if reporter is not None:
        query = query.where(Person.id != reporter.id)
    if request_id is not None:
        query = query.where(
            Person.id.not_in(
                select(ValidationAssignment.person_id).where(
                    ValidationAssignment.request_id == request_id
                )
            )
        )
    organisation = _organisation(reporter)
    people = [
        person
        for person in await session.scalars(query)
        if organisation is None or _organisation(person) != organisation
    ]
    last_asked = dict(
        (
            await session.execute(
                select(ValidationAssignment.person_id, func.max(ValidationAssignment.asked_at))
                .where(ValidationAssignment.person_id.in_([person.id for person in people]))
                .group_by(ValidationAssignment.person_id)
            )
        ).all()
    )
    return people, {person_id: _aware(when) for person_id, when in last_asked.items()}


def _aware(moment: datetime) -> datetime:
    # SQLite hands aggregates back as naive UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def choose(
    candidates: Sequence[Person],
    last_asked: dict[int, datetime],
    covered: Counter[str],
    count: int,
) -> list[Person]:
    """Up to ``count`` people: the least covered sector first, then the least recently asked."""
    pool = list(candidates)
    sectors = Counter(covered)
    chosen: list[Person] = []
    while pool and len(chosen) < count:
        best = min(pool, key=lambda p: (sectors[p.sector], last_asked.get(p.id, NEVER), p.id))
        pool.remove(best)
        chosen.append(best)
        sectors[best.sector] += 1
    return chosen


# --- requests --------------------------------------------------------------------------------


async def _context(session: AsyncSession, secretariat_id: int, report_id: int) -> ReportContext:
    row = (
        await session.execute(
            scope.plan_of_task()
            .add_columns(ProgressReport)
            .join(ProgressReport, ProgressReport.task_id == Task.id)
            .where(ProgressReport.id == report_id, Plan.secretariat_id == secretariat_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise NotFound(N_("Report {id} not found."), id=report_id)
    report = row.ProgressReport
    reporter = await session.get(Person, report.person_id) if report.person_id else None
    return ReportContext(report, row.Task, row.Plan, reporter)


async def request_validation(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    report_id: int,
    *,
    now: datetime | None = None,
    automatic: bool = False,
) -> ValidationRequest:
    """Put a report before validators and send each of them the request."""
    now = now or utcnow()
    context = await _context(session, secretariat_id, report_id)
    if await session.scalar(
        select(ValidationRequest.id).where(
            ValidationRequest.report_id == report_id,
            ValidationRequest.state == ValidationState.OPEN,
        )
    ):
        raise Conflict(N_("Report {id} already has an open validation request."), id=report_id)
    policy = await get_policy(session, secretariat_id, context.plan.id)
    candidates, last_asked = await _candidates(session, secretariat_id, context.reporter, None)
    chosen = choose(candidates, last_asked, Counter(), policy.validators_per_request)
    if not chosen:
        raise NoValidatorAvailable(
            N_(
                "No validator is available: every member of civil society is the reporter, of "
                "the reporter's organisation, paused or unreachable."
            )
        )
    request = ValidationRequest(
        secretariat_id=secretariat_id,
        plan_id=context.plan.id,
        report_id=report_id,
        requested_by=actor,
        automatic=automatic,
        validators_wanted=policy.validators_per_request,
        min_confirmations=policy.min_confirmations,
        min_sectors=policy.min_sectors,
        disputes_at_most_confirmations=policy.disputes_at_most_confirmations,
        reply_days=policy.reply_days,
        remind_days_before=policy.remind_days_before,
        deadline=now + timedelta(days=policy.deadline_days),
        assignments=[],
    )
    session.add(request)
    await session.flush()
    await _record(
        session,
        request,
        actor,
        "validation.request",
        "validation_request",
        request.id,
        {
            "report": report_id,
            "task": context.task.code,
            "automatic": automatic,
            "deadline": audit.format_time(request.deadline),
            "quorum": {
                "validators": request.validators_wanted,
                "min_confirmations": request.min_confirmations,
                "min_sectors": request.min_sectors,
                "disputes_at_most_confirmations": request.disputes_at_most_confirmations,
            },
        },
    )
    for person in chosen:
        await _assign(session, request, context, person, now)
    return request


async def request_on_done(
    session: AsyncSession, report: ProgressReport, plan: Plan
) -> ValidationRequest | None:
    """Ask for validation of a report that marks its task done, if the plan's policy says so."""
    policy = await session.get(ValidationPolicy, plan.id)
    if report.status != TaskStatus.DONE or policy is None or not policy.auto_request_on_done:
        return None
    try:
        return await request_validation(
            session, plan.secretariat_id, SYSTEM, report.id, automatic=True
        )
    except NoValidatorAvailable:
        context = await _context(session, plan.secretariat_id, report.id)
        for coordinator in await _coordinators(session, plan.secretariat_id):
            await outbox.enqueue(
                session,
                person=coordinator,
                kind="validation_unavailable",
                key=f"validation-unavailable:{report.id}:{coordinator.id}",
                text=messages.no_validator_text(coordinator, context),
                subject_type="progress_report",
                subject_id=report.id,
            )
        return None


async def _assign(
    session: AsyncSession,
    request: ValidationRequest,
    context: ReportContext,
    person: Person,
    now: datetime,
    quiet: QuietHours | None = None,
) -> ValidationAssignment:
    assignment = ValidationAssignment(
        request_id=request.id, person_id=person.id, sector=person.sector, asked_at=now, vote=None
    )
    request.assignments.append(assignment)
    await session.flush()
    alias = await ledger.pseudonym(session, person.id)
    await _record(
        session,
        request,
        SYSTEM,
        "validation.assign",
        "validation_assignment",
        assignment.id,
        {"request": request.id, "validator": alias, "sector": person.sector},
    )
    await _prompt(
        session,
        request,
        context,
        person,
        assignment,
        f"validation-ask:{assignment.id}",
        scheduled_at=_after_quiet_hours(quiet, person, now),
    )
    return assignment


async def _prompt(
    session, request, context, person, assignment, key, text=None, scheduled_at=None
) -> None:
    files = len(messages.forwardable(context.report.evidence))
    await outbox.enqueue(
        session,
        person=person,
        kind="validation_request",
        key=key,
        text=text or messages.prompt_text(person, context, request.deadline),
        markup=messages.vote_buttons(person.language, assignment.id, files),
        scheduled_at=scheduled_at,
        subject_type="validation_assignment",
        subject_id=assignment.id,
    )


def _after_quiet_hours(quiet: QuietHours | None, person: Person, now: datetime) -> datetime | None:
    """When a message the clock writes may reach ``person``: now, or when their night ends."""
    return quiet.next_send_time(now, person.time_zone) if quiet else None


async def _record(session, request, actor, action, entity_type, entity_id, data) -> None:
    await audit.record(
        session,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        secretariat_id=request.secretariat_id,
        plan_id=request.plan_id,
        data=data,
    )


async def _replace(
    session: AsyncSession,
    request: ValidationRequest,
    assignment: ValidationAssignment,
    ended: AssignmentState,
    now: datetime,
    quiet: QuietHours | None = None,
) -> ValidationAssignment | None:
    """End ``assignment`` and ask someone else, from a sector still missing if possible."""
    assignment.state = ended
    assignment.ended_at = now
    context = await _context(session, request.secretariat_id, request.report_id)
    covered = Counter(a.sector for a in request.assignments if a.state == AssignmentState.ACTIVE)
    candidates, last_asked = await _candidates(
        session, request.secretariat_id, context.reporter, request.id
    )
    alias = await ledger.pseudonym(session, assignment.person_id)
    replacement = None
    for person in choose(candidates, last_asked, covered, 1):
        replacement = await _assign(session, request, context, person, now, quiet)
        assignment.replaced_by_id = replacement.id
    await _record(
        session,
        request,
        f"validator:{alias}" if ended == AssignmentState.DECLINED else SYSTEM,
        f"validation.{ended.value}",
        "validation_assignment",
        assignment.id,
        {
            "request": request.id,
            "validator": alias,
            "sector": assignment.sector,
            "replaced_by": replacement.id if replacement else None,
        },
    )
    return replacement


# --- voting ----------------------------------------------------------------------------------


async def _load(session: AsyncSession, request_id: int) -> ValidationRequest | None:
    """The request with its assignments and votes, as the database has them now."""
    return await session.scalar(
        select(ValidationRequest)
        .where(ValidationRequest.id == request_id)
        .options(
            selectinload(ValidationRequest.assignments).selectinload(ValidationAssignment.vote)
        )
        .execution_options(populate_existing=True)
    )


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
    if request_id is None:
        raise NotFound(N_("This validation request does not exist."))
    request = await _load(session, request_id)
    assignment = next(a for a in request.assignments if a.id == assignment_id)
    if request.secretariat_id != person.secretariat_id:
        raise PermissionDenied(N_("This report belongs to another secretariat."))
    reporter_id = await session.scalar(
        select(ProgressReport.person_id).where(ProgressReport.id == request.report_id)
    )
    if reporter_id == person.id:
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


def _text_digest(text: str | None) -> str | None:
    return hashlib.sha256(text.encode()).hexdigest() if text else None


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
    await session.flush()
    alias = await ledger.pseudonym(session, person.id)
    await _record(
        session,
        request,
        f"validator:{alias}",
        "validation.vote" if previous is None else "validation.vote_change",
        "validation_vote",
        vote.id,
        {
            "request": request.id,
            "report": request.report_id,
            "validator": alias,
            "sector": assignment.sector,
            "choice": choice,
            "previous": previous,
            "comment_sha256": _text_digest(vote.comment),
            "voice_note": vote.voice_file_id is not None,
        },
    )
    if choice == VoteChoice.NEEDS_INFO and previous != VoteChoice.NEEDS_INFO:
        await _ask_reporter(session, request, assignment, vote.comment, now)
    await settle(session, request, now)
    return vote


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
    vote.changed_at = now
    await session.flush()
    alias = await ledger.pseudonym(session, person.id)
    await _record(
        session,
        request,
        f"validator:{alias}",
        "validation.comment",
        "validation_vote",
        vote.id,
        {
            "request": request.id,
            "validator": alias,
            "sector": assignment.sector,
            "comment_sha256": _text_digest(text),
            "voice_note": voice_file_id is not None,
        },
    )
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
            await _tell_reporter_question(session, request, question, f":{_text_digest(text)}")
    return vote


async def decline(
    session: AsyncSession, person: Person, assignment_id: int, *, now: datetime | None = None
) -> ValidationAssignment | None:
    """The validator cannot review this report: someone else is asked instead."""
    now = now or utcnow()
    request, assignment = await _answerable(session, person, assignment_id)
    if assignment.vote is not None:
        raise Conflict(N_("You already answered; you can change your answer instead."))
    replacement = await _replace(session, request, assignment, AssignmentState.DECLINED, now)
    await settle(session, request, now)
    return replacement


@dataclass(frozen=True)
class Forward:
    """A piece of evidence for the bot to send: by Telegram file id, or as a link or text."""

    kind: str
    telegram_file_id: str | None
    caption: str | None
    url: str | None


async def evidence_to_forward(
    session: AsyncSession, person: Person, assignment_id: int
) -> list[Forward]:
    request, _assignment = await _owned(session, person, assignment_id)
    report = await session.get(ProgressReport, request.report_id)
    await session.refresh(report, ["evidence"])
    return [
        Forward(item.kind, item.telegram_file_id, item.caption, item.url)
        for item in report.evidence
    ]


@dataclass(frozen=True)
class Pressed:
    """What a button press did: a vote, a decline, or evidence to send."""

    action: str
    vote: ValidationVote | None = None
    evidence: tuple[Forward, ...] = ()


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
    return Pressed(action, vote=await cast_vote(session, person, assignment_id, action, now=now))


# --- the "more information" loop -------------------------------------------------------------


async def _ask_reporter(session, request, assignment, question, now) -> None:
    info = InformationRequest(
        request_id=request.id, assignment_id=assignment.id, question=question, asked_at=now
    )
    session.add(info)
    await session.flush()
    await _tell_reporter_question(session, request, info, "")


async def _tell_reporter_question(session, request, info, suffix: str) -> None:
    context = await _context(session, request.secretariat_id, request.report_id)
    if context.reporter is None:
        return
    await outbox.enqueue(
        session,
        person=context.reporter,
        kind="validation_information",
        key=f"validation-info:{info.id}{suffix}",
        text=messages.information_request_text(context.reporter, context, info.question),
        markup=messages.information_buttons(context.reporter.language, request.id),
        subject_type="validation_request",
        subject_id=request.id,
    )


async def open_questions(session: AsyncSession, person: Person) -> list[InformationRequest]:
    """Questions of open requests waiting for ``person``'s answer as reporter, oldest first."""
    return list(
        await session.scalars(
            select(InformationRequest)
            .join(ValidationRequest, ValidationRequest.id == InformationRequest.request_id)
            .join(ProgressReport, ProgressReport.id == ValidationRequest.report_id)
            .where(
                ProgressReport.person_id == person.id,
                ValidationRequest.state == ValidationState.OPEN,
                InformationRequest.answered_at.is_(None),
            )
            .order_by(InformationRequest.id)
        )
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
    """The reporter's answer: added to the report, and the validators are asked again."""
    now = now or utcnow()
    request = await _load(session, request_id)
    if request is None or request.secretariat_id != person.secretariat_id:
        raise NotFound(N_("This validation request does not exist."))
    context = await _context(session, request.secretariat_id, request.report_id)
    if context.reporter is None or context.reporter.id != person.id:
        raise PermissionDenied(N_("Only the person who reported can add information."))
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
    added = [Evidence(report_id=context.report.id, **vars(item)) for item in evidence]
    session.add_all(added)
    await session.flush()
    await session.refresh(context.report, ["evidence"])
    for question in questions:
        question.answer, question.answered_at = text, now
        question.answer_evidence_ids = [item.id for item in added]
    await _record(
        session,
        request,
        f"person:{person.id}",
        "validation.information",
        "validation_request",
        request.id,
        {
            "report": context.report.id,
            "answer_sha256": _text_digest(text),
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
        validator = await session.get(Person, assignment.person_id)
        await _prompt(
            session,
            request,
            context,
            validator,
            assignment,
            f"validation-again:{questions[0].id}:{assignment.id}",
            messages.new_information_text(validator, context, text, len(added)),
        )
    return added


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
    session: AsyncSession, request: ValidationRequest, now: datetime, at_deadline: bool = False
) -> ValidationState:
    """Close the request if its outcome is decided, and tell the reporter and coordinators."""
    if request.state != ValidationState.OPEN:
        return request.state
    counts = tally(request)
    outcome = decide(request, counts, at_deadline)
    if outcome == ValidationState.OPEN:
        return outcome
    request.state, request.closed_at = outcome, now
    await session.flush()
    await _record(
        session,
        request,
        SYSTEM,
        "validation.close",
        "validation_request",
        request.id,
        {"report": request.report_id, "outcome": outcome, **vars(counts)},
    )
    context = await _context(session, request.secretariat_id, request.report_id)
    told = await _coordinators(session, request.secretariat_id)
    if context.reporter is not None and context.reporter.id not in {p.id for p in told}:
        told.append(context.reporter)
    for person in told:
        await outbox.enqueue(
            session,
            person=person,
            kind="validation_outcome",
            key=f"validation-outcome:{request.id}:{person.id}",
            text=messages.outcome_text(person, context, outcome, counts),
            subject_type="validation_request",
            subject_id=request.id,
        )
    return outcome


async def _coordinators(session: AsyncSession, secretariat_id: int) -> list[Person]:
    return list(
        await session.scalars(
            select(Person)
            .join(PersonRole)
            .where(Person.secretariat_id == secretariat_id, PersonRole.role == Role.COORDINATOR)
            .order_by(Person.id)
        )
    )


async def process_due(
    session: AsyncSession, now: datetime, quiet: QuietHours | None = None
) -> None:
    """Close requests at their deadline, replace silent validators and remind the others.

    Called periodically, like ``reminders.schedule_reminders``; calling it again changes nothing.
    What it asks of people (a replacement's question, a reminder) waits for the end of their
    ``quiet`` hours.
    """
    requests = await session.scalars(
        select(ValidationRequest)
        .where(ValidationRequest.state == ValidationState.OPEN)
        .order_by(ValidationRequest.id)
        .options(
            selectinload(ValidationRequest.assignments).selectinload(ValidationAssignment.vote)
        )
        .execution_options(populate_existing=True)
        # Several workers may run this at once: each request is handled by one of them.
        .with_for_update(of=ValidationRequest, skip_locked=True)
    )
    for request in list(requests):
        if now >= request.deadline:
            await settle(session, request, now, at_deadline=True)
            continue
        silent = [
            a for a in request.assignments if a.state == AssignmentState.ACTIVE and a.vote is None
        ]
        for assignment in silent:
            if now >= assignment.asked_at + timedelta(days=request.reply_days):
                await _replace(session, request, assignment, AssignmentState.EXPIRED, now, quiet)
        remind_from = request.deadline - timedelta(days=request.remind_days_before)
        if request.remind_days_before == 0 or now < remind_from:
            continue
        context = await _context(session, request.secretariat_id, request.report_id)
        for assignment in request.assignments:
            if (
                assignment.state != AssignmentState.ACTIVE
                or assignment.vote is not None
                or assignment.reminded_at is not None
            ):
                continue
            validator = await session.get(Person, assignment.person_id)
            assignment.reminded_at = now
            await _prompt(
                session,
                request,
                context,
                validator,
                assignment,
                f"validation-reminder:{assignment.id}",
                messages.reminder_text(validator, context, request.deadline),
                scheduled_at=_after_quiet_hours(quiet, validator, now),
            )
        await session.flush()


async def run_clock(
    session_factory,
    interval: timedelta = timedelta(minutes=5),
    clock=utcnow,
    quiet: QuietHours | None = None,
) -> None:
    """Call ``process_due`` every ``interval`` until cancelled (the bot's worker runs this)."""
    while True:
        try:
            async with session_factory() as session, session.begin():
                await process_due(session, clock(), quiet)
        except Exception:  # a bad moment of the database must not stop the clock
            logger.exception("validation deadlines could not be processed")
        await asyncio.sleep(interval.total_seconds())


# --- reading ---------------------------------------------------------------------------------


async def get_request(
    session: AsyncSession, secretariat_id: int, request_id: int
) -> ValidationRequest:
    request = await _load(session, request_id)
    if request is None or request.secretariat_id != secretariat_id:
        raise NotFound(N_("Validation request {id} not found."), id=request_id)
    return request


async def list_requests(
    session: AsyncSession,
    secretariat_id: int,
    *,
    plan_id: int | None = None,
    state: ValidationState | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ValidationRequest], int]:
    """A page of requests, newest first, and how many match."""
    where = [ValidationRequest.secretariat_id == secretariat_id]
    if plan_id is not None:
        where.append(ValidationRequest.plan_id == plan_id)
    if state is not None:
        where.append(ValidationRequest.state == ValidationState(state))
    total = await session.scalar(select(func.count()).select_from(ValidationRequest).where(*where))
    page = await session.scalars(
        select(ValidationRequest)
        .where(*where)
        .order_by(ValidationRequest.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(page), total or 0


async def latest_report_of_task(session: AsyncSession, secretariat_id: int, task_id: int) -> int:
    """The id of the task's last report, for asking validation by task."""
    task, _plan = await scope.get_task(session, secretariat_id, task_id)
    report_id = await session.scalar(
        select(ProgressReport.id)
        .where(ProgressReport.task_id == task.id)
        .order_by(ProgressReport.id.desc())
        .limit(1)
    )
    if report_id is None:
        raise NotFound(N_("Task {task} has no report yet."), task=task.code)
    return report_id


@dataclass(frozen=True)
class VoteView:
    """A vote as coordinators and the public see it: by sector and pseudonym."""

    assignment_id: int
    validator: str
    sector: str
    assignment_state: str
    choice: str | None
    comment: str | None
    voice_note: bool
    changes: int


async def votes_of(session: AsyncSession, request: ValidationRequest) -> list[VoteView]:
    views = []
    for assignment in request.assignments:
        vote = assignment.vote
        views.append(
            VoteView(
                assignment_id=assignment.id,
                validator=await ledger.pseudonym(session, assignment.person_id),
                sector=assignment.sector,
                assignment_state=assignment.state,
                choice=vote.choice if vote else None,
                comment=vote.comment if vote else None,
                voice_note=bool(vote and vote.voice_file_id),
                changes=vote.changes if vote else 0,
            )
        )
    return views


async def plan_task_states(
    session: AsyncSession, secretariat_id: int, plan_id: int
) -> list[tuple[int, int, str]]:
    """(task id, latest request id, its state) for every task of the plan put to validation."""
    await scope.get_plan(session, secretariat_id, plan_id)
    rows = await session.execute(
        select(ProgressReport.task_id, ValidationRequest.id, ValidationRequest.state)
        .join(ValidationRequest, ValidationRequest.report_id == ProgressReport.id)
        .where(ValidationRequest.plan_id == plan_id)
        .order_by(ValidationRequest.id)
    )
    latest = {task_id: (request_id, state) for task_id, request_id, state in rows.all()}
    return [(task_id, *latest[task_id]) for task_id in sorted(latest)]
