"""Results of a definition over many completed sessions, as plain JSON-ready data.

``aggregate(definition, responses, language="es", by=None)`` takes completed sessions
(``SessionState`` objects or their ``to_json()`` dicts; others are ignored) and returns, per
question that asks something:

- ``respondents`` (sessions counted), ``answered`` (non-empty answers), ``skipped``;
- choices and yes/no: ``options`` with ``count`` and ``percent`` of those who answered
  (for multiple choice an option's percent is of respondents, so they add up to more than
  100), and the ``other_texts`` written under "other, specify";
- ratings and numbers: ``mean``, ``median``, ``min``, ``max`` and ``distribution`` (every point
  of a rating scale; for numbers every value given, or ten equal ranges ``from``-``to`` when
  more than twenty different values were given);
- ranking: per option its ``borda`` points (ranked i-th among n choices earns n - i + 1),
  ``mean_rank`` among those who ranked it, ``first`` (times ranked first) and ``ranked``;
  options ordered by Borda points;
- dates: ``earliest``, ``latest`` and ``distribution``; texts: ``texts``; long answers:
  ``texts`` and ``files``; files: ``files``; locations: ``points``.

With ``by="sector"`` the same figures are also given per value of that respondent attribute,
under ``breakdown``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, zip_longest
from operator import is_not, itemgetter
from typing import Any

from conversations.definition import OTHER_CHOICE, Definition, Question, localize
from conversations.engine import SessionState
from i18n import gettext

_not_none = partial(is_not, None)
EXACT_DISTRIBUTION_LIMIT = 20
NUMBER_KINDS = {"rating", "integer", "decimal", "calculate"}
BINS = 10


@dataclass
class _Responses:
    """Completed sessions, as three parallel columns (answers, others, respondent)."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    others: list[dict[str, str]] = field(default_factory=list)
    respondents: list[dict[str, Any]] = field(default_factory=list)

    def add(self, answers: Any, others: Any, respondent: Any) -> None:
        self.answers.append(answers if type(answers) is dict else {})
        self.others.append(others if type(others) is dict else {})
        self.respondents.append(respondent if type(respondent) is dict else {})

    def __len__(self) -> int:
        return len(self.answers)

    def columns(self, question_ids: Iterable[str]) -> dict[str, list[Any]]:
        """The answers given to each question (one pass over the sessions, kind to caches)."""
        columns: defaultdict[str, list[Any]] = defaultdict(list)
        for answers in self.answers:
            for question_id, value in answers.items():
                columns[question_id].append(value)
        return {question_id: columns.get(question_id, []) for question_id in question_ids}


def _completed(responses: Iterable[SessionState | Mapping[str, Any]]) -> _Responses:
    completed = _Responses()
    add = completed.add
    for response in responses:
        if isinstance(response, SessionState):
            if response.status == "completed":
                add(response.answers, response.others, response.respondent)
        elif response.get("status", "completed") == "completed":
            add(response.get("answers"), response.get("others"), response.get("respondent"))
    return completed


def aggregate(
    definition: Definition,
    responses: Iterable[SessionState | Mapping[str, Any]],
    *,
    language: str = "es",
    by: str | None = None,
) -> dict[str, Any]:
    completed = _completed(responses)
    result: dict[str, Any] = {
        "definition": definition.id,
        "version": definition.version,
        "language": language,
        **_figures(definition, completed, language),
    }
    if by:
        groups: dict[Any, _Responses] = {}
        for answers, others, respondent in zip(
            completed.answers, completed.others, completed.respondents, strict=True
        ):
            value = respondent.get(by)
            if not isinstance(value, str | int | float | bool):
                value = None
            if value not in groups:
                groups[value] = _Responses()
            groups[value].add(answers, others, respondent)
        result["breakdown"] = {
            "attribute": by,
            "groups": [
                {"value": value, **_figures(definition, members, language)}
                for value, members in sorted(groups.items(), key=lambda item: str(item[0]))
            ],
        }
    return result


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "percent": _percent(count, total)}


def _figures(definition: Definition, completed: _Responses, language: str) -> dict[str, Any]:
    questions = []
    counted = [question for question in definition.questions if question.type != "note"]
    columns = completed.columns(question.id for question in counted)
    for question in counted:
        qid = question.id
        present = columns[qid]
        given = list(filter(_not_none, present))
        figures: dict[str, Any] = {
            "id": qid,
            "type": question.type,
            "text": localize(question.text, language),
            "respondents": len(completed),
            "answered": len(given),
            "skipped": len(present) - len(given),
        }
        figures.update(_by_type(question, given, completed, language))
        questions.append(figures)
    return {"respondents": len(completed), "questions": questions}


def _count(values: Iterable[Any]) -> Counter:
    """Counts of the values; values that cannot be counted (a damaged state) are left out."""
    values = list(values)
    try:
        return Counter(values)
    except TypeError:
        return Counter(value for value in values if isinstance(value, str | int | float))


def _options(question: Question, counts: Counter, total: int, language: str) -> list[dict]:
    labels = {choice.id: localize(choice.label, language) for choice in question.choices or ()}
    if question.type == "yes_no":
        labels = {"yes": gettext(language, "Yes"), "no": gettext(language, "No")}
    elif question.other:
        labels[OTHER_CHOICE] = gettext(language, "Other (please specify)")
    return [
        {"id": choice_id, "label": label, **_share(counts[choice_id], total)}
        for choice_id, label in labels.items()
    ]


def _numeric_counts(values: list[Any]) -> Counter:
    """How often each number was given (anything else, from a damaged state, is left out)."""
    counts = _count(values)
    if all(type(value) in (int, float) for value in counts):
        return counts
    return Counter(
        {v: n for v, n in counts.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    )


def _numbers(counts: Counter) -> dict[str, Any]:
    """Mean, median, min and max, computed from the counts of each distinct number."""
    if not counts:
        return {"mean": None, "median": None, "min": None, "max": None}
    ordered = sorted(counts)
    total = sum(counts.values())
    middle = [(total - 1) // 2, total // 2]  # the one or two positions of the median
    found, seen = [], 0
    for value in ordered:
        seen += counts[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
        if not middle:
            break
    return {
        "mean": round(math.fsum(value * count for value, count in counts.items()) / total, 4),
        "median": found[0] if found[0] == found[1] else (found[0] + found[1]) / 2,
        "min": ordered[0],
        "max": ordered[-1],
    }


def _distribution(counts: Counter, total: int, values: Iterable[Any]) -> list[dict]:
    return [{"value": value, **_share(counts[value], total)} for value in values]


def _ranges(counts: Counter, total: int) -> list[dict]:
    """Ten equal ranges between the smallest and largest number (the last one closed)."""
    low, high = min(counts), max(counts)
    width = (high - low) / BINS
    in_range = [0] * BINS
    for value, count in counts.items():
        in_range[min(int((value - low) / width), BINS - 1)] += count
    return [
        {"from": low + width * index, "to": low + width * (index + 1), **_share(n, total)}
        for index, n in enumerate(in_range)
    ]


def _others(question: Question, completed: _Responses) -> list[str]:
    qid = question.id
    return [others[qid] for others in completed.others if qid in others]


def _by_type(question: Question, given: list[Any], completed: _Responses, language: str) -> dict:
    kind, total = question.type, len(given)
    if kind in ("single_choice", "yes_no", "multiple_choice"):
        if kind == "multiple_choice":
            chosen = chain.from_iterable(value for value in given if isinstance(value, list))
            counts = _count(chosen)
        else:
            counts = _count(given)
        figures: dict[str, Any] = {"options": _options(question, counts, total, language)}
        if question.other:
            figures["other_texts"] = _others(question, completed)
        return figures
    if kind == "ranking":
        return {"options": _ranking(question, given, language)}
    counts = _numeric_counts(given) if kind in NUMBER_KINDS else Counter()
    if kind in NUMBER_KINDS and (kind != "calculate" or sum(counts.values()) == total):
        if kind == "rating":
            low, high = question.bounds()
            distribution = _distribution(counts, total, range(int(low), int(high) + 1))
        elif len(counts) > EXACT_DISTRIBUTION_LIMIT:
            distribution = _ranges(counts, total)
        else:
            distribution = _distribution(counts, total, sorted(counts))
        return {**_numbers(counts), "distribution": distribution}
    if kind == "date":
        counts = _count(value for value in given if isinstance(value, str))
        return {
            "earliest": min(counts, default=None),
            "latest": max(counts, default=None),
            "distribution": _distribution(counts, total, sorted(counts)),
        }
    if kind == "long_answer":
        every_part = chain.from_iterable(value for value in given if isinstance(value, list))
        parts = [part for part in every_part if isinstance(part, dict)]
        return {
            "texts": [part.get("text", "") for part in parts if part.get("kind") == "text"],
            "files": sum(1 for part in parts if part.get("kind") != "text"),
        }
    if kind == "file":
        return {"files": sum(len(value) for value in given if isinstance(value, list))}
    if kind == "location":
        places = [value for value in given if isinstance(value, dict)]
        return {"points": [[place.get("latitude"), place.get("longitude")] for place in places]}
    if kind == "calculate":
        counts = _count(map(str, given))
        return {"distribution": _distribution(counts, total, sorted(counts))}
    return {"texts": list(map(str, given))}


def _ranking(question: Question, given: list[Any], language: str) -> list[dict]:
    ids = question.choice_ids()
    size = len(ids)
    orders = [order for order in given if isinstance(order, list)]
    points = dict.fromkeys(ids, 0)
    rank_sums = dict.fromkeys(ids, 0)
    ranked = dict.fromkeys(ids, 0)
    first = Counter()
    # Each column holds what everybody put at one position.
    lengths = set(map(len, orders))
    if len(lengths) == 1:
        columns = [map(itemgetter(index), orders) for index in range(lengths.pop())]
    else:
        columns = list(zip_longest(*orders))
    for position, column in enumerate(columns, 1):
        counts = _count(column)
        if position == 1:
            first = counts
        for choice_id in ids:
            count = counts[choice_id]
            points[choice_id] += count * (size - position + 1)
            rank_sums[choice_id] += count * position
            ranked[choice_id] += count
    labels = {choice.id: localize(choice.label, language) for choice in question.choices or ()}
    options = [
        {
            "id": choice_id,
            "label": labels.get(choice_id, choice_id),
            "borda": points[choice_id],
            "mean_rank": round(rank_sums[choice_id] / ranked[choice_id], 3)
            if ranked[choice_id]
            else None,
            "first": first[choice_id],
            "ranked": ranked[choice_id],
        }
        for choice_id in ids
    ]
    return sorted(options, key=lambda option: (-option["borda"], ids.index(option["id"])))
