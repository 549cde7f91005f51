"""People of a secretariat: their roles, reading, listing and changing them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.audit.changes import apply_changes, record_update
from core.errors import Conflict, InvalidInput, NotFound
from core.infra.listing import Page, Sorting, given_filters, like_pattern, paginate
from core.infra.lookup import of_secretariat
from core.models import (
    Person,
    PersonRole,
    Role,
    Secretariat,
    Sector,
    utcnow,
)
from i18n import LANGUAGES, N_

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def local_date(where: Person | Secretariat, moment: datetime) -> date:
    """The day ``moment`` falls on where the person (or the secretariat) is."""
    return moment.astimezone(ZoneInfo(where.time_zone)).date()


def local_today(where: Person | Secretariat) -> date:
    """Today's date where the person (or the secretariat) is: reminders and absences count in
    the person's days, plan views in the secretariat's."""
    return local_date(where, utcnow())


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
    actor: chain.Author,
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
    # Personal data stays out of the audit log; roles and sector are enough to follow.
    data = {"roles": sorted(role_set), "sector": sector, "consent_version": consent_version}
    await chain.about(session, person, "person.create", actor, secretariat_id, data=data)
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
    actor: Actor,
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
    # As for a new person: which fields were filled, never their values.
    data = {"filled": filled, "language": language, "consent_version": consent_version}
    await chain.about(session, person, "person.link", actor, person.secretariat_id, data=data)
    return person


async def _refuse_registered(session: AsyncSession, telegram_id: int) -> None:
    if await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id)):
        raise Conflict(N_("That Telegram account is already registered."))


def _handle(telegram_username: str | None) -> str | None:
    return telegram_username.lstrip("@") if telegram_username else None


PERSON_SORTING = Sorting(
    {"id": Person.id, "name": Person.name, "created_at": Person.created_at},
    default="name",
    tie_breaker=Person.id,
)


async def list_people(
    session: AsyncSession,
    secretariat_id: int,
    *,
    role: Role | None = None,
    sector: Sector | None = None,
    reachable: bool | None = None,
    search: str | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Person]:
    query = select(Person).where(
        Person.secretariat_id == secretariat_id,
        Person.erased_at.is_(None),
        *given_filters((Person.sector, sector)),
    )
    if role is not None:
        query = query.where(
            exists().where(PersonRole.person_id == Person.id, PersonRole.role == role)
        )
    if reachable is not None:
        query = query.where(Person.reachable.is_(reachable))
    if search:
        pattern = like_pattern(search)
        query = query.where(
            or_(
                Person.name.ilike(pattern, escape="\\"),
                Person.email.ilike(pattern, escape="\\"),
                Person.telegram_username.ilike(pattern, escape="\\"),
            )
        )
    return await paginate(session, query, PERSON_SORTING, sort=sort, limit=limit, offset=offset)


PERSON_FIELDS = (
    "name",
    "roles",
    "sector",
    "organisation",
    "email",
    "language",
    "time_zone",
    "reachable",
)


async def update_person(
    session: AsyncSession, secretariat_id: int, actor: Actor, person_id: int, **fields: Any
) -> Person:
    person = await get_person(session, secretariat_id, person_id)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(N_("Unknown field {field}."), field=sorted(unknown)[0])
    roles = {Role(role) for role in fields.pop("roles", person.roles)}
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower() if fields["email"] else None
    if "sector" in fields and fields["sector"] is not None:
        fields["sector"] = Sector(fields["sector"])
    merged = {name: fields.get(name, getattr(person, name)) for name in PERSON_FIELDS[2:]}
    check_person_fields(
        roles, merged["sector"], merged["language"], merged["time_zone"], merged["email"]
    )
    email = fields.get("email")
    if (
        email
        and email != person.email
        and await session.scalar(
            select(Person.id).where(Person.secretariat_id == secretariat_id, Person.email == email)
        )
    ):
        raise Conflict(N_("Someone with the email {email} already exists."), email=email)
    change = apply_changes(person, fields)
    if roles != person.roles:
        change["before"]["roles"] = sorted(person.roles)
        change["after"]["roles"] = sorted(roles)
        person.role_links = [PersonRole(role=role) for role in sorted(roles)]
    if change["after"]:
        # Personal data stays out of the audit log: only which fields changed, and roles.
        data = {
            "fields": sorted(change["after"]),
            "roles": change["after"].get("roles"),
            "reachable": change["after"].get("reachable"),
        }
        await record_update(session, actor, "person", person, secretariat_id, None, data)
    return person


async def get_person(session: AsyncSession, secretariat_id: int, person_id: int) -> Person:
    """The person of the secretariat, never one of another."""
    missing = N_("Person {id} not found.")
    return await of_secretariat(session, Person, secretariat_id, person_id, missing)


async def get_people(
    session: AsyncSession, secretariat_id: int, ids: Iterable[int], field: str
) -> list[Person]:
    """The secretariat's people named by ``ids``, in that order and each once; an id of
    nobody there is refused as missing, naming ``field``."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {
        person.id: person
        for person in await session.scalars(
            select(Person).where(Person.id.in_(wanted), Person.secretariat_id == secretariat_id)
        )
    }
    for person_id in wanted:
        if person_id not in found:
            raise NotFound(N_("Person {id} not found."), field=field, id=person_id)
    return [found[person_id] for person_id in wanted]


async def get_responsibles(
    session: AsyncSession, secretariat_id: int, ids: Iterable[int], field: str
) -> list[Person]:
    """The people ``ids`` name, as ``get_people`` finds them, to be made responsible for
    something; someone who erased their data is refused, for nobody could reach or name them."""
    chosen = await get_people(session, secretariat_id, ids, field)
    for person in chosen:
        if person.erased_at is not None:
            raise InvalidInput(
                N_("Person {id} erased their data; choose another responsible."),
                field=field,
                id=person.id,
            )
    return chosen


async def coordinators(
    session: AsyncSession,
    *secretariat_ids: int,
    besides: int | None = None,
    reachable_only: bool = False,
) -> list[Person]:
    """The coordinators of the secretariats, in one statement, by id.

    ``besides`` leaves one person out (the one whose news they hear); ``reachable_only`` keeps
    those the bot can write to.
    """
    query = (
        select(Person)
        .join(PersonRole)
        .where(Person.secretariat_id.in_(secretariat_ids), PersonRole.role == Role.COORDINATOR)
        .order_by(Person.id)
    )
    if besides is not None:
        query = query.where(Person.id != besides)
    if reachable_only:
        query = query.where(Person.reachable.is_(True), Person.telegram_id.is_not(None))
    return list(await session.scalars(query))
