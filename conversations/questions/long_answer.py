"""Long answers: any number of texts, voice notes or files until "done"."""

from __future__ import annotations

from itertools import chain
from typing import Any

from conversations.answers import Refused
from conversations.definition import Question
from conversations.engine.inputs import FileInput, Input, TextInput, is_done
from conversations.questions.base import Answer, Draft, QuestionType, Today
from conversations.questions.files import check_file
from conversations.questions.reading import DEFAULT_MAX_LENGTH, plain_text
from i18n import gettext, ngettext

MAX_PARTS = 50
LONG_ANSWER_KINDS = ["voice", "audio", "document", "photo", "video"]


class LongAnswer(QuestionType):
    can_done = True

    def accept(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        parts: list[dict[str, Any]] = list(draft.get("parts", []))
        if is_done(given):
            if parts:
                return Answer(parts)
            if question.required:
                raise Refused(
                    gettext(language, "Please send your answer before saying you are done.")
                )
            return Answer(None)
        if len(parts) >= MAX_PARTS:
            raise Refused(
                gettext(language, "That is as much as this answer holds: say you are done.")
            )
        if isinstance(given, TextInput):
            limit = question.max_length or DEFAULT_MAX_LENGTH
            parts.append({"kind": "text", "text": plain_text(given.text, limit, language)})
        elif isinstance(given, FileInput):
            check_file(given, question.kinds or LONG_ANSWER_KINDS, question, language)
            parts.append(given.as_answer())
        else:
            raise Refused(
                gettext(language, "Please answer with text or a voice note, then say you are done.")
            )
        return Draft({"parts": parts})

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        fields["maximum"] = question.max_length or DEFAULT_MAX_LENGTH
        fields["file_kinds"] = question.kinds or LONG_ANSWER_KINDS
        fields["collected"] = len(draft.get("parts", []))
        return fields

    def shown(self, question: Question, value: Any, other: str | None, language: str) -> str:
        parts = (
            [part for part in value if isinstance(part, dict)] if isinstance(value, list) else []
        )
        lines = [part.get("text", "") for part in parts if part.get("kind") == "text"]
        files = len(parts) - len(lines)
        if files:
            lines.append(
                ngettext(language, "{n} voice note or file", "{n} voice notes or files", files)
            )
        return "\n".join(lines)

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        every_part = chain.from_iterable(value for value in given if isinstance(value, list))
        parts = [part for part in every_part if isinstance(part, dict)]
        return {
            "texts": [part.get("text", "") for part in parts if part.get("kind") == "text"],
            "files": sum(1 for part in parts if part.get("kind") != "text"),
        }
