"""Help requests: staff ask their coordination for help with a task, or report it blocked.

Every request is kept, and each coordinator reachable on Telegram is sent it through the
outbox. Whether any was reachable is what the person is told, and what the coordination reads
in the admin API next to the request (with whether a message has been delivered), until
someone marks it resolved. A blocked request is resolved on its own when the task leaves the
blocked status or is reported blocked for another reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.errors import Conflict
from core.infra import listing
from core.infra.lookup import of_secretariat, one_row
from core.models import (
    Activity,
    HelpKind,
    HelpRequest,
    Notification,
    NotificationState,
    Objective,
    Person,
    Plan,
    ProgressReport,
    Task,
    TaskStatus,
    utcnow,
)
from core.notify import outbox
from core.people import people
from core.plans.editable import check_version
from i18n import N_, gettext


@dataclass(frozen=True)
class HelpRequestView:
    """A request as the coordination reads it: who asked, when, about which task of which plan,
    and whether a coordinator was reached."""

    id: int
    kind: HelpKind
    task_id: int
    task_code: str
    task_title: str
    task_status: TaskStatus
    plan_id: int
    plan_title: str
    person_id: int
    person_name: str
    message: str | None
    asked_at: datetime
    coordinators_notified: int
    coordinator_reached: bool
    resolved_at: datetime | None
    resolved_by: str | None
    version: int


async def ask_for_help(
    session: AsyncSession, person: Person, task: Task, now: datetime
) -> HelpRequest:
    """The person's open request for help with the task (a new one if none is open), its
    reachable coordinators told once a day."""
    request = await session.scalar(
        select(HelpRequest).where(
            HelpRequest.task_id == task.id,
            HelpRequest.person_id == person.id,
            HelpRequest.kind == HelpKind.HELP,
            HelpRequest.resolved_at.is_(None),
        )
    )
    if request is None:
        request = _new(person, task, HelpKind.HELP)
    day = now.date().isoformat()
    await _tell(
        session,
        person,
        request,
        "help_requested",
        key=lambda coordinator: f"help:{task.id}:{person.id}:{coordinator.id}:{day}",
        text=lambda language: gettext(
            language,
            N_("{name} needs help with task {task}. Please get in touch with them."),
            name=person.display_name,
            task=task.label,
        ),
    )
    return request


async def report_blocked(
    session: AsyncSession, person: Person, task: Task, report: ProgressReport
) -> HelpRequest:
    """A request holding what the report says blocks the task, in place of the task's earlier
    one; its reachable coordinators told."""
    await resolve_blocked(session, task.id, Actor.person(person.id))
    request = _new(person, task, HelpKind.BLOCKED, report.blocked_reason, report)
    await _tell(
        session,
        person,
        request,
        "task_blocked",
        key=lambda coordinator: f"blocked:{report.id}:{coordinator.id}",
        text=lambda language: gettext(
            language,
            N_("{name} reports task {task} blocked: {reason}"),
            name=person.display_name,
            task=task.label,
            reason=report.blocked_reason,
        ),
    )
    return request


async def resolve_blocked(session: AsyncSession, task_id: int, actor: Actor) -> None:
    """The task's open blocked requests are settled: it is no longer blocked for their reason."""
    await session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.task_id == task_id,
            HelpRequest.kind == HelpKind.BLOCKED,
            HelpRequest.resolved_at.is_(None),
        )
        .values(resolved_at=utcnow(), resolved_by=str(actor), version=HelpRequest.version + 1)
        .execution_options(synchronize_session="fetch")
    )


async def open_blocked(session: AsyncSession, task_id: int) -> HelpRequest | None:
    """The task's open blocked request, if any."""
    return await session.scalar(
        select(HelpRequest)
        .where(
            HelpRequest.task_id == task_id,
            HelpRequest.kind == HelpKind.BLOCKED,
            HelpRequest.resolved_at.is_(None),
        )
        .order_by(HelpRequest.id.desc())
        .limit(1)
    )


def _new(
    person: Person,
    task: Task,
    kind: HelpKind,
    message: str | None = None,
    report: ProgressReport | None = None,
) -> HelpRequest:
    return HelpRequest(
        secretariat_id=person.secretariat_id,
        task_id=task.id,
        person_id=person.id,
        kind=kind,
        message=message,
        report_id=None if report is None else report.id,
    )


async def _tell(
    session: AsyncSession,
    person: Person,
    request: HelpRequest,
    kind: str,
    *,
    key: Callable[[Person], str],
    text: Callable[[str], str],
) -> None:
    """Keep the request, with how many coordinators are reachable on Telegram, and write it to
    each of them (``key`` and ``text`` by coordinator and language)."""
    coordinators = await people.coordinators(
        session, person.secretariat_id, besides=person.id, reachable_only=True
    )
    request.coordinators_notified = len(coordinators)
    session.add(request)
    await session.flush()  # its id names it in the notifications
    for coordinator in coordinators:
        await outbox.enqueue(
            session,
            person=coordinator,
            kind=kind,
            key=key(coordinator),
            text=text(coordinator.language),
            about=request,
        )


def _views() -> Select[HelpRequest, Task, Plan, Person, bool]:
    reached = exists().where(
        Notification.subject_type == HelpRequest.__tablename__,
        Notification.subject_id == HelpRequest.id,
        Notification.state == NotificationState.SENT,
    )
    return (
        select(HelpRequest, Task, Plan, Person, reached.label("reached"))
        .join(Task, Task.id == HelpRequest.task_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .join(Plan, Plan.id == Objective.plan_id)
        .join(Person, Person.id == HelpRequest.person_id)
    )


def _view(row: Row[HelpRequest, Task, Plan, Person, bool]) -> HelpRequestView:
    request, task, plan, person, reached = row
    return HelpRequestView(
        id=request.id,
        kind=request.kind,
        task_id=task.id,
        task_code=task.code,
        task_title=task.title,
        task_status=task.status,
        plan_id=plan.id,
        plan_title=plan.title,
        person_id=person.id,
        person_name=person.display_name,
        message=request.message,
        asked_at=request.created_at,
        coordinators_notified=request.coordinators_notified,
        coordinator_reached=bool(reached),
        resolved_at=request.resolved_at,
        resolved_by=request.resolved_by,
        version=request.version,
    )


HELP_SORTING = listing.Sorting(
    {"asked_at": HelpRequest.created_at},
    default="-asked_at",
    tie_breaker=HelpRequest.id.desc(),
)


async def list_requests(
    session: AsyncSession,
    secretariat_id: int,
    *,
    resolved: bool | None = False,
    kind: HelpKind | None = None,
    plan_id: int | None = None,
    limit: int,
    offset: int,
) -> listing.Page[HelpRequestView]:
    """The secretariat's requests, newest first: open ones unless ``resolved`` says otherwise
    (None: every one)."""
    query = _views().where(
        HelpRequest.secretariat_id == secretariat_id,
        *listing.given_filters((HelpRequest.kind, kind), (Plan.id, plan_id)),
    )
    if resolved is not None:
        query = query.where(
            HelpRequest.resolved_at.is_not(None) if resolved else HelpRequest.resolved_at.is_(None)
        )
    page = await listing.paginate(
        session, query, HELP_SORTING, limit=limit, offset=offset, whole_rows=True
    )
    return page.map(_view)


async def open_in_plan(
    session: AsyncSession, plan_id: int, kind: HelpKind
) -> Sequence[HelpRequestView]:
    """The plan's open requests of one kind, oldest first."""
    rows = await session.execute(
        _views()
        .where(Plan.id == plan_id, HelpRequest.kind == kind, HelpRequest.resolved_at.is_(None))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    return [_view(row) for row in rows.all()]


async def get_request(
    session: AsyncSession, secretariat_id: int, request_id: int
) -> HelpRequestView:
    """One of the secretariat's requests."""
    query = _views().where(
        HelpRequest.id == request_id, HelpRequest.secretariat_id == secretariat_id
    )
    row = await one_row(session, query, N_("Help request {id} not found."), request_id)
    return _view(row)


async def resolve(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    request_id: int,
    *,
    expected_version: int | None = None,
) -> HelpRequestView:
    """Mark the request, still at the version its caller read, resolved."""
    request = await of_secretariat(
        session, HelpRequest, secretariat_id, request_id, N_("Help request {id} not found.")
    )
    check_version(request.version, expected_version)
    if request.resolved_at is not None:
        raise Conflict(N_("Help request {id} is already resolved."), id=request_id)
    request.resolved_at = utcnow()
    request.resolved_by = str(actor)
    await session.flush()
    return await get_request(session, secretariat_id, request_id)
