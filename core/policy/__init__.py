"""The Política Nacional Anticorrupción (PNA) as data: its 4 ejes, 10 specific objectives and 40
priorities, read from ``pna.json`` (its source is named in this package's README.md).

Wording the source did not give is ``None``; so is the specific objective of a priority where the
source did not say which it belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from core.errors import InvalidInput
from i18n import N_

PRIORITY_COUNT = 40


@dataclass(frozen=True, slots=True)
class Eje:
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class SpecificObjective:
    number: int
    eje: int
    title: str


@dataclass(frozen=True, slots=True)
class Priority:
    number: int
    eje: int
    objective: int | None
    # corto, mediano or largo plazo, where the source gives it.
    term: str | None
    wording: str | None


@dataclass(frozen=True, slots=True)
class NationalPolicy:
    name: str
    approved: str
    ejes: tuple[Eje, ...]
    objectives: tuple[SpecificObjective, ...]
    priorities: tuple[Priority, ...]

    def eje(self, number: int) -> Eje | None:
        """The eje ``number``, or None."""
        return next((eje for eje in self.ejes if eje.number == number), None)

    def objective(self, number: int) -> SpecificObjective | None:
        """The specific objective ``number``, or None."""
        return next((item for item in self.objectives if item.number == number), None)

    def priority(self, number: int) -> Priority | None:
        """The priority ``number``, or None."""
        return next((item for item in self.priorities if item.number == number), None)

    @property
    def objectives_hold_priorities(self) -> bool:
        """Whether the data says which priorities an objective holds (until it does, a filter by
        objective matches nothing and is not offered)."""
        return any(item.objective is not None for item in self.priorities)

    def matching(
        self, *, eje: int | None = None, objective: int | None = None, priority: int | None = None
    ) -> frozenset[int]:
        """The numbers of the priorities within every filter given (all 40 with none)."""
        return frozenset(
            item.number
            for item in self.priorities
            if (eje is None or item.eje == eje)
            and (objective is None or item.objective == objective)
            and (priority is None or item.number == priority)
        )


def _read(data: dict[str, Any]) -> NationalPolicy:
    return NationalPolicy(
        name=data["name"],
        approved=data["approved"],
        ejes=tuple(Eje(**item) for item in data["ejes"]),
        objectives=tuple(SpecificObjective(**item) for item in data["objectives"]),
        priorities=tuple(Priority(**item) for item in data["priorities"]),
    )


@cache
def national_policy() -> NationalPolicy:
    """The national policy, read once from the package's data."""
    text = files(__package__).joinpath("pna.json").read_text(encoding="utf-8")
    return _read(json.loads(text))


def priority_numbers(value: Iterable[Any] | None, field: str = "pna_priorities") -> list[int]:
    """Numbers of the policy's priorities, each from 1 to 40, in order and once each; refused
    naming the first that is not one."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(N_("The {field} must be a list of numbers."), field=field)
    numbers: set[int] = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int):
            raise InvalidInput(N_("The {field} must be a list of numbers."), field=field)
        if not 1 <= item <= PRIORITY_COUNT:
            raise InvalidInput(
                N_("The national policy has no priority {number}: they run from 1 to {last}."),
                field=field,
                number=item,
                last=PRIORITY_COUNT,
            )
        numbers.add(item)
    return sorted(numbers)
