"""One advance as the public sees it: a progress report of a task, the evidence a coordinator
marked public, civil society's votes by sector and pseudonym, and the ledger entries that
hold it.

Every report of a plan is public progress, whether or not it was put to validation: the plan's
reported progress counts it already. The page says which it is. Nothing here names a person:
the reporter appears by role, validators by their ledger pseudonym and sector, and a comment
only where its validator agreed to publish it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.audit import ledger
from core.models import (
    Activity,
    AssignmentState,
    AuditEvent,
    Evidence,
    EvidenceKind,
    InformationRequest,
    Objective,
    Person,
    Plan,
    ProgressReport,
    Role,
    Secretariat,
    Sector,
    Task,
    TaskStatus,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    VoteChoice,
)

# The role a reporter is named by: the most senior one they hold.
ROLE_ORDER = (Role.ADMIN, Role.COORDINATOR, Role.STAFF, Role.CIVIL_SOCIETY)


class Schedule(StrEnum):
    """Whether a task keeps to its dates, as of today."""

    FINISHED = "finished"
    CANCELLED = "cancelled"
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    UNDATED = "undated"


def schedule(status: TaskStatus, due: date | None, today: date) -> Schedule:
    if status == TaskStatus.DONE:
        return Schedule.FINISHED
    if status == TaskStatus.CANCELLED:
        return Schedule.CANCELLED
    if due is None:
        return Schedule.UNDATED
    return Schedule.OVERDUE if due < today else Schedule.ON_TIME


@dataclass(frozen=True, slots=True)
class PublicEvidence:
    id: int
    report_id: int
    kind: EvidenceKind
    caption: str | None
    url: str | None
    # A cleaned copy to serve (photos and documents); links and texts have none.
    has_file: bool
    mime_type: str | None
    size: int | None


@dataclass(frozen=True, slots=True)
class PublicVote:
    pseudonym: str
    sector: Sector
    choice: VoteChoice
    cast_at: datetime
    comment: str | None  # only where its validator agreed to publish it
    withheld: bool  # a comment was written, and its validator keeps it private


@dataclass(frozen=True, slots=True)
class PublicValidation:
    id: int
    state: ValidationState
    requested_at: datetime
    deadline: datetime
    closed_at: datetime | None
    votes: list[PublicVote]
    waiting: int  # validators asked who have not answered yet


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    seq: int
    occurred_at: datetime
    action: str
    hash: str
    prev_hash: str


@dataclass(frozen=True, slots=True)
class Advance:
    report: ProgressReport
    reporter_role: Role | None
    task: Task
    activity: Activity
    objective: Objective
    plan: Plan
    secretariat: Secretariat
    schedule: Schedule
    evidence: list[PublicEvidence]
    validations: list[PublicValidation]  # latest first
    ledger: list[LedgerEntry]

    @property
    def latest(self) -> PublicValidation | None:
        return self.validations[0] if self.validations else None


async def advance(session: AsyncSession, report_id: int, today: date) -> Advance | None:
    """The advance of report ``report_id``, or None when there is no such report."""
    row = (
        await session.execute(
            select(ProgressReport, Task, Activity, Objective, Plan, Secretariat)
            .join(Task, Task.id == ProgressReport.task_id)
            .join(Activity, Activity.id == Task.activity_id)
            .join(Objective, Objective.id == Activity.objective_id)
            .join(Plan, Plan.id == Objective.plan_id)
            .join(Secretariat, Secretariat.id == Plan.secretariat_id)
            .where(ProgressReport.id == report_id)
        )
    ).first()
    if row is None:
        return None
    report, task, activity, objective, plan, secretariat = row
    requests = list(
        await session.scalars(
            select(ValidationRequest)
            .where(ValidationRequest.report_id == report.id)
            .options(
                selectinload(ValidationRequest.assignments).selectinload(ValidationAssignment.vote)
            )
            .order_by(ValidationRequest.id.desc())
        )
    )
    return Advance(
        report=report,
        reporter_role=await _role_of(session, report.person_id),
        task=task,
        activity=activity,
        objective=objective,
        plan=plan,
        secretariat=secretariat,
        schedule=schedule(task.status, task.due_date, today),
        evidence=[shown_evidence(item) for item in report.evidence if item.public],
        validations=[await public_validation(session, request) for request in requests],
        ledger=await _ledger(session, plan.id, report, requests),
    )


async def public_evidence(
    session: AsyncSession, report_id: int, evidence_id: int
) -> Evidence | None:
    """A piece of the report's evidence marked public, or None."""
    return await session.scalar(
        select(Evidence).where(
            Evidence.id == evidence_id, Evidence.report_id == report_id, Evidence.public.is_(True)
        )
    )


def shown_evidence(item: Evidence) -> PublicEvidence:
    """A piece of evidence as a public page shows it (the caller checks it is public)."""
    assert item.report_id is not None, "only a report's evidence is made public"
    return PublicEvidence(
        item.id,
        item.report_id,
        item.kind,
        item.caption,
        item.url,
        item.public_name is not None,
        item.mime_type,
        item.size,
    )


async def _role_of(session: AsyncSession, person_id: int | None) -> Role | None:
    person = await session.get(Person, person_id) if person_id is not None else None
    if person is None:
        return None
    return next((role for role in ROLE_ORDER if person.has_role(role)), None)


async def public_validation(session: AsyncSession, request: ValidationRequest) -> PublicValidation:
    """A request as the public sees it: votes by sector and pseudonym, comments where their
    validators agreed."""
    votes = [
        PublicVote(
            await ledger.pseudonym(session, assignment.person_id),
            assignment.sector,
            assignment.vote.choice,
            assignment.vote.changed_at or assignment.vote.cast_at,
            assignment.vote.comment if assignment.vote.public_comment else None,
            bool(assignment.vote.comment) and not assignment.vote.public_comment,
        )
        for assignment in request.assignments
        if assignment.vote is not None
    ]
    waiting = sum(
        1
        for assignment in request.assignments
        if assignment.vote is None and assignment.state == AssignmentState.ACTIVE
    )
    if request.state != ValidationState.OPEN:
        waiting = 0
    return PublicValidation(
        request.id,
        request.state,
        request.created_at,
        request.deadline,
        request.closed_at,
        sorted(votes, key=lambda vote: (vote.cast_at, vote.pseudonym)),
        waiting,
    )


async def _ledger(
    session: AsyncSession, plan_id: int, report: ProgressReport, requests: list[ValidationRequest]
) -> list[LedgerEntry]:
    """The events about the report, its evidence, and its validations' requests, assignments,
    votes and questions, in chain order."""
    assignments = [assignment for request in requests for assignment in request.assignments]
    request_ids = [request.id for request in requests]
    questions = list(
        await session.scalars(
            select(InformationRequest.id).where(InformationRequest.request_id.in_(request_ids))
        )
    )
    about = {
        "progress_report": [report.id],
        "evidence": [item.id for item in report.evidence],
        "validation_request": request_ids,
        "validation_assignment": [assignment.id for assignment in assignments],
        "validation_vote": [a.vote.id for a in assignments if a.vote is not None],
        "validation_information": questions,
    }
    rows = await session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.plan_id == plan_id,
            or_(
                *(
                    and_(AuditEvent.entity_type == kind, AuditEvent.entity_id.in_(ids))
                    for kind, ids in about.items()
                    if ids
                )
            ),
        )
        .order_by(AuditEvent.seq)
    )
    return [
        LedgerEntry(event.seq, event.occurred_at, event.action, event.hash, event.prev_hash)
        for event in rows
    ]
