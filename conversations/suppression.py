"""Small-cell suppression: which groups of a breakdown may be shown.

A breakdown shows figures per group (a sector, a role, a secretariat) beside the figures of
everyone. The rule, applied twice:

1. **Primary**: a group with fewer than ``k`` members is hidden.
2. **Secondary**: the total is shown, so the hidden groups together are the total minus the
   shown ones. While that remainder is not empty and is smaller than ``k``, or comes from a
   single group, the smallest shown group is hidden too. What subtraction recovers is then
   nothing, or a sum over at least two groups and at least ``k`` members: never one group,
   never fewer than ``k`` people.

Groups are applied this rule with their respondents as members; then, question by question,
with those who answered it as members (starting from the groups already hidden), so a
question a shown group barely answered hides that group's figures for it, and never lets the
total of the question single out a hidden group's answers.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

G = TypeVar("G", bound=Hashable)


def suppressed(sizes: Mapping[G, int], k: int, hidden: Iterable[G] = ()) -> set[G]:
    """The groups to hide among ``sizes`` (members per group), beyond those already ``hidden``."""
    hidden = set(hidden) | {group for group, size in sizes.items() if size < k}
    shown = sorted(
        (group for group in sizes if group not in hidden),
        key=lambda group: (sizes[group], str(group)),
    )
    while shown and _recoverable([sizes[group] for group in hidden], k):
        hidden.add(shown.pop(0))
    return hidden


def _recoverable(hidden_sizes: list[int], k: int) -> bool:
    remainder = sum(hidden_sizes)
    holding = sum(1 for size in hidden_sizes if size)
    return remainder > 0 and (remainder < k or holding == 1)
