"""Dates: ISO, numeric in the locale's order or with the month's name, within bounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date

from conversations import answers as read
from conversations.answers import Refused
from conversations.definition import TODAY, Question
from conversations.engine.inputs import Input, TextInput
from conversations.questions import tally
from conversations.questions.base import Answer, Draft, SingleInput, Today
from i18n import gettext, locale_of


class Date(SingleInput):
    counted = True

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        text = given.text if isinstance(given, TextInput) else ""
        now = today()
        day = read.read_date(text, language, now).isoformat()
        low, high = (now.isoformat() if bound == TODAY else bound for bound in question.bounds())
        if low is not None and day < str(low):
            shown = format_date(date.fromisoformat(str(low)), "long", locale_of(language))
            raise Refused(gettext(language, "The date must be {date} or later.", date=shown))
        if question.max == TODAY and day > str(high):
            raise Refused(gettext(language, "The date cannot be later than today."))
        if high is not None and day > str(high):
            shown = format_date(date.fromisoformat(str(high)), "long", locale_of(language))
            raise Refused(gettext(language, "The date must be {date} or earlier.", date=shown))
        return Answer(day)

    def shown(self, question: Question, value: Any, other: str | None, language: str) -> str:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:  # a time, or a date with its time
            return super().shown(question, value, other, language)
        return format_date(day, "long", locale_of(language))

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts = tally.count(value for value in given if isinstance(value, str))
        return {
            "earliest": min(counts, default=None),
            "latest": max(counts, default=None),
            "distribution": tally.distribution(counts, len(given), sorted(counts)),
        }
