"""Yes/no, rating scales and acknowledgements: a fixed row of options, answered by one button
or word."""

from __future__ import annotations

from typing import Any

from conversations import answers as read
from conversations.definition import Question, localize
from conversations.engine.inputs import Input, TextInput
from conversations.engine.steps import ChoiceView
from conversations.questions import tally
from conversations.questions.base import Answer, Draft, SingleInput, Today
from conversations.questions.reading import choice_of, yes_no
from i18n import gettext


class Scale(SingleInput):
    """Options the type itself lays out."""

    expects = "choice"
    counted = True

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        fields["choices"] = self.choices(question, language)
        return fields


class YesNo(Scale):
    def choices(self, question: Question, language: str) -> list[ChoiceView]:
        return [
            ChoiceView(id="yes", number=1, label=gettext(language, "Yes")),
            ChoiceView(id="no", number=2, label=gettext(language, "No")),
        ]

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        return Answer(yes_no(given, self.choices(question, language), language))

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        choices = self.choices(question, language)
        return {"options": tally.options(choices, tally.count(given), len(given))}


class Rating(Scale):
    def choices(self, question: Question, language: str) -> list[ChoiceView]:
        low, high = question.bounds()
        choices: list[ChoiceView] = []
        for value in range(int(low), int(high) + 1):
            label = str(value)
            if value == low and question.min_label:
                label = f"{value} — {localize(question.min_label, language)}"
            elif value == high and question.max_label:
                label = f"{value} — {localize(question.max_label, language)}"
            choices.append(ChoiceView(id=str(value), number=len(choices) + 1, label=label))
        return choices

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        return Answer(int(choice_of(given, self.choices(question, language), language)))

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts, total = tally.numeric_counts(given), len(given)
        low, high = question.bounds()
        scale = range(int(low), int(high) + 1)
        return {**tally.numbers(counts), "distribution": tally.distribution(counts, total, scale)}


class Acknowledge(YesNo):
    """One "OK" to press (XLSForm's ``acknowledge``); the answer is ``OK``."""

    def choices(self, question: Question, language: str) -> list[ChoiceView]:
        return [ChoiceView(id="OK", number=1, label=gettext(language, "OK"))]

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        if isinstance(given, TextInput) and read.normalize(given.text) in read.YES_WORDS:
            return Answer("OK")
        return Answer(choice_of(given, self.choices(question, language), language))
