"""The rules of a definition that span fields and questions: unique ids, choices, bounds,
repeats, and expressions with the answers they refer to. ``parse_definition`` applies them;
each problem names the question and the field."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from conversations.definition import (
    CHOICE_TYPES,
    EXPRESSION_FIELDS,
    MAX_INSTANCES,
    MAX_NESTING,
    NAME_PATTERN,
    NUMBER_TYPES,
    OTHER_CHOICE,
    REFERENCE,
    TODAY,
    Definition,
    Question,
    where,
)
from conversations.expressions import Expression, ExpressionError, parse


def _expression(
    problems: list[str], question: Question, field: str, source: str, repeats: Repeats
) -> Expression | None:
    try:
        expression = parse(source)
    except ExpressionError as error:
        problems.append(f"{where(question.id, field)}: {error}")
        return None
    for name in sorted(expression.references - set(repeats)):
        problems.append(f"{where(question.id, field)}: refers to unknown question '{name}'")
    if expression.calls("position") and not repeats.get(question.id):
        problems.append(f"{where(question.id, field)}: position(..) only fits inside a repeat")
    for call in expression.calls("indexed-repeat"):
        asked, repeat = (str(getattr(argument, "name", "")) for argument in call.arguments[:2])
        if asked in repeats and repeats[asked][-1:] != (repeat,):
            problems.append(
                f"{where(question.id, field)}: '{asked}' is no question of the repeat '{repeat}'"
            )
    if expression.uses_current and field != "constraint":
        problems.append(f"{where(question.id, field)}: '.' (the answer) only fits a constraint")
    columns = _choice_columns(question) if field == "choice_filter" else set()
    for name in sorted(expression.columns - columns):
        problems.append(
            f"{where(question.id, field)}: '{name}' is no column of the choices"
            if field == "choice_filter"
            else f"{where(question.id, field)}: '{name}' must be written ${{{name}}}"
        )
    return expression


def _choice_columns(question: Question) -> set[str]:
    """The names a choice_filter may read: ``name`` and every column of the choices."""
    return {"name"} | {key for choice in question.choices or () for key in choice.data or {}}


def _check_texts(question: Question, known: set[str]) -> list[str]:
    problems = []
    for field in ("text", "hint"):
        for text in (getattr(question, field) or {}).values():
            for name in sorted(set(REFERENCE.findall(text)) - known):
                problems.append(f"{where(question.id, field)}: refers to unknown question '{name}'")
    return problems


def _iso_date(value: Any) -> bool:
    if value == TODAY:
        return True
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


# The ids of every question with the ids of the repeats it is in, outermost first.
Repeats = Mapping[str, tuple[str, ...]]


def check(definition: Definition) -> list[str]:
    """Rules that span fields: unique ids, choices, bounds, expressions and their references."""
    problems: list[str] = []
    repeats = {
        question.id: definition.repeats_of(question.id) for question in definition.every_question
    }
    seen: set[str] = set()
    for question in definition.every_question:
        if question.id in seen:
            problems.append(f"{where(question.id, 'id')}: used by more than one question")
        seen.add(question.id)
        problems.extend(check_question(question, repeats))
    for attribute in definition.respondent_attributes:
        if not re.match(NAME_PATTERN, attribute):
            problems.append(f"{where(None, 'respondent_attributes')}: '{attribute}' is no name")
    return problems


def check_question(question: Question, repeats: Repeats) -> list[str]:
    """The rules of one question; ``repeats`` holds the ids its expressions may refer to."""
    problems: list[str] = []
    qid, kind = question.id, question.type
    if kind not in ("calculate", "repeat") and not question.text:
        problems.append(f"{where(qid, 'text')}: every question needs a text")
    if kind in CHOICE_TYPES:
        ids = [choice.id for choice in question.choices or ()]
        if len(ids) < 2:
            problems.append(f"{where(qid, 'choices')}: needs at least two choices")
        for duplicate in sorted(i for i, n in Counter(ids).items() if n > 1):
            problems.append(f"{where(qid, 'choices')}: choice id '{duplicate}' is repeated")
        if question.other and OTHER_CHOICE in ids:
            problems.append(f"{where(qid, 'choices')}: '{OTHER_CHOICE}' is kept for other: true")
    elif question.choices_from is not None:
        problems.append(f"{where(qid, 'choices_from')}: only choice questions have choices")
    elif question.choices is not None:
        problems.append(f"{where(qid, 'choices')}: only choice questions have choices")
    if question.other and kind not in ("single_choice", "multiple_choice"):
        problems.append(f"{where(qid, 'other')}: only single and multiple choice")
    if question.top is not None and kind != "ranking":
        problems.append(f"{where(qid, 'top')}: only ranking questions rank the top N")
    if kind == "ranking" and question.top and question.top > len(question.choice_ids()):
        problems.append(f"{where(qid, 'top')}: more than the number of choices")
    problems.extend(_check_bounds(question))
    if question.kinds is not None and kind not in ("file", "long_answer"):
        problems.append(f"{where(qid, 'kinds')}: only file and long answer questions")
    if question.max_length is not None and kind not in ("text", "long_answer"):
        problems.append(f"{where(qid, 'max_length')}: only text and long answer questions")
    if kind == "calculate":
        if not question.calculation:
            problems.append(f"{where(qid, 'calculation')}: a calculate needs a calculation")
    elif question.calculation:
        problems.append(f"{where(qid, 'calculation')}: only calculate questions")
    for field in EXPRESSION_FIELDS:
        source = getattr(question, field)
        if source is not None:
            _expression(problems, question, field, str(source), repeats)
    if question.choice_filter is not None and kind not in CHOICE_TYPES:
        problems.append(f"{where(qid, 'choice_filter')}: only choice questions")
    if question.default is not None and not question.asks:
        problems.append(f"{where(qid, 'default')}: only questions that are asked")
    if question.constraint_message and not question.constraint:
        problems.append(f"{where(qid, 'constraint_message')}: there is no constraint")
    if question.required_message and not question.required:
        problems.append(f"{where(qid, 'required_message')}: the question is not required")
    problems.extend(_check_texts(question, set(repeats)))
    problems.extend(_check_repeat(question, repeats))
    return problems


def _check_repeat(question: Question, repeats: Repeats) -> list[str]:
    qid = question.id
    if question.type != "repeat":
        return [
            f"{where(qid, field)}: only a repeat has {field}"
            for field in ("questions", "repeat_count")
            if getattr(question, field) is not None
        ]
    problems = []
    if not any(inner.asks for inner in _within(question)):
        problems.append(f"{where(qid, 'questions')}: a repeat needs a question that is asked")
    if len(repeats.get(qid, ())) >= MAX_NESTING:
        problems.append(f"{where(qid, 'type')}: repeats nest at most {MAX_NESTING} deep")
    count = question.repeat_count
    if isinstance(count, int) and not 0 <= count <= MAX_INSTANCES:
        problems.append(f"{where(qid, 'repeat_count')}: from 0 to {MAX_INSTANCES} instances")
    return problems


def _within(question: Question) -> Iterator[Question]:
    """The questions of a repeat, at every depth."""
    for inner in question.questions or ():
        yield inner
        yield from _within(inner)


def check_valid_questions(raw: Any) -> list[str]:
    """The rules of each question that is well-formed, when the definition as a whole is not."""
    if not isinstance(raw, list):
        return []
    repeats = _raw_repeats(raw, ())
    problems = []
    for entry in raw:
        try:
            question = Question.model_validate(entry)
        except ValidationError:
            continue  # already reported with the definition's structure
        for each in (question, *_within(question)):
            problems.extend(check_question(each, repeats))
    return problems


def _raw_repeats(raw: Any, enclosing: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for entry in raw if isinstance(raw, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            found[entry["id"]] = enclosing
            found.update(_raw_repeats(entry.get("questions"), (*enclosing, entry["id"])))
    return found


def _check_bounds(question: Question) -> list[str]:
    qid, kind = question.id, question.type
    low, high = question.min, question.max
    if low is None and high is None:
        return []
    if kind == "date":
        bad = [
            name
            for name, value in (("min", low), ("max", high))
            if value is not None and not _iso_date(value)
        ]
        if bad:
            return [
                f"{where(qid, name)}: must be an ISO date like 2026-03-15, or today" for name in bad
            ]
        fixed = low is not None and high is not None and TODAY not in (low, high)
        if fixed and str(low) > str(high):
            return [f"{where(qid, 'min')}: after max"]
        return []
    if kind not in NUMBER_TYPES | {"multiple_choice", "file"}:
        return [f"{where(qid, 'min' if low is not None else 'max')}: not bounded for {kind}"]
    problems = []
    for name, value in (("min", low), ("max", high)):
        if value is None:
            continue
        if isinstance(value, str | bool):
            problems.append(f"{where(qid, name)}: must be a number")
        elif kind != "decimal" and not float(value).is_integer():
            problems.append(f"{where(qid, name)}: must be a whole number")
        elif kind in ("multiple_choice", "file") and value < 0:
            problems.append(f"{where(qid, name)}: cannot be negative")
    if problems:
        return problems
    if low is not None and high is not None and float(low) > float(high):
        return [f"{where(qid, 'min')}: greater than max"]
    if kind == "rating":
        start, end = question.bounds()
        if not 2 <= end - start + 1 <= 11:
            return [f"{where(qid, 'max')}: a rating scale has 2 to 11 points"]
    if kind == "multiple_choice" and high is not None and float(high) > len(question.choice_ids()):
        return [f"{where(qid, 'max')}: more than the number of choices"]
    return []
