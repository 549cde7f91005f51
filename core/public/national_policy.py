"""The national policy's priorities with the lines of action that cite them, across every
secretariat, and the filter by eje, specific objective and priority that public pages share.

A line of action cites the national priorities it names, else those its PEA priority maps to.
Nothing here names a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Objective, Plan, Secretariat
from core.policy import NationalPolicy
from core.policy.pea import cited, pea_mappings

FILTERS = ("eje", "objetivo", "prioridad")


@dataclass(frozen=True, slots=True)
class CitingLine:
    """A line of action of a secretariat's plan, with the national priorities it cites."""

    id: int
    plan_id: int
    plan_year: int
    secretariat_id: int
    secretariat_slug: str
    secretariat_name: str
    code: str
    title: str
    priorities: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PolicyFilter:
    """What a visitor asked to see: an eje, an objective, a priority (each a number or None),
    the parameters whose values the policy does not have, and the priorities within the rest."""

    eje: int | None = None
    objective: int | None = None
    priority: int | None = None
    unknown: tuple[str, ...] = ()
    numbers: frozenset[int] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.eje, self.objective, self.priority))

    def query(self) -> dict[str, int | None]:
        """The filter as query parameters, for links that keep it."""
        return dict(zip(FILTERS, (self.eje, self.objective, self.priority), strict=True))


def _number(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 3 else None


def choose(policy: NationalPolicy, asked: Mapping[str, str]) -> PolicyFilter:
    """The filter of query parameters ``eje``, ``objetivo`` and ``prioridad``; a value the
    policy has no such item for is set aside and named in ``unknown``."""
    lookups = (policy.eje, policy.objective, policy.priority)
    chosen: list[int | None] = []
    unknown = []
    for name, lookup in zip(FILTERS, lookups, strict=True):
        if not asked.get(name, "").strip():
            chosen.append(None)
            continue
        number = _number(asked[name])
        if number is None or lookup(number) is None:
            unknown.append(name)
            number = None
        chosen.append(number)
    eje, objective, priority = chosen
    numbers = policy.matching(eje=eje, objective=objective, priority=priority)
    return PolicyFilter(eje, objective, priority, tuple(unknown), numbers)


async def citing_lines(
    session: AsyncSession, plan_ids: Iterable[int] | None = None
) -> list[CitingLine]:
    """The lines of action that cite at least one national priority, of the plans named (of
    every plan without), by secretariat, latest year first, in their plan's order."""
    query = (
        select(
            Objective.id,
            Objective.plan_id,
            Plan.year,
            Plan.secretariat_id,
            Secretariat.slug,
            Secretariat.name,
            Objective.code,
            Objective.title,
            Objective.pea_priority,
            Objective.pna_priorities,
        )
        .join(Plan, Plan.id == Objective.plan_id)
        .join(Secretariat, Secretariat.id == Plan.secretariat_id)
        .order_by(Secretariat.name, Plan.year.desc(), Plan.id, Objective.position)
    )
    if plan_ids is not None:
        query = query.where(Objective.plan_id.in_(list(plan_ids)))
    rows = (await session.execute(query)).all()
    mappings = await pea_mappings(session, {row.secretariat_id for row in rows})
    lines = []
    for row in rows:
        numbers = cited(row.pna_priorities, row.pea_priority, mappings[row.secretariat_id])
        if numbers:
            lines.append(
                CitingLine(
                    row.id,
                    row.plan_id,
                    row.year,
                    row.secretariat_id,
                    row.slug,
                    row.name,
                    row.code,
                    row.title,
                    tuple(numbers),
                )
            )
    return lines


def by_priority(lines: Iterable[CitingLine]) -> dict[int, list[CitingLine]]:
    """Each national priority with the lines that cite it."""
    cited_by: dict[int, list[CitingLine]] = defaultdict(list)
    for line in lines:
        for number in line.priorities:
            cited_by[number].append(line)
    return cited_by


@dataclass(frozen=True, slots=True)
class Matching:
    """The lines of action citing one of the priorities a filter chose, and the plans and
    secretariats that hold them."""

    lines: frozenset[int]
    plans: frozenset[int]
    secretariats: frozenset[int]
    priorities: frozenset[int]  # those the filter chose


async def matching(
    session: AsyncSession, numbers: frozenset[int], plan_ids: Iterable[int] | None = None
) -> Matching:
    """The lines of action, of the plans named (of every plan without), that cite one of
    ``numbers``: read in two statements, whatever the number of plans."""
    lines = [
        line
        for line in await citing_lines(session, plan_ids)
        if numbers.intersection(line.priorities)
    ]
    return Matching(
        frozenset(line.id for line in lines),
        frozenset(line.plan_id for line in lines),
        frozenset(line.secretariat_id for line in lines),
        numbers,
    )
