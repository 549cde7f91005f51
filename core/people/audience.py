"""Who a campaign or a meeting reaches: a rule of roles, sectors and chosen people, over the
owner's secretariat or, for the national team, over several or all of them.

Kept as a rule rather than a list of people, so that it can be applied again later (to people
who joined since, or after it changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.models import Person, Role, Secretariat, Sector
from i18n import N_


@dataclass(frozen=True)
class Audience:
    roles: frozenset[Role] = frozenset()
    sectors: frozenset[Sector] = frozenset()
    person_ids: frozenset[int] = frozenset()
    # Other secretariats reached (the national team's only); empty: the owner's own.
    secretariat_ids: frozenset[int] = frozenset()
    all_secretariats: bool = False

    @classmethod
    def of(cls, data: dict[str, Any]) -> Audience:
        return cls(
            frozenset(Role(role) for role in data.get("roles", ())),
            frozenset(Sector(sector) for sector in data.get("sectors", ())),
            frozenset(int(person_id) for person_id in data.get("person_ids", ())),
            frozenset(int(secretariat) for secretariat in data.get("secretariat_ids", ())),
            bool(data.get("all_secretariats", False)),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "roles": sorted(str(role) for role in self.roles),
            "sectors": sorted(str(sector) for sector in self.sectors),
            "person_ids": sorted(self.person_ids),
            "secretariat_ids": sorted(self.secretariat_ids),
            "all_secretariats": self.all_secretariats,
        }

    @property
    def national(self) -> bool:
        """Whether it reaches beyond one secretariat, which only the national team may do."""
        return self.all_secretariats or bool(self.secretariat_ids)

    def secretariats(self, own: int) -> frozenset[int] | None:
        """The secretariats reached, or None for all of them."""
        if self.all_secretariats:
            return None
        return self.secretariat_ids or frozenset({own})

    def includes(self, person: Person, own: int) -> bool:
        reached = self.secretariats(own)
        if reached is not None and person.secretariat_id not in reached:
            return False
        if not (self.roles or self.sectors or self.person_ids):
            return True
        return (
            bool(self.roles & person.roles)
            or (person.sector is not None and person.sector in self.sectors)
            or person.id in self.person_ids
        )


def permit(rule: Audience, *, national: bool) -> None:
    """Refuse a rule that reaches other secretariats unless set by the national team."""
    if rule.national and not national:
        raise PermissionDenied(N_("Only the national team can reach other secretariats."))


async def reach(session: AsyncSession, rule: Audience, own: int) -> list[Person]:
    """Everyone ``rule`` reaches now for the secretariat ``own`` (registered in the bot, not
    erased), in the order of their ids."""
    query = select(Person).where(Person.erased_at.is_(None), Person.telegram_id.is_not(None))
    secretariats = rule.secretariats(own)
    if secretariats is not None:
        query = query.where(Person.secretariat_id.in_(secretariats))
    if rule.person_ids and not (rule.roles or rule.sectors):
        query = query.where(Person.id.in_(rule.person_ids))
    people = await session.scalars(query.order_by(Person.id))
    return [person for person in people if rule.includes(person, own)]


async def check(
    session: AsyncSession, rule: Audience, own: int, *, reach_now: bool = True
) -> list[Person]:
    """Everyone ``rule`` reaches for ``own``; refused if it names a secretariat that does not
    exist, or a person it does not reach (of another secretariat, or not in the bot), or, with
    ``reach_now``, if it reaches nobody."""
    if rule.secretariat_ids:
        known = set(
            await session.scalars(
                select(Secretariat.id).where(Secretariat.id.in_(rule.secretariat_ids))
            )
        )
        if missing := sorted(rule.secretariat_ids - known):
            raise NotFound(
                N_("These secretariats do not exist: {ids}."), ids=", ".join(map(str, missing))
            )
    people = await reach(session, rule, own)
    if missing := sorted(rule.person_ids - {person.id for person in people}):
        raise NotFound(
            N_("These people are not registered in the bot in the secretariats reached: {ids}."),
            ids=", ".join(map(str, missing)),
        )
    if reach_now and not people:
        raise InvalidInput(
            N_("The audience reaches nobody registered in the bot."), field="audience"
        )
    return people
