"""Where each question stands in a session: the instance of its repeats, and what it sees.

A repeat's answer is its list of instances, each a dict of its questions' answers (a nested
repeat's answer a list again). A ``Slot`` is one question in one instance: the dict its answer
is kept in, and the ``Scope`` its expressions and texts read. After each instance of a repeat
without a count, the repeat's own slot asks "Add another?", kept in the instance under ``MORE``
(and dropped from the answers once the session is completed). A ``Walk`` lists the slots that
apply, in the order they are asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conversations.definition import (
    MAX_INSTANCES,
    MAX_INSTANCES_IN_ALL,
    Definition,
    ExpressionField,
    Question,
)
from conversations.engine.state import place
from conversations.expressions import Expression, Today, as_number

# The answer to "Add another?" after an instance (no question id starts with "@").
MORE = "@more"
_ABSENT = object()
# Each repeat the slot is in, and the number (from 0) of its instance.
Path = tuple[tuple[str, int], ...]
Expressions = Mapping[tuple[str, ExpressionField], Expression | None]


def gather(answers: Mapping[str, Any], repeats: tuple[str, ...], name: str) -> list[Any]:
    """The answers to ``name`` in every instance of the repeats (outermost first) below
    ``answers``; instances of a repeat named are put together in one list."""
    found: list[Any] = []
    instances = answers.get(repeats[0]) if repeats else None
    for instance in instances if isinstance(instances, list) else ():
        if not isinstance(instance, dict):
            continue
        if len(repeats) > 1:
            found.extend(gather(instance, repeats[1:], name))
        elif name in instance:
            found.append(instance[name])
    return found


class Scope(Mapping[str, Any]):
    """The answers seen from an instance: a question of the same instance (or of the instances
    around it) is its answer there; a question of a repeat the instance is not in, the list of
    its answers in every instance. ``position`` is the instance's number, from 1."""

    def __init__(self, definition: Definition, containers: list[dict[str, Any]], path: Path):
        self.definition = definition
        self.containers = containers
        self.path = path
        self.position = path[-1][1] + 1 if path else None

    def _depth(self, repeats: tuple[str, ...]) -> int:
        """How many of the repeats this scope is in too."""
        depth = 0
        for (repeat, _), other in zip(self.path, repeats, strict=False):
            if repeat != other:
                break
            depth += 1
        return depth

    def get(self, name: str, default: Any = None) -> Any:
        # Looked up for every reference of every expression: no exception for a name unanswered.
        repeats = self.definition.repeats_of(name)
        if not repeats:
            return self.containers[0].get(name, default)
        depth = self._depth(repeats)
        if depth == len(repeats):
            return self.containers[depth].get(name, default)
        values = gather(self.containers[depth], repeats[depth:], name)
        if self.definition.question(name).is_repeat:
            return [instance for instances in values for instance in instances]
        return values

    def __getitem__(self, name: str) -> Any:
        found = self.get(name, _ABSENT)
        if found is _ABSENT:
            raise KeyError(name)
        return found

    def place_of(self, name: str) -> str | None:
        """Where the answer a name reads is kept, when it is one answer."""
        repeats = self.definition.repeats_of(name)
        if self._depth(repeats) != len(repeats):
            return None
        return place(name, tuple(index for _, index in self.path[: len(repeats)]))

    # As a mapping, the names answered in the instance itself.
    def __iter__(self) -> Iterator[str]:
        return iter(self.containers[-1])

    def __len__(self) -> int:
        return len(self.containers[-1])


@dataclass(frozen=True, slots=True)
class Slot:
    """A question in an instance: the dict its answer is kept in, under ``key``."""

    question: Question
    path: Path
    answers: dict[str, Any]
    scope: Scope
    key: str
    # Whether it waits for the person: a question asked, or "Add another?".
    asks: bool

    @property
    def instance(self) -> tuple[int, ...]:
        return tuple(index for _, index in self.path)

    @property
    def place(self) -> str:
        return place(self.question.id, self.instance)

    @property
    def required(self) -> bool:
        """Whether it may not be skipped: "Add another?" never is."""
        return self.key == MORE or self.question.required

    @property
    def answered(self) -> bool:
        return self.key in self.answers

    @property
    def value(self) -> Any:
        return self.answers.get(self.key)


def instance_count(value: Any) -> int:
    """How many instances a repeat_count asks for: a whole number up to the most allowed."""
    number = as_number(value)
    return 0 if number is None else max(0, min(int(number), MAX_INSTANCES))


class Walk:
    """The slots of a session that apply, in order. Writing (``compute``), it also stores the
    calculations and makes the instances the counts and "Add another?" ask for, dropping those
    no longer asked for; else it reads, an instance yet to be made read as empty."""

    def __init__(
        self, definition: Definition, expressions: Expressions, today: Today, compute: bool
    ) -> None:
        self.definition = definition
        self.expressions = expressions
        self.today = today
        self.compute = compute
        self.budget = MAX_INSTANCES_IN_ALL

    def slots(self, answers: dict[str, Any]) -> Iterator[Slot]:
        return self._slots(self.definition.questions, [answers], ())

    def _slots(
        self, questions: list[Question], containers: list[dict[str, Any]], path: Path
    ) -> Iterator[Slot]:
        answers, scope, today = containers[-1], Scope(self.definition, containers, path), self.today
        for question in questions:
            relevant = self.expressions[question.id, "relevant"]
            if relevant is not None and not relevant.holds(scope, today=today):
                continue
            calculation = self.expressions[question.id, "calculation"]
            if calculation is not None and self.compute:
                answers[question.id] = calculation.evaluate(scope, today=today)
            yield Slot(question, path, answers, scope, question.id, question.asks)
            if question.is_repeat:
                yield from self._instances(question, containers, path, scope)

    def _instances(
        self, repeat: Question, containers: list[dict[str, Any]], path: Path, scope: Scope
    ) -> Iterator[Slot]:
        held = containers[-1].get(repeat.id)
        instances = [i for i in held if isinstance(i, dict)] if isinstance(held, list) else []
        count = self.expressions[repeat.id, "repeat_count"]
        if count is not None:
            wanted = instance_count(count.evaluate(scope, today=self.today))
        else:
            wanted = _asked_for(instances)
        wanted = min(wanted, self.budget)
        self.budget -= wanted
        instances = instances[:wanted] + [{} for _ in range(wanted - len(instances))]
        if self.compute:
            containers[-1][repeat.id] = instances
        for index, instance in enumerate(instances):
            inner = (*path, (repeat.id, index))
            yield from self._slots(repeat.questions or [], [*containers, instance], inner)
            if count is None:
                within = Scope(self.definition, [*containers, instance], inner)
                yield Slot(repeat, inner, instance, within, MORE, True)


def _asked_for(instances: list[dict[str, Any]]) -> int:
    """The instances "Add another?" asked for: up to the first "no", one more after a "yes"."""
    for index, instance in enumerate(instances):
        if instance.get(MORE) == "no":
            return index + 1
    another = bool(instances) and instances[-1].get(MORE) == "yes"
    return min(max(len(instances) + another, 1), MAX_INSTANCES)


def slot_at(
    definition: Definition, answers: dict[str, Any], question_id: str, instance: Sequence[int]
) -> Slot | None:
    """The slot a session stands at (a question, or "Add another?" of a repeat without a
    count), or None when the answers hold no such instance."""
    if definition.position(question_id) is None:
        return None
    question = definition.question(question_id)
    repeats = definition.repeats_of(question_id)
    if question.is_repeat:
        if question.repeat_count is not None:
            return None
        repeats = (*repeats, question_id)
    if len(instance) != len(repeats):
        return None
    containers = [answers]
    for repeat, index in zip(repeats, instance, strict=True):
        instances = containers[-1].get(repeat)
        if not isinstance(instances, list) or not 0 <= index < len(instances):
            return None
        if not isinstance(instances[index], dict):
            return None
        containers.append(instances[index])
    path = tuple(zip(repeats, instance, strict=True))
    scope = Scope(definition, containers, path)
    if question.is_repeat:
        return Slot(question, path, containers[-1], scope, MORE, True)
    return Slot(question, path, containers[-1], scope, question_id, question.asks)


def answered_at(definition: Definition, answers: dict[str, Any], key: str) -> bool:
    """Whether the answers hold an answer at a place (``name@1.0``)."""
    question_id, _, numbers = key.partition("@")
    try:
        instance = [int(number) for number in numbers.split(".")] if numbers else []
    except ValueError:
        return False
    slot = slot_at(definition, answers, question_id, instance)
    return slot is not None and slot.key == question_id and slot.answered
