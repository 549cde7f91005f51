"""People of a secretariat and their roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.i18n import LANGUAGES, N_
from core.errors import Conflict, InvalidInput
from core.models import Person, PersonRole, Role, Sector, utcnow
from core.services import audit

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def local_today(person: Person) -> date:
    """Today's date where the person is (reminders and absences count in their days)."""
    return utcnow().astimezone(ZoneInfo(person.time_zone)).date()


def check_person_fields(
    roles: set[Role], sector: Sector | None, language: str, time_zone: str, email: str | None
) -> None:
    if not roles:
        raise InvalidInput(N_("A person needs at least one role."), field="roles")
    if Role.CIVIL_SOCIETY in roles and sector is None:
        raise InvalidInput(N_("Civil-society members need a sector."), field="sector")
    if language not in LANGUAGES:
        raise InvalidInput(
            N_("Unsupported language {language}."), field="language", language=language
        )
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            N_("Unknown time zone {zone}."), field="time_zone", zone=time_zone
        ) from None
    if email is not None and not EMAIL.match(email):
        raise InvalidInput(N_("{email} is not a valid email address."), field="email", email=email)


async def create_person(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    *,
    roles: Iterable[Role],
    name: str | None = None,
    sector: Sector | None = None,
    organisation: str | None = None,
    email: str | None = None,
    telegram_id: int | None = None,
    telegram_username: str | None = None,
    language: str = "es",
    time_zone: str = "America/Mexico_City",
    consent_version: str | None = None,
) -> Person:
    role_set = {Role(role) for role in roles}
    email = email.strip().lower() if email else None
    check_person_fields(role_set, sector, language, time_zone, email)
    if email and await session.scalar(
        select(Person.id).where(Person.secretariat_id == secretariat_id, Person.email == email)
    ):
        raise Conflict(N_("Someone with the email {email} already exists."), email=email)
    if telegram_id is not None:
        await _refuse_registered(session, telegram_id)
    person = Person(
        secretariat_id=secretariat_id,
        name=name,
        sector=sector,
        organisation=organisation,
        email=email,
        telegram_id=telegram_id,
        telegram_username=_handle(telegram_username),
        language=language,
        time_zone=time_zone,
        role_links=[PersonRole(role=role) for role in sorted(role_set)],
    )
    if consent_version:
        person.consent_version, person.consented_at = consent_version, utcnow()
    session.add(person)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="person.create",
        entity_type="person",
        entity_id=person.id,
        secretariat_id=secretariat_id,
        # Personal data stays out of the audit log; roles and sector are enough to follow.
        data={"roles": sorted(role_set), "sector": sector, "consent_version": consent_version},
    )
    return person


def ensure_linkable(person: Person) -> None:
    """Refuse to link a Telegram account to a person who has one, or who erased their data."""
    if person.erased_at is not None:
        raise Conflict(
            N_("Person {id} erased their personal data: they can join again only as someone new."),
            id=person.id,
        )
    if person.telegram_id is not None:
        raise Conflict(
            N_("{name} has already joined with a Telegram account."), name=person.display_name
        )


async def link_telegram(
    session: AsyncSession,
    person: Person,
    actor: str,
    *,
    telegram_id: int,
    telegram_username: str | None,
    language: str,
    consent_version: str,
    name: str | None = None,
    organisation: str | None = None,
) -> Person:
    """Make a Telegram account the person's own, with their consent; a name or organisation is
    taken only where the record has none."""
    ensure_linkable(person)
    await _refuse_registered(session, telegram_id)
    filled = ["telegram"]
    if name and not person.name:
        person.name = name
        filled.append("name")
    if organisation and not person.organisation:
        person.organisation = organisation
        filled.append("organisation")
    person.telegram_id = telegram_id
    person.telegram_username = _handle(telegram_username)
    person.language = language
    person.consent_version, person.consented_at = consent_version, utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="person.link",
        entity_type="person",
        entity_id=person.id,
        secretariat_id=person.secretariat_id,
        # As for a new person: which fields were filled, never their values.
        data={"filled": filled, "language": language, "consent_version": consent_version},
    )
    return person


async def _refuse_registered(session: AsyncSession, telegram_id: int) -> None:
    if await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id)):
        raise Conflict(N_("That Telegram account is already registered."))


def _handle(telegram_username: str | None) -> str | None:
    return telegram_username.lstrip("@") if telegram_username else None
