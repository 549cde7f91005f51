"""Counting answers for results: shares, options, numbers and distributions."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from conversations.engine.steps import ChoiceView

EXACT_DISTRIBUTION_LIMIT = 20
BINS = 10


def count(values: Iterable[Any]) -> Counter[Any]:
    """Counts of the values; values that cannot be counted (a damaged state) are left out."""
    values = list(values)
    try:
        return Counter(values)
    except TypeError:
        return Counter(value for value in values if isinstance(value, str | int | float))


def share(count: int, total: int) -> dict[str, Any]:
    """A count and its percent of the total."""
    return {"count": count, "percent": round(100 * count / total, 1) if total else 0.0}


def options(choices: list[ChoiceView], counts: Counter[Any], total: int) -> list[dict[str, Any]]:
    """Each option with how often it was chosen."""
    return [
        {"id": choice.id, "label": choice.label, **share(counts[choice.id], total)}
        for choice in choices
    ]


def numeric_counts(values: list[Any]) -> Counter[Any]:
    """How often each number was given (anything else, from a damaged state, is left out)."""
    counts = count(values)
    if all(type(value) in (int, float) for value in counts):
        return counts
    return Counter(
        {v: n for v, n in counts.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    )


def numbers(counts: Counter[Any]) -> dict[str, Any]:
    """Mean, median, quartiles, min and max, computed from the counts of each distinct number.

    Quartiles interpolate between the two closest ranks (position ``(n - 1) * p``), as
    spreadsheets' ``QUARTILE.INC`` does; the median is the second quartile.
    """
    if not counts:
        return {"mean": None, "median": None, "quartiles": None, "min": None, "max": None}
    ordered = sorted(counts)
    total = sum(counts.values())
    quartiles = [_quantile(ordered, counts, total, share) for share in (0.25, 0.5, 0.75)]
    return {
        "mean": round(math.fsum(value * times for value, times in counts.items()) / total, 4),
        "median": quartiles[1],
        "quartiles": quartiles,
        "min": ordered[0],
        "max": ordered[-1],
    }


def _quantile(ordered: list[Any], counts: Counter[Any], total: int, share: float) -> Any:
    position = (total - 1) * share
    low_index, fraction = int(position), position - int(position)
    wanted = [low_index, low_index + 1] if fraction else [low_index]
    found, seen = [], 0
    for value in ordered:
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
        if not wanted:
            break
    if len(found) == 1 or found[0] == found[1]:
        return found[0]
    return round(found[0] + (found[1] - found[0]) * fraction, 4)


def distribution(counts: Counter[Any], total: int, values: Iterable[Any]) -> list[dict[str, Any]]:
    """How often each of the values was given."""
    return [{"value": value, **share(counts[value], total)} for value in values]


def ranges(counts: Counter[Any], total: int) -> list[dict[str, Any]]:
    """Ten equal ranges between the smallest and largest number (the last one closed)."""
    low, high = min(counts), max(counts)
    width = (high - low) / BINS
    in_range = [0] * BINS
    for value, times in counts.items():
        in_range[min(int((value - low) / width), BINS - 1)] += times
    return [
        {"from": low + width * index, "to": low + width * (index + 1), **share(n, total)}
        for index, n in enumerate(in_range)
    ]


def spread(counts: Counter[Any], total: int) -> list[dict[str, Any]]:
    """Every number given, or ten ranges when too many different numbers were given."""
    if len(counts) > EXACT_DISTRIBUTION_LIMIT:
        return ranges(counts, total)
    return distribution(counts, total, sorted(counts))
