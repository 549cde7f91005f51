"""Progress reports: a responsible tells how their task goes, with evidence.

A report updates the task (status, percent, hours), is audited with the SHA-256 of each piece of
evidence, asks the coordination for help when the task becomes blocked (or its reason changes),
and, when the task is done, tells the responsibles of each successor whose predecessors are all
done that their inputs are ready.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput, PermissionDenied
from core.infra import listing
from core.infra.lookup import one
from core.infra.values import non_negative, percent
from core.models import (
    Activity,
    Evidence,
    Indicator,
    Measurement,
    Objective,
    Person,
    Plan,
    ProgressReport,
    Task,
    TaskDependency,
    TaskStatus,
)
from core.notify import outbox
from core.plans import tasks
from core.reporting import help_requests
from core.reporting.evidence import EvidenceItem, audited
from core.validation.requests import request_on_done
from i18n import N_, gettext

REPORTABLE = (TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.DONE)
MAX_HOURS_PER_REPORT = Decimal(744)  # a month, day and night


async def reportable_task(session: AsyncSession, person: Person, task_id: int) -> tuple[Task, Plan]:
    """The task (and its plan) if ``person`` may report on it now; a clear refusal otherwise."""
    task, plan = await tasks.get_task(session, person.secretariat_id, task_id)
    if person.id not in {responsible.id for responsible in task.responsibles}:
        raise PermissionDenied(N_("Task {task} is not assigned to you."), task=task.code)
    if task.status == TaskStatus.DONE:
        raise Conflict(N_("Task {task} is already done."), task=task.code)
    if task.status == TaskStatus.CANCELLED:
        raise Conflict(N_("Task {task} was cancelled."), task=task.code)
    return task, plan


async def submit_report(
    session: AsyncSession,
    person: Person,
    task_id: int,
    *,
    status: TaskStatus | str,
    percent_done: Any = None,
    hours: Any = 0,
    note: str | None = None,
    blocked_reason: str | None = None,
    evidence: Sequence[EvidenceItem] = (),
) -> ProgressReport:
    task, plan = await reportable_task(session, person, task_id)
    status = TaskStatus(status)
    if status not in REPORTABLE:
        raise InvalidInput(
            N_("A report marks a task in progress, blocked or done."), field="status"
        )
    if status == TaskStatus.BLOCKED and not (blocked_reason or "").strip():
        raise InvalidInput(N_("Say what blocks the task."), field="blocked_reason")
    done = (
        100
        if status == TaskStatus.DONE
        else percent(percent_done if percent_done is not None else task.percent)
    )
    worked = non_negative(hours, "hours")
    if worked > MAX_HOURS_PER_REPORT:
        raise InvalidInput(N_("That is more hours than a month has."), field="hours")
    actor = Actor.person(person.id)
    newly_blocked = status == TaskStatus.BLOCKED and (
        task.status != TaskStatus.BLOCKED
        or blocked_reason != await last_blocked_reason(session, task.id)
    )
    await tasks.update_task(
        session,
        person.secretariat_id,
        actor,
        task.id,
        status=status,
        percent=done,
        logged_hours=task.logged_hours + worked,
    )
    report = ProgressReport(
        task_id=task.id,
        person_id=person.id,
        status=status,
        percent=done,
        hours=worked,
        note=note,
        blocked_reason=blocked_reason if status == TaskStatus.BLOCKED else None,
        evidence=[Evidence(**vars(item)) for item in evidence],
    )
    data = {
        "task": task.code,
        "status": status,
        "percent": done,
        "hours": worked,
        "evidence": audited(evidence),
    }
    await chain.about(session, report, "report.create", actor, person.secretariat_id, plan.id, data)
    if newly_blocked:
        await help_requests.report_blocked(session, person, task, report)
    if status == TaskStatus.DONE:
        await hand_off(session, task)
        await request_on_done(session, report, plan)
    return report


REPORT_SORTING = listing.Sorting(
    {"created_at": ProgressReport.created_at},
    default="-created_at",
    tie_breaker=ProgressReport.id.desc(),
)


async def list_reports(
    session: AsyncSession, secretariat_id: int, task_id: int, *, limit: int, offset: int
) -> listing.Page[ProgressReport]:
    """A task's reports, newest first, each with its evidence."""
    task, _plan = await tasks.get_task(session, secretariat_id, task_id)
    return await listing.paginate(
        session,
        select(ProgressReport).where(ProgressReport.task_id == task.id),
        REPORT_SORTING,
        limit=limit,
        offset=offset,
    )


async def get_evidence(session: AsyncSession, secretariat_id: int, evidence_id: int) -> Evidence:
    """One piece of evidence of the secretariat's task reports or indicator measurements."""
    query = (
        select(Evidence)
        .outerjoin(ProgressReport, ProgressReport.id == Evidence.report_id)
        .outerjoin(Task, Task.id == ProgressReport.task_id)
        .outerjoin(Activity, Activity.id == Task.activity_id)
        .outerjoin(Objective, Objective.id == Activity.objective_id)
        .outerjoin(Measurement, Measurement.id == Evidence.measurement_id)
        .outerjoin(Indicator, Indicator.id == Measurement.indicator_id)
        .join(Plan, or_(Plan.id == Objective.plan_id, Plan.id == Indicator.plan_id))
        .where(Evidence.id == evidence_id, Plan.secretariat_id == secretariat_id)
    )
    return await one(session, query, N_("Evidence {id} not found."), evidence_id)


async def last_blocked_reason(session: AsyncSession, task_id: int) -> str | None:
    """What the latest report of a blocked task said blocks it."""
    return await session.scalar(
        select(ProgressReport.blocked_reason)
        .where(ProgressReport.task_id == task_id, ProgressReport.blocked_reason.is_not(None))
        .order_by(ProgressReport.id.desc())
        .limit(1)
    )


async def blocked_reasons(session: AsyncSession, task_ids: Collection[int]) -> dict[int, str]:
    """What blocks each of the tasks whose latest report says so."""
    if not task_ids:
        return {}
    latest = (
        select(func.max(ProgressReport.id))
        .where(ProgressReport.task_id.in_(task_ids))
        .group_by(ProgressReport.task_id)
    )
    rows = await session.execute(
        select(ProgressReport.task_id, ProgressReport.blocked_reason).where(
            ProgressReport.id.in_(latest), ProgressReport.blocked_reason.is_not(None)
        )
    )
    return {task_id: reason for task_id, reason in rows.all() if reason}


async def hand_off(session: AsyncSession, task: Task) -> list[Task]:
    """Tell the responsibles of each successor now free to start that their inputs are ready."""
    successors = (
        await session.scalars(
            select(Task)
            .join(TaskDependency, TaskDependency.successor_id == Task.id)
            .where(TaskDependency.predecessor_id == task.id)
            .options(selectinload(Task.responsibles))
        )
    ).all()
    if not successors:
        return []
    waiting = set(
        (
            await session.scalars(
                select(TaskDependency.successor_id)
                .join(Task, Task.id == TaskDependency.predecessor_id)
                .where(
                    TaskDependency.successor_id.in_([successor.id for successor in successors]),
                    Task.status != TaskStatus.DONE,
                )
            )
        ).all()
    )
    ready = [successor for successor in successors if successor.id not in waiting]
    for successor in ready:
        for person in successor.responsibles:
            await outbox.enqueue(
                session,
                person=person,
                kind="inputs_ready",
                key=f"inputs-ready:{successor.id}:{person.id}",
                text=gettext(
                    person.language,
                    N_("You can start {task}: {done} is done and delivered {outputs}."),
                    task=successor.label,
                    done=task.label,
                    outputs=", ".join(task.outputs) or "—",
                ),
                about=successor,
            )
    return ready
