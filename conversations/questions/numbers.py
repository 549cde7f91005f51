"""Numbers: whole (integer) or not (decimal), in the person's locale, within bounds."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal

from conversations import answers as read
from conversations.answers import Refused
from conversations.definition import Question
from conversations.engine.inputs import Input, TextInput
from conversations.questions import tally
from conversations.questions.base import Answer, Draft, SingleInput, Today
from i18n import gettext, locale_of


class Number(SingleInput):
    counted = True
    integer = False

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        text = given.text if isinstance(given, TextInput) else ""
        low: Any = question.min  # a number question's bounds are numbers
        high: Any = question.max
        try:
            number = read.read_number(text, language, integer=self.integer)
        except Refused:
            # Not a number at all: say which numbers are expected, where the question bounds them.
            if low is not None and high is not None:
                raise _out_of_range(low, high, language) from None
            raise
        if (low is not None and number < low) or (high is not None and number > high):
            raise _out_of_range(low, high, language)
        return Answer(number)

    def shown(self, question: Question, value: Any, other: str | None, language: str) -> str:
        if not isinstance(value, int | float):
            return super().shown(question, value, other, language)
        return format_decimal(value, locale=locale_of(language))

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts = tally.numeric_counts(given)
        return {**tally.numbers(counts), "distribution": tally.spread(counts, len(given))}


class Integer(Number):
    integer = True


class Decimal(Number):
    integer = False


def _out_of_range(low: Any, high: Any, language: str) -> Refused:
    """The refusal that names the numbers expected."""
    # Formatted only for the refusal: most numbers given are in range.
    locale = locale_of(language)
    shown_low = format_decimal(low, locale=locale) if low is not None else None
    shown_high = format_decimal(high, locale=locale) if high is not None else None
    if low is not None and high is not None:
        return Refused(
            gettext(
                language,
                "Please answer with a number between {min} and {max}.",
                min=shown_low,
                max=shown_high,
            )
        )
    if high is None:
        return Refused(gettext(language, "The number must be at least {min}.", min=shown_low))
    return Refused(gettext(language, "The number must be at most {max}.", max=shown_high))
