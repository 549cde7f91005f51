"""Results of a definition over many completed sessions, as plain JSON-ready data.

``aggregate(definition, responses, language="es", by=None)`` takes completed sessions
(``SessionState`` objects or their ``to_json()`` dicts; others are ignored) and returns, per
question that asks something:

- ``respondents`` (sessions counted), ``answered`` (non-empty answers), ``skipped``;
- choices and yes/no: ``options`` with ``count`` and ``percent`` of those who answered
  (for multiple choice an option's percent is of respondents, so they add up to more than
  100), and the ``other_texts`` written under "other, specify";
- ratings and numbers: ``mean``, ``median``, ``quartiles``, ``min``, ``max`` and
  ``distribution``, the histogram (every point of a rating scale; for numbers every value
  given, or ten equal ranges ``from``-``to`` when more than twenty different values were given);
- ranking: per option its ``borda`` points (ranked i-th among n choices earns n - i + 1),
  ``mean_rank`` among those who ranked it, ``first`` (times ranked first), ``ranked`` and
  ``ranks`` (how many ranked it first, second, ...); options ordered by Borda points;
- dates: ``earliest``, ``latest`` and ``distribution``; texts: ``texts``; long answers:
  ``texts`` and ``files``; files: ``files``; locations: ``points``;
- repeats: ``total`` instances, and ``mean``, ``median``, ``quartiles``, ``min`` and ``max``
  of each session's number of them.

A question inside a repeat is tallied over every instance of it: its figures say in how many
``instances`` it was asked, and count the answers of all of them; ``answered`` and ``skipped``
still count sessions (one that answered it in any instance has answered it).

With ``by="sector"`` the same figures are also given per value of that respondent attribute
(a list, such as roles, counts as the combination it holds), under ``breakdown``. With
``min_group=k`` a group, or a group's figures for one question, is ``suppressed`` as
``conversations.suppression`` says: it then carries its value and nothing else.

Responses are first counted into a ``Tally`` per group: the ``entries`` each response adds
(answers of types whose figures only count them, counted with those equal to them; texts, files
and places kept in order), then ``summarize`` gives the figures of the tallies. A database can
keep the tallies as responses complete and read them back (``core.chat.tallies``), instead of
every answer.
"""

from __future__ import annotations

import enum
import json
import operator
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple

from conversations.definition import Definition, Question, localize
from conversations.engine.slots import gather
from conversations.engine.state import SessionState, unplaced
from conversations.questions.registry import type_of
from conversations.suppression import suppressed


class Kind(enum.StrEnum):
    """What an entry of a response adds to its tally."""

    RESPONDENT = "respondent"  # one more response
    ANSWERED = "answered"  # the question was answered (in some instance of its repeats)
    SKIPPED = "skipped"  # the question was reached and left empty
    INSTANCE = "instance"  # one more instance of the repeats the question is in
    VALUE = "value"  # an answer of a counted type, counted with those equal to it
    TEXT = "text"  # an answer kept in the order given
    OTHER = "other"  # a text written under "other"


COUNTED = (Kind.RESPONDENT, Kind.ANSWERED, Kind.SKIPPED, Kind.INSTANCE, Kind.VALUE)


class Entry(NamedTuple):
    """One thing a completed response adds to the figures of its question (none: the response)."""

    question: str
    kind: Kind
    value: Any = None


def entries(definition: Definition, answers: Any, others: Any) -> list[Entry]:
    """What one completed response adds to the tally of its definition, in the order given."""
    answers = answers if type(answers) is dict else {}
    found = [Entry("", Kind.RESPONDENT)]
    asks_other: set[str] = set()
    for question in counted_questions(definition):
        qid = question.id
        repeats = definition.repeats_of(qid)
        if repeats:
            if repeats[0] not in answers:
                continue
            values = gather({repeats[0]: answers[repeats[0]]}, repeats, qid)
            found.extend(Entry(qid, Kind.INSTANCE) for _ in values)
        elif qid in answers:
            values = [answers[qid]]
        else:
            continue
        given = [value for value in values if value is not None]
        if given:
            found.append(Entry(qid, Kind.ANSWERED))
        elif values:
            found.append(Entry(qid, Kind.SKIPPED))
        kind = Kind.VALUE if type_of(question).counted else Kind.TEXT
        found.extend(Entry(qid, kind, value) for value in given)
        if question.other:
            asks_other.add(qid)
    for key, text in (others if type(others) is dict else {}).items():
        if unplaced(key) in asks_other:
            found.append(Entry(unplaced(key), Kind.OTHER, text))
    return found


@dataclass(frozen=True)
class _Encoded:
    """A counted answer that cannot be a dictionary key as it is, kept as its JSON."""

    text: str


def _key(value: Any) -> Hashable:
    """A counted answer as a dictionary key: lists (rankings, options chosen) as tuples."""
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return tuple(value)
    if value is None or isinstance(value, str | int | float):
        return value
    return _Encoded(json.dumps(value))


def _value(key: Hashable) -> Any:
    if isinstance(key, tuple):
        return list(key)
    if isinstance(key, _Encoded):
        return json.loads(key.text)
    return key


@dataclass
class Kept:
    """Answers kept in the order given, each with the order of its response: two flat lists, as
    a hundred thousand pairs would keep the garbage collector busy for nothing."""

    orders: list[int] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)

    def in_order(self) -> list[Any]:
        """The answers by their response's order; one response's stay in the order given."""
        orders, values = self.orders, self.values
        if all(map(operator.le, orders, islice(orders, 1, None))):
            return list(values)
        return [values[i] for i in sorted(range(len(orders)), key=orders.__getitem__)]


@dataclass
class Tally:
    """What a group of completed responses gave: counts of everything counted, and the answers
    kept in order with the place (``order``) each came in, so groups merge back into order."""

    counts: Counter[tuple[str, Kind, Hashable]] = field(default_factory=Counter)
    kept: defaultdict[tuple[str, Kind], Kept] = field(default_factory=lambda: defaultdict(Kept))

    def add(self, entries: Iterable[Entry], order: int) -> None:
        """Count one response's entries; those kept in order come at ``order``."""
        for question, kind, value in entries:
            if kind in COUNTED:
                self.counts[question, kind, _key(value)] += 1
            else:
                kept = self.kept[question, kind]
                kept.orders.append(order)
                kept.values.append(value)

    def count(self, question: str, kind: Kind, value: Any, times: int) -> None:
        self.counts[question, kind, _key(value)] += times

    def update(self, other: Tally) -> None:
        self.counts.update(other.counts)
        for key, kept in other.kept.items():
            self.kept[key].orders.extend(kept.orders)
            self.kept[key].values.extend(kept.values)

    @property
    def respondents(self) -> int:
        return self.counts["", Kind.RESPONDENT, None]

    def answered(self, question: str) -> int:
        return self.counts[question, Kind.ANSWERED, None]

    def figures(self, definition: Definition, language: str) -> dict[str, Any]:
        """Every counted question's figures, in the definition's order."""
        values: defaultdict[str, list[Any]] = defaultdict(list)
        for (qid, kind, key), times in self.counts.items():
            if kind is Kind.VALUE and times > 0:
                value = _value(key)
                values[qid].extend([value] * times)
        respondents = self.respondents
        questions = []
        for question in counted_questions(definition):
            qid = question.id
            given = values[qid] + self.kept[qid, Kind.TEXT].in_order()
            figures: dict[str, Any] = {
                "id": qid,
                "type": question.type,
                "text": localize(question.text, language),
                "respondents": respondents,
                "answered": self.answered(qid),
                "skipped": self.counts[qid, Kind.SKIPPED, None],
            }
            if definition.repeats_of(qid):
                figures["instances"] = self.counts[qid, Kind.INSTANCE, None]
            others = self.kept[qid, Kind.OTHER].in_order()
            figures.update(type_of(question).figures(question, given, others, language))
            questions.append(figures)
        return {"respondents": respondents, "questions": questions}


def _completed(
    responses: Iterable[SessionState | Mapping[str, Any]],
) -> Iterator[tuple[Any, Any, Any]]:
    """The answers, "other" texts and respondent of each completed response."""
    for response in responses:
        if isinstance(response, SessionState):
            if response.status == "completed":
                yield response.answers, response.others, response.respondent
        elif response.get("status", "completed") == "completed":
            yield response.get("answers"), response.get("others"), response.get("respondent")


def tally(
    definition: Definition,
    responses: Iterable[SessionState | Mapping[str, Any]],
    by: str | None = None,
) -> dict[Any, Tally]:
    """The completed responses counted per group of ``by`` (one group, None, without it)."""
    groups: dict[Any, Tally] = {}
    for order, (answers, others, respondent) in enumerate(_completed(responses)):
        group = group_value(respondent if type(respondent) is dict else {}, by) if by else None
        if group not in groups:
            groups[group] = Tally()
        groups[group].add(entries(definition, answers, others), order)
    return groups


def aggregate(
    definition: Definition,
    responses: Iterable[SessionState | Mapping[str, Any]],
    *,
    language: str = "es",
    by: str | None = None,
    min_group: int = 1,
) -> dict[str, Any]:
    """Figures of the completed responses, and per group of ``by`` with small groups hidden."""
    return summarize(
        definition, tally(definition, responses, by), language=language, by=by, min_group=min_group
    )


def summarize(
    definition: Definition,
    groups: Mapping[Any, Tally],
    *,
    language: str = "es",
    by: str | None = None,
    min_group: int = 1,
) -> dict[str, Any]:
    """The figures of tallies counted per group of ``by``: of all together, then per group."""
    total = Tally()
    for group in groups.values():
        total.update(group)
    result: dict[str, Any] = {
        "definition": definition.id,
        "version": definition.version,
        "language": language,
        **total.figures(definition, language),
    }
    if by:
        result["breakdown"] = _breakdown(definition, groups, language, by, min_group)
    return result


def group_value(respondent: Mapping[str, Any], attribute: str) -> str | int | float | None:
    """The group a respondent falls in: the attribute's value, or the combination a list holds."""
    value = respondent.get(attribute)
    if isinstance(value, list):
        return "+".join(sorted(map(str, value))) or None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return None


def _breakdown(
    definition: Definition, groups: Mapping[Any, Tally], language: str, by: str, min_group: int
) -> dict[str, Any]:
    hidden = suppressed({value: tally.respondents for value, tally in groups.items()}, min_group)
    figures = {
        value: tally.figures(definition, language)
        for value, tally in groups.items()
        if value not in hidden
    }
    for position, question in enumerate(counted_questions(definition)):
        answered = {value: groups[value].answered(question.id) for value in groups}
        for value in suppressed(answered, min_group, hidden) - hidden:
            figures[value]["questions"][position] = {
                "id": question.id,
                "type": question.type,
                "text": localize(question.text, language),
                "suppressed": True,
            }
    return {
        "attribute": by,
        "min_group": min_group,
        "groups": [
            {"value": value, "suppressed": True}
            if value in hidden
            else {"value": value, "suppressed": False, **figures[value]}
            for value in sorted(groups, key=str)
        ],
    }


def counted_questions(definition: Definition) -> list[Question]:
    """The questions results give figures for: every one that asks something."""
    return [q for q in definition.every_question if not type_of(q).informs]
