"""Files: photos, documents, voice notes, videos or audio, until "done" or the maximum."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babel.numbers import format_decimal

from conversations.answers import Refused
from conversations.definition import DEFAULT_MAX_SIZE, Question
from conversations.engine.inputs import FileInput, Input, is_done
from conversations.questions.base import Answer, Draft, QuestionType, Today
from i18n import N_, gettext, locale_of, ngettext

FILE_KIND_NAMES = {
    "photo": N_("photo"),
    "document": N_("document"),
    "voice": N_("voice note"),
    "video": N_("video"),
    "audio": N_("audio"),
}
DEFAULT_FILE_KINDS = ["photo", "document"]


def check_file(given: FileInput, kinds: Sequence[str], question: Question, language: str) -> None:
    """Refuse a file of another kind, or larger than the question allows."""
    if given.kind not in kinds or not given.file_id:
        raise Refused(kinds_message(kinds, language))
    limit = question.max_size or DEFAULT_MAX_SIZE
    if given.size is not None and given.size > limit:
        megabytes = format_decimal(round(limit / 1024 / 1024, 1), locale=locale_of(language))
        raise Refused(
            gettext(language, "This file is too large: the limit is {size} MB.", size=megabytes)
        )


def kinds_message(kinds: Sequence[str], language: str) -> str:
    """The refusal that names the kinds of file accepted."""
    names = ", ".join(gettext(language, FILE_KIND_NAMES[kind]) for kind in kinds)
    return gettext(language, "Please send a file of one of these kinds: {kinds}.", kinds=names)


class Files(QuestionType):
    expects = "file"
    can_done = True

    def accept(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        files: list[dict[str, Any]] = list(draft.get("files", []))
        low, high = question.bounds()
        kinds = question.kinds or DEFAULT_FILE_KINDS
        if is_done(given):
            if not files and not question.required:
                return Answer(None)
            if len(files) < low:
                raise Refused(
                    ngettext(
                        language,
                        "Please send at least {n} file.",
                        "Please send at least {n} files.",
                        int(low),
                    )
                )
            return Answer(files)
        if not isinstance(given, FileInput):
            raise Refused(kinds_message(kinds, language))
        check_file(given, kinds, question, language)
        files.append(given.as_answer())
        if len(files) >= high:
            return Answer(files)
        return Draft({"files": files})

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        fields["file_kinds"] = question.kinds or DEFAULT_FILE_KINDS
        fields["collected"] = len(draft.get("files", []))
        return fields

    def shown(self, question: Question, value: Any, other: str | None, language: str) -> str:
        count = len(value) if isinstance(value, list) else 0
        return ngettext(language, "{n} file", "{n} files", count)

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        return {"files": sum(len(value) for value in given if isinstance(value, list))}
