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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from operator import is_not
from typing import Any

from conversations.definition import Definition, Question, localize
from conversations.engine.slots import gather
from conversations.engine.state import SessionState, unplaced
from conversations.questions.registry import type_of
from conversations.suppression import suppressed

_not_none = partial(is_not, None)


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

    def given(self, definition: Definition, questions: list[Question]) -> dict[str, _Given]:
        """What each question was given."""
        roots = {(definition.repeats_of(q.id) or (q.id,))[0] for q in questions}
        columns = self.columns(roots)
        return {q.id: _Given.of(definition.repeats_of(q.id), q.id, columns) for q in questions}


@dataclass(frozen=True)
class _Given:
    """A question's answers: ``present`` one per session that holds it (None when skipped), or
    one per instance of its repeats; ``answered``, the sessions that gave it an answer."""

    present: list[Any]
    given: list[Any]
    answered: int
    skipped: int

    @classmethod
    def of(
        cls, repeats: tuple[str, ...], question_id: str, columns: dict[str, list[Any]]
    ) -> _Given:
        if not repeats:
            present = columns[question_id]
            given = list(filter(_not_none, present))
            return cls(present, given, len(given), len(present) - len(given))
        root = repeats[0]
        sessions = [gather({root: value}, repeats, question_id) for value in columns[root]]
        present = [value for values in sessions for value in values]
        answered = sum(1 for values in sessions if any(value is not None for value in values))
        skipped = sum(1 for values in sessions if values) - answered
        return cls(present, list(filter(_not_none, present)), answered, skipped)


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
    min_group: int = 1,
) -> dict[str, Any]:
    """Figures of the completed responses, and per group of ``by`` with small groups hidden."""
    completed = _completed(responses)
    result: dict[str, Any] = {
        "definition": definition.id,
        "version": definition.version,
        "language": language,
        **_figures(definition, completed, language),
    }
    if by:
        result["breakdown"] = _breakdown(definition, completed, language, by, min_group)
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
    definition: Definition, completed: _Responses, language: str, by: str, min_group: int
) -> dict[str, Any]:
    groups: dict[Any, _Responses] = {}
    for answers, others, respondent in zip(
        completed.answers, completed.others, completed.respondents, strict=True
    ):
        value = group_value(respondent, by)
        if value not in groups:
            groups[value] = _Responses()
        groups[value].add(answers, others, respondent)
    hidden = suppressed({value: len(members) for value, members in groups.items()}, min_group)
    figures = {
        value: _figures(definition, members, language)
        for value, members in groups.items()
        if value not in hidden
    }
    counted = _counted(definition)
    for position, question in enumerate(counted):
        answered = {
            value: groups[value].given(definition, [question])[question.id].answered
            for value in hidden
        }
        answered.update(
            (value, shown["questions"][position]["answered"]) for value, shown in figures.items()
        )
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


def _counted(definition: Definition) -> list[Question]:
    return [q for q in definition.every_question if not type_of(q).informs]


def _figures(definition: Definition, completed: _Responses, language: str) -> dict[str, Any]:
    questions = []
    counted = _counted(definition)
    given = completed.given(definition, counted)
    for question in counted:
        qid = question.id
        answers = given[qid]
        figures: dict[str, Any] = {
            "id": qid,
            "type": question.type,
            "text": localize(question.text, language),
            "respondents": len(completed),
            "answered": answers.answered,
            "skipped": answers.skipped,
        }
        if definition.repeats_of(qid):
            figures["instances"] = len(answers.present)
        others = _others(question, completed) if question.other else []
        figures.update(type_of(question).figures(question, answers.given, others, language))
        questions.append(figures)
    return {"respondents": len(completed), "questions": questions}


def _others(question: Question, completed: _Responses) -> list[str]:
    """The texts written under "other", in every instance of a question in repeats."""
    qid = question.id
    return [
        text for others in completed.others for key, text in others.items() if unplaced(key) == qid
    ]
