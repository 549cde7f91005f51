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
    integer = False

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        text = given.text if isinstance(given, TextInput) else ""
        number = read.read_number(text, language, integer=self.integer)
        _check_range(number, question.min, question.max, language)
        return Answer(number)

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts = tally.numeric_counts(given)
        return {**tally.numbers(counts), "distribution": tally.spread(counts, len(given))}


class Integer(Number):
    integer = True


class Decimal(Number):
    integer = False


def _check_range(number: float, low: Any, high: Any, language: str) -> None:
    too_low = low is not None and number < low
    too_high = high is not None and number > high
    if not (too_low or too_high):
        return
    # Formatted only for the refusal: most numbers given are in range.
    locale = locale_of(language)
    shown_low = format_decimal(low, locale=locale) if low is not None else None
    shown_high = format_decimal(high, locale=locale) if high is not None else None
    if low is not None and high is not None:
        raise Refused(
            gettext(
                language,
                "Please answer with a number between {min} and {max}.",
                min=shown_low,
                max=shown_high,
            )
        )
    if too_low:
        raise Refused(gettext(language, "The number must be at least {min}.", min=shown_low))
    raise Refused(gettext(language, "The number must be at most {max}.", max=shown_high))
