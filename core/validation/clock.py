"""Deadlines: silent validators replaced and reminded, requests settled when time is up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.infra.db import SessionFactory
from core.infra.periodic import every
from core.models import (
    AssignmentState,
    Person,
    ValidationAssignment,
    ValidationRequest,
    ValidationState,
    utcnow,
)
from core.notify.quiet_hours import QuietHours, after_quiet_hours
from core.validation import messages
from core.validation.outcome import settle
from core.validation.requests import prompt_validator, replace_assignment
from core.validation.subjects import subject_of


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
                await replace_assignment(
                    session, request, assignment, AssignmentState.EXPIRED, now, quiet
                )
        remind_from = request.deadline - timedelta(days=request.remind_days_before)
        if request.remind_days_before == 0 or now < remind_from:
            continue
        context = await subject_of(session, request)
        for assignment in request.assignments:
            if (
                assignment.state != AssignmentState.ACTIVE
                or assignment.vote is not None
                or assignment.reminded_at is not None
            ):
                continue
            validator = await session.get_one(Person, assignment.person_id)
            assignment.reminded_at = now
            await prompt_validator(
                session,
                request,
                context,
                validator,
                assignment,
                f"validation-reminder:{assignment.id}",
                messages.reminder_text(validator, context, request.deadline),
                scheduled_at=after_quiet_hours(quiet, validator, now),
            )
        await session.flush()


async def run_clock(
    session_factory: SessionFactory,
    interval: timedelta = timedelta(minutes=5),
    clock: Callable[[], datetime] = utcnow,
    quiet: QuietHours | None = None,
) -> None:
    """Call ``process_due`` every ``interval`` until cancelled (the bot's worker runs this)."""

    async def settle_due() -> None:
        async with session_factory() as session, session.begin():
            await process_due(session, clock(), quiet)

    await every(interval.total_seconds(), settle_due, what="processing validation deadlines")
