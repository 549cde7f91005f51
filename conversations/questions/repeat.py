"""A repeat: its questions asked once per instance and, without a count, "Add another?" (yes
or no) after each."""

from __future__ import annotations

from typing import Any

from conversations.definition import Question
from conversations.questions import tally
from conversations.questions.scales import YesNo
from i18n import gettext


class Repeat(YesNo):
    counted = False  # its answers are its instances: only their number adds up

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        return {
            **super().present(question, draft, language),
            "text": gettext(language, "Add another?"),
        }

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        """How many instances in all (``total``), and the figures of each session's number of
        them (of each enclosing instance's, for a repeat within a repeat)."""
        counts = tally.numeric_counts([len(value) for value in given if isinstance(value, list)])
        total = sum(value * times for value, times in counts.items())
        return {"total": total, **tally.numbers(counts)}
