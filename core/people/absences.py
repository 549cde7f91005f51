"""Absences: the days a person is away, when no reminders reach them (set with /ausente)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chat.finished import Finished
from core.errors import InvalidInput, NotFound
from core.models import Absence, Person
from core.people.people import local_today
from i18n import N_

ABSENCE = "absence"  # the form /ausente runs
NOT_PLANNED = N_("That absence is no longer planned.")
MAX_DAYS = 366


async def record(
    session: AsyncSession, person: Person, starts_on: date, ends_on: date, today: date
) -> Absence:
    """Add an absence; it must end today or later, after it starts, within a year."""
    if ends_on < starts_on:
        raise InvalidInput(
            N_("The last day must be the first day or a later one."), field="ends_on"
        )
    if ends_on < today:
        raise InvalidInput(N_("Those days are already past."), field="ends_on")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise InvalidInput(N_("An absence can last a year at most."), field="ends_on")
    absence = Absence(person_id=person.id, starts_on=starts_on, ends_on=ends_on)
    session.add(absence)
    await session.flush()
    return absence


async def settle(session: AsyncSession, finished: Finished) -> Absence:
    """The absence a completed /ausente conversation asked for, checked as ``record`` does."""
    person = finished.person
    assert person is not None, "only a registered person runs /ausente"
    return await record(
        session,
        person,
        date.fromisoformat(finished.answers["starts_on"]),
        date.fromisoformat(finished.answers["ends_on"]),
        local_today(person),
    )


async def upcoming(session: AsyncSession, person: Person, today: date) -> list[Absence]:
    """The person's absences that have not ended, soonest first."""
    return list(
        await session.scalars(
            select(Absence)
            .where(Absence.person_id == person.id, Absence.ends_on >= today)
            .order_by(Absence.starts_on, Absence.id)
        )
    )


def under_way(absence: Absence, today: date) -> bool:
    return absence.starts_on <= today


async def end_early(session: AsyncSession, person: Person, absence_id: int, today: date) -> bool:
    """The person is back before an absence ends: reminders reach them again from today.

    An absence that began before today ends yesterday; one that begins today or later is
    dropped. True if it was under way. Only the person's own absence, and only one that has not
    ended, can be ended.
    """
    absence = await session.get(Absence, absence_id, with_for_update=True)
    if absence is None or absence.person_id != person.id or absence.ends_on < today:
        raise NotFound(NOT_PLANNED)
    was_under_way = under_way(absence, today)
    if absence.starts_on < today:
        absence.ends_on = today - timedelta(days=1)
    else:
        await session.delete(absence)
    await session.flush()
    return was_under_way
