"""The choices a ``choice_filter`` leaves, given the answers it reads.

A filter is evaluated against each choice's columns (its ``data``, and ``name`` for its id).
The commonest, ``column = ${question}`` (a cascade: the municipalities of the state chosen),
is answered from an index of the choices by that column, built once; results are kept by the
answers they depend on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from conversations.definition import Choice
from conversations.expressions import Binary, Column, Expression, Reference, Today

KEPT = 256


class ChoiceFilter:
    """One question's filter over its choices."""

    def __init__(self, expression: Expression, choices: list[Choice]) -> None:
        self.expression = expression
        self.choices = choices
        self.names = sorted(expression.references)
        self._kept: dict[tuple[str, ...], list[Choice]] = {}
        self._index: dict[str, list[Choice]] | None = None
        tree = expression.tree
        self._cascade: tuple[str, str] | None = None
        if isinstance(tree, Binary) and tree.operator == "=":
            sides = (tree.left, tree.right)
            columns = [side.name for side in sides if isinstance(side, Column)]
            references = [side.name for side in sides if isinstance(side, Reference)]
            if len(columns) == 1 and len(references) == 1:
                self._cascade = (columns[0], references[0])

    def left(self, answers: Mapping[str, Any], today: Today | date) -> list[Choice]:
        """The choices the filter leaves with these answers."""
        key = tuple(repr(answers.get(name)) for name in self.names)
        found = self._kept.get(key)
        if found is None:
            found = self._compute(answers, today)
            if len(self._kept) >= KEPT:
                self._kept.clear()
            self._kept[key] = found
        return found

    def _compute(self, answers: Mapping[str, Any], today: Today | date) -> list[Choice]:
        if self._cascade is not None:
            column, reference = self._cascade
            value = answers.get(reference)
            found = self._by(column).get(str(value)) if isinstance(value, str) else None
            if found is not None:
                return found  # else compared as the expression would: "1" equals "01"
        return [
            choice
            for choice in self.choices
            if self.expression.holds(answers, today=today, columns=_columns(choice))
        ]

    def _by(self, column: str) -> dict[str, list[Choice]]:
        if self._index is None:
            self._index = {}
            for choice in self.choices:
                value = _columns(choice).get(column)
                if value is not None:
                    self._index.setdefault(value, []).append(choice)
        return self._index


def _columns(choice: Choice) -> dict[str, str]:
    return {**(choice.data or {}), "name": choice.id}
