"""What every question type provides, and the two results of reading an input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from conversations.answers import Refused
from conversations.definition import OTHER_CHOICE, Question
from conversations.engine.inputs import CommandInput, Input
from conversations.engine.steps import ChoiceView, Expects
from i18n import gettext

Today = Callable[[], date]


@dataclass(frozen=True, slots=True)
class Answer:
    """The question is answered: its value, the text written under "other", and what to tell
    the person was noted (the text they just wrote under "other")."""

    value: Any
    other: str | None = None
    noted: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """The answer is still being built: what the next input continues from, and what to tell
    the person was noted."""

    draft: dict[str, Any]
    noted: str | None = None


def other_noted(text: str, language: str) -> str:
    """What the person reads back after writing the "other" option: "Noted: Other — text"."""
    return gettext(language, "Noted: {answer}", answer=other_shown(text, language))


def other_shown(text: str, language: str) -> str:
    """The "other" option with the text written under it."""
    return gettext(language, "Other — {text}", text=text)


class QuestionType:
    """One question type: how it reads inputs, what its step shows, how its answers add up."""

    expects: ClassVar[Expects] = "text"
    # Built from several inputs until "done".
    can_done: ClassVar[bool] = False
    # Only informs (a note): never answered, shown with the question that follows.
    informs: ClassVar[bool] = False
    # Its figures depend only on how many times each answer was given, so answers can be counted
    # as they come; otherwise (texts, files, places) they are kept in the order given.
    counted: ClassVar[bool] = False
    # Between the parts of an answer read back.
    separator: ClassVar[str] = ", "

    def accept(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        """The answer (or the draft so far) that the input gives; Refused says why not."""
        raise NotImplementedError(f"{type(self).__name__} waits for no input")

    def choices(self, question: Question, language: str) -> list[ChoiceView]:
        """The options to choose from, numbered from 1 (none unless the type offers them)."""
        return []

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        """The fields of the step that depend on the type and the draft."""
        low, high = question.bounds()
        return {"expects": self.expects, "minimum": low, "maximum": high}

    def back(self, draft: dict[str, Any]) -> dict[str, Any] | None:
        """The draft once ``back`` undoes its last part, or None when there is none to undo."""
        return None

    def initial_draft(self, question: Question, answer: Any, other: str | None) -> dict[str, Any]:
        """The draft a revisited question starts from, given its answer."""
        return {}

    def shown(self, question: Question, value: Any, other: str | None, language: str) -> str:
        """An answer as the person reads it back: option labels, "other" with its text."""
        labels = {choice.id: choice.label for choice in self.choices(question, language)}
        values = value if isinstance(value, list) else [value]
        return self.separator.join(
            other_shown(other, language)
            if item == OTHER_CHOICE and other
            else labels.get(str(item), str(item))
            for item in values
        )

    def still_fits(self, question: Question, value: Any) -> bool:
        """Whether an answer given under another version of the definition still fits."""
        return True

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        """The figures of the answers given (``others``: the texts written under "other")."""
        return {"texts": list(map(str, given))}


class SingleInput(QuestionType):
    """A type answered by one input, so no command finishes it."""

    def accept(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        if isinstance(given, CommandInput):  # only "done" reaches a question
            raise Refused(
                gettext(language, "There is nothing to finish here: please answer the question.")
            )
        return self.read(question, given, draft, language, today)

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        """The answer given by an input that is not a command."""
        raise NotImplementedError
