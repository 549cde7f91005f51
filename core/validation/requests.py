"""A report, an indicator's measurement or a good practice put before validators: the request,
its assignments, prompts and replacements."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from core.audit import chain, ledger
from core.audit.actor import Actor
from core.errors import Conflict
from core.models import (
    POLICY_DEFAULTS,
    AssignmentState,
    Entity,
    Indicator,
    Measurement,
    MeasurementValidation,
    Person,
    Plan,
    Practice,
    ProgressReport,
    Role,
    TaskStatus,
    ValidationAssignment,
    ValidationPolicy,
    ValidationRequest,
    ValidationState,
    utcnow,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours, after_quiet_hours
from core.people import people
from core.validation import messages
from core.validation.policy import get_policy
from core.validation.pool import NoValidatorAvailable, check_enough, choose, eligible_validators
from core.validation.subjects import (
    MeasurementContext,
    ReportContext,
    Subject,
    measurement_context,
    practice_context,
    report_context,
    subject_of,
)
from i18n import N_

# --- requests --------------------------------------------------------------------------------


async def request_validation(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    report_id: int,
    *,
    now: datetime | None = None,
    automatic: bool = False,
    validators: Sequence[Person] | None = None,
) -> ValidationRequest:
    """Put a report before validators and send each of them the request: those the pool
    chooses, or the ``validators`` given (the demo's, who are on no chat), who must be civil
    society with a sector and not the reporter."""
    context = await report_context(session, secretariat_id, report_id)
    return await _open_in_plan(
        session,
        context,
        ValidationRequest.report_id,
        report_id,
        N_("Report {id} already has an open validation request."),
        actor,
        {"report": report_id, "task": context.task.code},
        now=now,
        automatic=automatic,
        validators=validators,
    )


async def request_measurement_validation(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    measurement_id: int,
    *,
    now: datetime | None = None,
    automatic: bool = False,
    validators: Sequence[Person] | None = None,
) -> ValidationRequest:
    """Put an indicator's value before validators, as ``request_validation`` does a report: by
    its plan's policy, never asking whoever reported it."""
    context = await measurement_context(session, secretariat_id, measurement_id)
    measurement = context.measurement
    return await _open_in_plan(
        session,
        context,
        ValidationRequest.measurement_id,
        measurement_id,
        N_("Measurement {id} already has an open validation request."),
        actor,
        {
            "measurement": measurement_id,
            "indicator_id": context.indicator.id,
            "measured_on": measurement.measured_on,
            "revision": measurement.revision,
        },
        now=now,
        automatic=automatic,
        validators=validators,
    )


async def _open_in_plan(
    session: AsyncSession,
    context: ReportContext | MeasurementContext,
    subject: InstrumentedAttribute[int | None],
    subject_id: int,
    already_open: str,
    actor: Actor,
    recorded: dict[str, Any],
    *,
    now: datetime | None,
    automatic: bool,
    validators: Sequence[Person] | None,
) -> ValidationRequest:
    """Open a request about the report or value ``subject_id`` (held in the request's column
    ``subject``), by its plan's policy, unless one about it is still open."""
    if await session.scalar(
        select(ValidationRequest.id).where(
            subject == subject_id,
            ValidationRequest.state == ValidationState.OPEN,
        )
    ):
        raise Conflict(already_open, id=subject_id)
    plan = context.plan
    return await _open(
        session,
        context,
        ValidationRequest(
            secretariat_id=plan.secretariat_id, plan_id=plan.id, **{subject.key: subject_id}
        ),
        await get_policy(session, plan.secretariat_id, plan.id),
        actor,
        now or utcnow(),
        recorded,
        N_(
            "No validator is available: every member of civil society is the reporter, of the "
            "reporter's organisation, paused or unreachable."
        ),
        automatic=automatic,
        validators=validators,
    )


async def request_practice_validation(
    session: AsyncSession,
    practice: Practice,
    actor: Actor,
    *,
    now: datetime | None = None,
    validators: Sequence[Person] | None = None,
) -> ValidationRequest:
    """Put a submitted practice before its secretariat's civil society, by the validation
    policy of the secretariat's latest plan (the defaults when it has none)."""
    context = await practice_context(session, practice.id)
    policy = await session.scalar(
        select(ValidationPolicy)
        .join(Plan, Plan.id == ValidationPolicy.plan_id)
        .where(Plan.secretariat_id == practice.secretariat_id)
        .order_by(Plan.year.desc(), Plan.id.desc())
        .limit(1)
    )
    return await _open(
        session,
        context,
        ValidationRequest(secretariat_id=practice.secretariat_id, practice_id=practice.id),
        policy or ValidationPolicy(**POLICY_DEFAULTS),
        actor,
        now or utcnow(),
        {"practice": practice.id},
        N_(
            "No validator is available: the secretariat has no member of civil society with a "
            "sector, on chat and not paused, to ask about the practice."
        ),
        validators=validators,
    )


async def _open(
    session: AsyncSession,
    context: Subject,
    request: ValidationRequest,
    policy: ValidationPolicy,
    actor: Actor,
    now: datetime,
    recorded: dict[str, Any],
    nobody: str,
    *,
    automatic: bool = False,
    validators: Sequence[Person] | None = None,
) -> ValidationRequest:
    """Open ``request`` (its subject set) by ``policy`` and ask its validators."""
    secretariat_id = request.secretariat_id
    if validators is None:
        candidates, last_asked = await eligible_validators(
            session, secretariat_id, context.reporter, None
        )
        check_enough(candidates, policy, nobody)
        chosen = choose(candidates, last_asked, Counter(), policy.validators_per_request)
    else:
        chosen = [
            person
            for person in validators
            if _may_validate(person, secretariat_id, context.reporter)
        ]
        check_enough(chosen, policy, nobody)
    request.requested_by = str(actor)
    request.automatic = automatic
    request.validators_wanted = policy.validators_per_request
    request.min_confirmations = policy.min_confirmations
    request.min_sectors = policy.min_sectors
    request.disputes_at_most_confirmations = policy.disputes_at_most_confirmations
    request.reply_days = policy.reply_days
    request.remind_days_before = policy.remind_days_before
    request.deadline = now + timedelta(days=policy.deadline_days)
    request.assignments = []
    session.add(request)
    await session.flush()
    await record_step(
        session,
        request,
        actor,
        "validation.request",
        request,
        {
            **recorded,
            "automatic": automatic,
            "deadline": chain.format_time(request.deadline),
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


def _may_validate(person: Person, secretariat_id: int, reporter: Person | None) -> bool:
    return (
        person.secretariat_id == secretariat_id
        and person.has_role(Role.CIVIL_SOCIETY)
        and person.sector is not None
        and person.erased_at is None
        and person != reporter
    )


async def request_on_done(
    session: AsyncSession, report: ProgressReport, plan: Plan
) -> ValidationRequest | None:
    """Ask for validation of a report that marks its task done, if the plan's policy says so."""
    policy = await session.get(ValidationPolicy, plan.id)
    if report.status != TaskStatus.DONE or policy is None or not policy.auto_request_on_done:
        return None
    try:
        return await request_validation(
            session, plan.secretariat_id, Actor.system(), report.id, automatic=True
        )
    except NoValidatorAvailable:
        context = await report_context(session, plan.secretariat_id, report.id)
        await _tell_nobody_asked(session, context, f"{report.id}", report)
        return None


def names_indicator(policy: ValidationPolicy | None, indicator: Indicator) -> bool:
    """Whether the plan's ``policy`` has its values of ``indicator`` validated on their own."""
    which = policy.validate_measurements if policy is not None else MeasurementValidation.NONE
    return which == MeasurementValidation.ALL or (
        which == MeasurementValidation.FLAGGED and indicator.validated
    )


async def request_on_measurement(
    session: AsyncSession, secretariat_id: int, measurement: Measurement, indicator: Indicator
) -> ValidationRequest | None:
    """Ask for validation of a new current value of ``indicator`` if its plan's policy names
    the indicator; when too few may be asked to reach its quorum, the coordinators are told."""
    policy = await session.get(ValidationPolicy, indicator.plan_id)
    if not names_indicator(policy, indicator):
        return None
    try:
        return await request_measurement_validation(
            session, secretariat_id, Actor.system(), measurement.id, automatic=True
        )
    except NoValidatorAvailable:
        context = await measurement_context(session, secretariat_id, measurement.id)
        await _tell_nobody_asked(session, context, f"measurement:{measurement.id}", measurement)
        return None


async def _tell_nobody_asked(
    session: AsyncSession,
    context: ReportContext | MeasurementContext,
    subject_key: str,
    about: Entity,
) -> None:
    """Tell the coordinators that nobody could be asked to validate the subject on its own."""
    secretariat_id = context.plan.secretariat_id
    for coordinator in await people.coordinators(session, secretariat_id):
        await outbox.enqueue(
            session,
            person=coordinator,
            kind="validation_unavailable",
            key=f"validation-unavailable:{subject_key}:{coordinator.id}",
            text=messages.no_validator_text(coordinator, context),
            about=about,
        )


async def _assign(
    session: AsyncSession,
    request: ValidationRequest,
    context: Subject,
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
    await record_step(
        session,
        request,
        Actor.system(),
        "validation.assign",
        assignment,
        {"request": request.id, "validator": alias, "sector": person.sector},
    )
    await prompt_validator(
        session,
        request,
        context,
        person,
        assignment,
        f"validation-ask:{assignment.id}",
        scheduled_at=after_quiet_hours(quiet, person, now),
    )
    return assignment


async def prompt_validator(
    session: AsyncSession,
    request: ValidationRequest,
    context: Subject,
    person: Person,
    assignment: ValidationAssignment,
    key: str,
    text: str | None = None,
    scheduled_at: datetime | None = None,
) -> None:
    """Queue the validator's prompt with the subject, its evidence and the answer buttons."""
    files = len(messages.forwardable(context.evidence))
    await outbox.enqueue(
        session,
        person=person,
        kind="validation_request",
        key=key,
        text=text or messages.prompt_text(person, context, request.deadline),
        markup=messages.vote_buttons(person.language, assignment.id, files),
        scheduled_at=scheduled_at,
        about=assignment,
    )


async def record_step(
    session: AsyncSession,
    request: ValidationRequest,
    actor: Actor,
    action: str,
    entity: Entity,
    data: dict[str, Any],
) -> None:
    """Append one step of the request, done to ``entity``, to the audit chain, in the
    request's plan."""
    await chain.about(session, entity, action, actor, request.secretariat_id, request.plan_id, data)


async def replace_assignment(
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
    context = await subject_of(session, request)
    covered = Counter(a.sector for a in request.assignments if a.state == AssignmentState.ACTIVE)
    candidates, last_asked = await eligible_validators(
        session, request.secretariat_id, context.reporter, request.id
    )
    alias = await ledger.pseudonym(session, assignment.person_id)
    replacement = None
    for person in choose(candidates, last_asked, covered, 1):
        replacement = await _assign(session, request, context, person, now, quiet)
        assignment.replaced_by_id = replacement.id
    await record_step(
        session,
        request,
        Actor.validator(alias) if ended == AssignmentState.DECLINED else Actor.system(),
        f"validation.{ended.value}",
        assignment,
        {
            "request": request.id,
            "validator": alias,
            "sector": assignment.sector,
            "replaced_by": replacement.id if replacement else None,
        },
    )
    return replacement


async def load_request(
    session: AsyncSession, request_id: int, *, lock: bool = False
) -> ValidationRequest | None:
    """The request with its assignments and votes, as the database has them now; with
    ``lock``, held until the transaction ends, so that two last votes cast at once are
    counted one after the other and the second one closes the request."""
    query = (
        select(ValidationRequest)
        .where(ValidationRequest.id == request_id)
        .options(
            selectinload(ValidationRequest.assignments).selectinload(ValidationAssignment.vote)
        )
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=ValidationRequest)
    return await session.scalar(query)


def text_digest(text: str | None) -> str | None:
    """The SHA-256 a comment is recorded by, so that the chain never holds its words."""
    return hashlib.sha256(text.encode()).hexdigest() if text else None
