"""Types that never wait for the person: notes (shown with the next question) and
calculations (computed on the way)."""

from __future__ import annotations

from typing import Any

from conversations.definition import Question
from conversations.questions import tally
from conversations.questions.base import QuestionType


class Note(QuestionType):
    informs = True


class Calculate(QuestionType):
    counted = True

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts, total = tally.numeric_counts(given), len(given)
        if sum(counts.values()) == total:
            return {**tally.numbers(counts), "distribution": tally.spread(counts, total)}
        counts = tally.count(map(str, given))
        return {"distribution": tally.distribution(counts, total, sorted(counts))}
