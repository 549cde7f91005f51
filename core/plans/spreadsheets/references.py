"""How a plan spreadsheet names people: by email, Telegram @handle or #id, read and written."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from core.models import Person
from core.plans.spreadsheets.columns import Sheet
from core.plans.spreadsheets.problems import CellError
from i18n import N_


def person_reference(person_id: int, email: str | None, username: str | None) -> str:
    """How the file names a person: their email, else their @handle, else their #id."""
    return email or (f"@{username}" if username else f"#{person_id}")


async def people_by_reference(
    session: AsyncSession, secretariat_id: int, references: set[str]
) -> dict[str, int]:
    """Person ids of the secretariat by how the file names them, in one statement."""
    emails = {ref.lower() for ref in references if "@" in ref and not ref.startswith("@")}
    handles = {ref.lstrip("@").lower() for ref in references if ref.startswith("@")}
    ids = {int(ref[1:]) for ref in references if re.fullmatch(r"#\d{1,9}", ref)}
    if not (emails or handles or ids):
        return {}
    rows = await session.execute(
        select(Person.id, Person.email, Person.telegram_username).where(
            Person.secretariat_id == secretariat_id,
            Person.erased_at.is_(None),
            or_(
                Person.email.in_(emails),
                func.lower(Person.telegram_username).in_(handles),
                Person.id.in_(ids),
            ),
        )
    )
    found: dict[str, int] = {}
    for person_id, email, username in rows:
        found[f"#{person_id}"] = person_id
        if email:
            found[email.lower()] = person_id
        if username:
            found[f"@{username.lower()}"] = person_id
    return found


def _key(reference: str) -> str:
    return reference if reference.startswith("#") else reference.lower()


def referenced(references: Iterable[str], people: dict[str, int]) -> frozenset[int]:
    """The ids of the people ``references`` name, each known to ``people``."""
    return frozenset(people[_key(reference)] for reference in references)


def unknown(
    rows: Iterable[tuple[int, list[str]]], people: dict[str, int], sheet: Sheet
) -> list[CellError]:
    """A problem for each reference of the rows (row number, references) that names nobody of
    the secretariat."""
    return [
        CellError(
            row,
            "responsibles",
            InvalidInput(
                N_("Nobody in this secretariat is {reference} (use an email, @handle or #id)."),
                reference=reference,
            ),
            sheet,
        )
        for row, references in rows
        for reference in references
        if _key(reference) not in people
    ]
