"""A repeat: its questions asked once per instance and, without a count, "Add another?" (yes
or no) after each; its figures count the instances."""

from __future__ import annotations

from typing import Any

from conversations.definition import Question
from conversations.questions import tally
from conversations.questions.scales import YesNo
from i18n import gettext


class Repeat(YesNo):
    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        return {
            **super().present(question, draft, language),
            "text": gettext(language, "Add another?"),
        }

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts = tally.numeric_counts([len(value) for value in given if isinstance(value, list)])
        return {
            "instances": sum(value * times for value, times in counts.items()),
            **tally.numbers(counts),
        }
