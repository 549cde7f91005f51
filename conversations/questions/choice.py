"""Choosing among listed options, with "other, specify": single choice, and what the choice
types share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from conversations.answers import Refused
from conversations.definition import OTHER_CHOICE, Question, localize
from conversations.engine.inputs import ChoiceInput, Input
from conversations.engine.steps import ChoiceView, Expects
from conversations.questions import search, tally
from conversations.questions.base import (
    Answer,
    Draft,
    QuestionType,
    SingleInput,
    Today,
    other_noted,
)
from conversations.questions.reading import choice_of, other_text
from i18n import gettext


def listed_choices(question: Question, language: str) -> list[ChoiceView]:
    """The question's options, with "other" last when it has one."""
    labels = [(c.id, localize(c.label, language)) for c in question.choices or ()]
    if question.other:
        labels.append((OTHER_CHOICE, gettext(language, "Other (please specify)")))
    return [
        ChoiceView(id=choice_id, number=number, label=label)
        for number, (choice_id, label) in enumerate(labels, 1)
    ]


class Listed(QuestionType):
    """Options listed by the definition; choosing "other" asks for its text."""

    expects: ClassVar[Expects] = "choice"
    counted = True

    def choices(self, question: Question, language: str) -> list[ChoiceView]:
        return listed_choices(question, language)

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        fields["choices"] = self.choices(question, language)
        if draft.get("other_pending"):
            fields["expects"] = "text"
            fields["text"] = gettext(language, "Please write what the other option is.")
        return fields

    def back(self, draft: dict[str, Any]) -> dict[str, Any] | None:
        if not draft.get("other_pending"):
            return None
        selected = [choice for choice in draft.get("selected", []) if choice != OTHER_CHOICE]
        return {**draft, "selected": selected, "other_pending": False}

    def still_fits(self, question: Question, value: Any) -> bool:
        ids = set(question.choice_ids())
        values = value if isinstance(value, list) else [value]
        return all(item in ids for item in values)

    def chosen(self, given: list[Any]) -> Iterable[Any]:
        """Every option chosen in the answers given."""
        return given

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        counts = tally.count(self.chosen(given))
        figures: dict[str, Any] = {
            "options": tally.options(self.choices(question, language), counts, len(given))
        }
        if question.other:
            figures["other_texts"] = others
        return figures


class SingleChoice(Listed, SingleInput):
    """One option; a long list is searched by typing and shown a page at a time."""

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        if not search.is_long(question.choices) or draft.get("other_pending"):
            return super().present(question, draft, language)
        fields = QuestionType.present(self, question, draft, language)
        fields["choices"] = search.page(question.choices or [], draft, language)
        fields["searchable"] = True
        return fields

    def back(self, draft: dict[str, Any]) -> dict[str, Any] | None:
        if draft.get("query") or draft.get("page"):
            return {}
        return super().back(draft)

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        if draft.get("other_pending") and not isinstance(given, ChoiceInput):
            other = other_text(given, language)
            if other is None:
                raise Refused(gettext(language, "Please write what the other option is."))
            return Answer(OTHER_CHOICE, other, other_noted(other, language))
        if search.is_long(question.choices):
            picked = search.pick(question.choices or [], given, draft, language)
            return Draft(picked) if isinstance(picked, dict) else Answer(picked)
        choice_id = choice_of(given, self.choices(question, language), language)
        if choice_id == OTHER_CHOICE:
            return Draft({"other_pending": True})
        return Answer(choice_id)
