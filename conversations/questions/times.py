"""A time of day, and a date with its time (es-MX: "5 pm", "17:30", "mañana a las 10"); their
figures are those of dates: earliest, latest and how many gave each."""

from __future__ import annotations

from typing import Any

from conversations.definition import Question
from conversations.engine.inputs import Input, TextInput
from conversations.questions.base import Answer, Draft, Today
from conversations.questions.dates import Date
from conversations.times import read_datetime, read_time


class Time(Date):
    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        return Answer(read_time(given.text if isinstance(given, TextInput) else "", language))


class DateTime(Date):
    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        text = given.text if isinstance(given, TextInput) else ""
        return Answer(read_datetime(text, language, today()))
