"""Agreements of a session: each recorded with its responsible and due date, and followed up
as a task of the plan, so that the plan's reminders and civil society's validation reach it.

An agreement either becomes a new task at the end of an activity, or updates a task that is
already there: its responsible joins the task's responsibles, its due date becomes the task's,
and the task's description cites the session. Only a session that took place (it started and
was not cancelled) has agreements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput
from core.infra import values
from core.meetings.meetings import get_meeting
from core.models import Agreement, Meeting, Person, Task
from core.notify.reminders import long_date
from core.people.people import get_responsibles
from core.plans.tasks import add_task, get_task, update_task
from i18n import DEFAULT_LANGUAGE, N_, gettext


@dataclass(frozen=True)
class AgreementView:
    """An agreement and the task that follows it up (None once that task was deleted)."""

    agreement: Agreement
    task: Task | None


def citation(meeting: Meeting, agreed: str) -> str:
    """What a task's description says of the agreement it follows up, in the default language
    (the description is one text, read by everyone)."""
    return gettext(
        DEFAULT_LANGUAGE,
        N_("Agreed at the session “{title}” of {date}: {text}"),
        title=meeting.title,
        date=long_date(meeting.held_on, DEFAULT_LANGUAGE),
        text=agreed,
    )


async def record_agreement(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    meeting_id: int,
    *,
    text: Any,
    responsible_id: int,
    due_date: Any,
    activity_id: int | None = None,
    task_id: int | None = None,
    now: datetime,
) -> AgreementView:
    """Record what the session agreed, as a new task of ``activity_id`` or an update of
    ``task_id`` (exactly one of them); the responsible is told in chat as for any task."""
    meeting = await get_held_meeting(session, secretariat_id, meeting_id, now)
    agreed = values.text(text, "text")
    due = values.day(due_date, "due_date")
    if due is None:
        raise InvalidInput(N_("The {field} cannot be empty."), field="due_date")
    if due < meeting.held_on:
        raise InvalidInput(
            N_("The due date {due} is before the session's day, {day}."),
            field="due_date",
            due=due.isoformat(),
            day=meeting.held_on.isoformat(),
        )
    if (activity_id is None) == (task_id is None):
        raise InvalidInput(
            N_("Give an activity (for a new task) or a task to update: one of the two."),
            field="activity_id" if activity_id is None else "task_id",
        )
    (person,) = await get_responsibles(session, secretariat_id, [responsible_id], "responsible_id")
    cited = citation(meeting, agreed)
    if activity_id is not None:
        task = await add_task(
            session,
            secretariat_id,
            actor,
            activity_id,
            title=agreed,
            description=cited,
            due_date=due,
            responsible_ids=[person.id],
        )
    else:
        assert task_id is not None
        task = await _follow_up(session, secretariat_id, actor, task_id, person, due, cited)
    _, plan = await get_task(session, secretariat_id, task.id)
    agreement = Agreement(
        meeting_id=meeting.id,
        text=agreed,
        responsible_id=person.id,
        due_date=due,
        task_id=task.id,
        became_task=activity_id is not None,
        recorded_at=now,
        recorded_by=str(actor),
    )
    await chain.about(
        session,
        agreement,
        "agreement.create",
        actor,
        secretariat_id,
        plan.id,
        data={
            "meeting_id": meeting.id,
            "task_id": task.id,
            "became_task": agreement.became_task,
            "responsible_id": person.id,
            "due_date": due.isoformat(),
            "text": agreed,
        },
    )
    return AgreementView(agreement, task)


async def get_held_meeting(
    session: AsyncSession, secretariat_id: int, meeting_id: int, now: datetime
) -> Meeting:
    """The meeting, if it took place: agreements and minutes come out of a session."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    if meeting.cancelled_at is not None:
        raise Conflict(
            N_("Session {id} was cancelled; it has no agreements nor minutes."), id=meeting.id
        )
    if now < meeting.starts_at:
        raise Conflict(
            N_("Session {id} has not started yet; its agreements and minutes come after it."),
            id=meeting.id,
        )
    return meeting


async def _follow_up(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    task_id: int,
    person: Person,
    due: date,
    cited: str,
) -> Task:
    """The existing task, now also the person's, due on ``due``, citing the session."""
    task, _plan = await get_task(session, secretariat_id, task_id)
    description = "\n\n".join(part for part in (task.description, cited) if part)
    return await update_task(
        session,
        secretariat_id,
        actor,
        task.id,
        responsible_ids=[*task.responsible_ids, person.id],
        due_date=due,
        description=description,
    )


async def list_agreements(
    session: AsyncSession, secretariat_id: int, meeting_id: int
) -> list[AgreementView]:
    """The meeting's agreements in the order they were recorded, each with its task."""
    meeting = await get_meeting(session, secretariat_id, meeting_id)
    rows = await session.execute(
        select(Agreement, Task)
        .outerjoin(Task, Task.id == Agreement.task_id)
        .where(Agreement.meeting_id == meeting.id)
        .order_by(Agreement.id)
    )
    return [AgreementView(agreement, task) for agreement, task in rows]
