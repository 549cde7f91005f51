"""Results of a definition over many completed sessions, as plain JSON-ready data.

``aggregate(definition, responses, language="es", by=None)`` takes completed sessions
(``SessionState`` objects or their ``to_json()`` dicts; others are ignored) and returns, per
question that asks something:

- ``respondents`` (sessions counted), ``answered`` (non-empty answers), ``skipped``;
- choices and yes/no: ``options`` with ``count`` and ``percent`` of those who answered
  (for multiple choice an option's percent is of respondents, so they add up to more than
  100), and the ``other_texts`` written under "other, specify";
- ratings and numbers: ``mean``, ``median``, ``min``, ``max`` and ``distribution`` (every point
  of a rating scale, every value given for a number);
- ranking: per option its ``borda`` points (ranked i-th among n choices earns n - i + 1),
  ``mean_rank`` among those who ranked it, ``first`` (times ranked first) and ``ranked``;
  options ordered by Borda points;
- dates: ``earliest``, ``latest`` and ``distribution``; texts: ``texts``; long answers:
  ``texts`` and ``files``; files: ``files``; locations: ``points``.

With ``by="sector"`` the same figures are also given per value of that respondent attribute,
under ``breakdown``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any

from conversations.definition import OTHER_CHOICE, Definition, Question, localize
from conversations.engine import SessionState
from conversations.i18n import gettext

_MISSING = object()


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _rows(responses: Iterable[SessionState | Mapping[str, Any]]) -> list[tuple[dict, dict, dict]]:
    rows = []
    for response in responses:
        if isinstance(response, SessionState):
            if response.status == "completed":
                rows.append((response.answers, response.others, response.respondent))
        elif response.get("status", "completed") == "completed":
            rows.append(
                (
                    response.get("answers") or {},
                    response.get("others") or {},
                    response.get("respondent") or {},
                )
            )
    return rows


def aggregate(
    definition: Definition,
    responses: Iterable[SessionState | Mapping[str, Any]],
    *,
    language: str = "es",
    by: str | None = None,
) -> dict[str, Any]:
    rows = _rows(responses)
    result: dict[str, Any] = {
        "definition": definition.id,
        "version": definition.version,
        "language": language,
        **_figures(definition, rows, language),
    }
    if by:
        groups: dict[Any, list[tuple[dict, dict, dict]]] = {}
        for row in rows:
            groups.setdefault(row[2].get(by), []).append(row)
        result["breakdown"] = {
            "attribute": by,
            "groups": [
                {"value": value, **_figures(definition, members, language)}
                for value, members in sorted(groups.items(), key=lambda item: str(item[0]))
            ],
        }
    return result


def _figures(definition: Definition, rows: list[tuple[dict, dict, dict]], language: str) -> dict:
    questions = []
    for question in definition.questions:
        if question.type == "note":
            continue
        column = [answers.get(question.id, _MISSING) for answers, _, _ in rows]
        given = [value for value in column if value is not None and value is not _MISSING]
        figures: dict[str, Any] = {
            "id": question.id,
            "type": question.type,
            "text": localize(question.text, language),
            "respondents": len(rows),
            "answered": len(given),
            "skipped": sum(1 for value in column if value is None),
        }
        figures.update(_by_type(question, given, rows, language))
        questions.append(figures)
    return {"respondents": len(rows), "questions": questions}


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


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "percent": _percent(count, total)}


def _numbers(values: list[Any]) -> dict[str, Any]:
    numbers = [value for value in values if isinstance(value, int | float)]
    if not numbers:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {
        "mean": round(statistics.fmean(numbers), 4),
        "median": statistics.median(numbers),
        "min": min(numbers),
        "max": max(numbers),
    }


def _distribution(counts: Counter, total: int, values: Iterable[Any]) -> list[dict]:
    return [{"value": value, **_share(counts[value], total)} for value in values]


def _others(question: Question, rows: list[tuple[dict, dict, dict]]) -> list[str]:
    return [others[question.id] for _, others, _ in rows if question.id in others]


def _by_type(
    question: Question, given: list[Any], rows: list[tuple[dict, dict, dict]], language: str
) -> dict[str, Any]:
    kind, total = question.type, len(given)
    if kind in ("single_choice", "yes_no"):
        counts = Counter(value for value in given if isinstance(value, str))
        figures: dict[str, Any] = {"options": _options(question, counts, total, language)}
        if question.other:
            figures["other_texts"] = _others(question, rows)
        return figures
    if kind == "multiple_choice":
        counts = Counter(chain.from_iterable(v for v in given if isinstance(v, list)))
        figures = {"options": _options(question, counts, total, language)}
        if question.other:
            figures["other_texts"] = _others(question, rows)
        return figures
    if kind == "ranking":
        return {"options": _ranking(question, given, language)}
    if kind in ("rating", "integer", "decimal") or (
        kind == "calculate" and all(isinstance(v, int | float) for v in given)
    ):
        counts = Counter(value for value in given if isinstance(value, int | float))
        if kind == "rating":
            low, high = question.bounds()
            points: Iterable[Any] = range(int(low), int(high) + 1)
        else:
            points = sorted(counts)
        return {**_numbers(given), "distribution": _distribution(counts, total, points)}
    if kind == "date":
        counts = Counter(value for value in given if isinstance(value, str))
        return {
            "earliest": min(counts, default=None),
            "latest": max(counts, default=None),
            "distribution": _distribution(counts, total, sorted(counts)),
        }
    if kind == "long_answer":
        parts = list(chain.from_iterable(v for v in given if isinstance(v, list)))
        return {
            "texts": [part["text"] for part in parts if part.get("kind") == "text"],
            "files": sum(1 for part in parts if part.get("kind") != "text"),
        }
    if kind == "file":
        return {"files": sum(len(value) for value in given if isinstance(value, list))}
    if kind == "location":
        places = [value for value in given if isinstance(value, dict)]
        return {"points": [[place["latitude"], place["longitude"]] for place in places]}
    counts = Counter(str(value) for value in given)
    if kind == "calculate":
        return {"distribution": _distribution(counts, total, sorted(counts))}
    return {"texts": [str(value) for value in given]}


def _ranking(question: Question, given: list[Any], language: str) -> list[dict]:
    ids = question.choice_ids()
    size = len(ids)
    points = dict.fromkeys(ids, 0)
    rank_sums = dict.fromkeys(ids, 0)
    ranked = dict.fromkeys(ids, 0)
    first = Counter(order[0] for order in given if isinstance(order, list) and order)
    for order in given:
        if not isinstance(order, list):
            continue
        for position, choice_id in enumerate(order, 1):
            if choice_id in points:
                points[choice_id] += size - position + 1
                rank_sums[choice_id] += position
                ranked[choice_id] += 1
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
