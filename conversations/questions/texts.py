"""Typed text: free text, and the texts of a known shape (email, web address, phone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conversations import answers as read
from conversations.definition import Question
from conversations.engine.inputs import Input, TextInput
from conversations.questions.base import Answer, Draft, SingleInput, Today
from conversations.questions.reading import DEFAULT_MAX_LENGTH, plain_text


class Text(SingleInput):
    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        text = given.text if isinstance(given, TextInput) else ""
        return Answer(plain_text(text, question.max_length or DEFAULT_MAX_LENGTH, language))

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        fields["maximum"] = question.max_length or DEFAULT_MAX_LENGTH
        return fields


class Shaped(SingleInput):
    """A text of a known shape, read (and normalised) by one reader."""

    def __init__(self, reader: Callable[[str, str], str]) -> None:
        self.reader = reader

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        text = given.text if isinstance(given, TextInput) else ""
        return Answer(self.reader(text, language))


EMAIL = Shaped(read.read_email)
URL = Shaped(read.read_url)
PHONE = Shaped(read.read_phone)
