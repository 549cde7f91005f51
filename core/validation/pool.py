"""Who may be asked to validate: never the paused, the least recently asked first, over sectors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain, ledger
from core.audit.actor import Actor
from core.errors import Conflict, PermissionDenied
from core.models import (
    Person,
    PersonRole,
    Role,
    Sector,
    ValidationAssignment,
    ValidationPolicy,
    ValidatorPause,
)
from i18n import N_, Localized, N_plural, ngettext

NEVER = datetime.min.replace(tzinfo=UTC)


class NoValidatorAvailable(Conflict):
    """Too few in the pool may be asked for the policy's quorum to be reached: nobody, or
    fewer people or sectors than it needs."""


@dataclass(frozen=True)
class _Counted(Localized):
    """``n`` things as the message's language counts them: "1 sector", "2 sectores"."""

    forms: tuple[str, str]
    n: int

    def in_language(self, language: str) -> str:
        return ngettext(language, *self.forms, self.n)


def check_enough(pool: Sequence[Person], policy: ValidationPolicy, nobody: str) -> None:
    """Refuse, before anyone is asked, a request whose quorum ``pool`` can never reach: each
    may confirm once, so it needs as many people and sectors as the policy's confirmations."""
    if not pool:
        raise NoValidatorAvailable(nobody)
    sectors = len({person.sector for person in pool})
    if len(pool) < policy.min_confirmations or sectors < policy.min_sectors:
        raise NoValidatorAvailable(
            N_(
                "Only {validators} from {sectors} can be asked to validate, and the validation "
                "policy needs {confirmations} from {min_sectors}."
            ),
            validators=_Counted(N_plural("{n} person", "{n} people"), len(pool)),
            sectors=_Counted(N_plural("{n} sector", "{n} sectors"), sectors),
            confirmations=_Counted(
                N_plural("{n} confirmation", "{n} confirmations"), policy.min_confirmations
            ),
            min_sectors=_Counted(N_plural("{n} sector", "{n} sectors"), policy.min_sectors),
        )


async def pause_validator(session: AsyncSession, person: Person) -> None:
    """Stop being chosen as a validator; requests already received stay open to answer."""
    if not person.has_role(Role.CIVIL_SOCIETY):
        raise PermissionDenied(N_("Only members of civil society validate reports."))
    if await session.get(ValidatorPause, person.id) is None:
        session.add(ValidatorPause(person_id=person.id))
        await session.flush()
        await _record_pool_change(session, person, "validator.pause")


async def resume_validator(session: AsyncSession, person: Person) -> None:
    if not person.has_role(Role.CIVIL_SOCIETY):
        raise PermissionDenied(N_("Only members of civil society validate reports."))
    pause = await session.get(ValidatorPause, person.id)
    if pause is not None:
        await session.delete(pause)
        await session.flush()
        await _record_pool_change(session, person, "validator.resume")


async def is_paused(session: AsyncSession, person: Person) -> bool:
    return await session.get(ValidatorPause, person.id) is not None


async def _record_pool_change(session: AsyncSession, person: Person, action: str) -> None:
    alias = await ledger.pseudonym(session, person.id)
    await chain.record(
        session,
        actor=Actor.validator(alias),
        action=action,
        entity_type="validator",
        entity_id=None,
        secretariat_id=person.secretariat_id,
        data={"validator": alias, "sector": person.sector},
    )


def _organisation(person: Person | None) -> str | None:
    if person is None or not person.organisation:
        return None
    return " ".join(person.organisation.casefold().split()) or None


async def eligible_validators(
    session: AsyncSession, secretariat_id: int, reporter: Person | None, request_id: int | None
) -> tuple[list[Person], dict[int, datetime]]:
    """Who may be asked now, and when each was last asked."""
    query = (
        select(Person)
        .join(PersonRole)
        .where(
            Person.secretariat_id == secretariat_id,
            PersonRole.role == Role.CIVIL_SOCIETY,
            Person.sector.is_not(None),
            Person.erased_at.is_(None),
            Person.telegram_id.is_not(None),
            Person.reachable.is_(True),
            Person.id.not_in(select(ValidatorPause.person_id)),
        )
    )
    if reporter is not None:
        query = query.where(Person.id != reporter.id)
    if request_id is not None:
        query = query.where(
            Person.id.not_in(
                select(ValidationAssignment.person_id).where(
                    ValidationAssignment.request_id == request_id
                )
            )
        )
    organisation = _organisation(reporter)
    people = [
        person
        for person in await session.scalars(query)
        if organisation is None or _organisation(person) != organisation
    ]
    last_asked = dict(
        (
            await session.execute(
                select(ValidationAssignment.person_id, func.max(ValidationAssignment.asked_at))
                .where(ValidationAssignment.person_id.in_([person.id for person in people]))
                .group_by(ValidationAssignment.person_id)
            )
        ).all()
    )
    return people, {person_id: _aware(when) for person_id, when in last_asked.items()}


def _aware(moment: datetime) -> datetime:
    # SQLite hands aggregates back as naive UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def choose(
    candidates: Sequence[Person],
    last_asked: dict[int, datetime],
    covered: Counter[Sector],
    count: int,
) -> list[Person]:
    """Up to ``count`` people: the least covered sector first, then the least recently asked."""
    pool = list(candidates)
    sectors: Counter[Sector | None] = Counter(covered)
    chosen: list[Person] = []
    while pool and len(chosen) < count:
        best = min(pool, key=lambda p: (sectors[p.sector], last_asked.get(p.id, NEVER), p.id))
        pool.remove(best)
        chosen.append(best)
        sectors[best.sector] += 1
    return chosen
