"""Multiple choice: each option toggles until "done", within the question's bounds."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from conversations.answers import Refused
from conversations.definition import OTHER_CHOICE, Question
from conversations.engine.inputs import ChoiceInput, Input, TextInput, is_done
from conversations.questions.base import Answer, Draft, Today, other_noted
from conversations.questions.choice import Listed
from conversations.questions.reading import (
    OTHER_MAX_LENGTH,
    choice_of,
    plain_text,
    typed_choices,
)
from i18n import gettext, ngettext


class MultipleChoice(Listed):
    expects = "choices"
    can_done = True

    def accept(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        draft = dict(draft)
        selected: list[str] = list(draft.get("selected", []))
        if draft.get("other_pending"):
            if is_done(given):
                # Done before the text of "other": the text, when it comes, finishes the answer.
                self._check_count(question, selected, language)
                waits = gettext(
                    language, "Noted. Now write what the other option is: your answer goes with it."
                )
                return Draft({**draft, "finishing": True}, waits)
            if isinstance(given, TextInput):
                return self._other_written(question, draft, selected, given, language)
        if is_done(given):
            return self._finish(question, draft, selected, language)
        draft.pop("finishing", None)
        choices = self.choices(question, language)
        if isinstance(given, ChoiceInput):
            picked = [choice_of(given, choices, language)]
        elif isinstance(given, TextInput):
            pairs = [(choice.id, choice.label) for choice in choices]
            picked = typed_choices(given.text, pairs)
            if not picked:
                raise Refused(gettext(language, "Please choose one of the options."))
        else:
            raise Refused(gettext(language, "Please choose one of the options."))
        for choice_id in dict.fromkeys(picked):
            if choice_id in selected:
                selected.remove(choice_id)
                if choice_id == OTHER_CHOICE:
                    draft.pop("other", None)
                    draft["other_pending"] = False
            else:
                selected.append(choice_id)
                if choice_id == OTHER_CHOICE:
                    draft["other_pending"] = True
        _, high = question.bounds()
        if high is not None and len(selected) > high:
            raise Refused(
                ngettext(
                    language,
                    "You can choose at most {n} option.",
                    "You can choose at most {n} options.",
                    int(high),
                )
            )
        order = question.choice_ids()
        draft["selected"] = sorted(selected, key=order.index)
        return Draft(draft)

    def _other_written(
        self,
        question: Question,
        draft: dict[str, Any],
        selected: list[str],
        given: TextInput,
        language: str,
    ) -> Answer | Draft:
        """The text of "other" noted; the answer itself when done was said before it."""
        other = plain_text(given.text, OTHER_MAX_LENGTH, language)
        draft.update(other=other, other_pending=False)
        noted = other_noted(other, language)
        if draft.pop("finishing", False):
            finished = self._finish(question, draft, selected, language)
            return Answer(finished.value, finished.other, noted)
        return Draft(draft, noted)

    def _finish(
        self, question: Question, draft: dict[str, Any], selected: list[str], language: str
    ) -> Answer:
        if not selected and not question.required:
            return Answer(None)
        self._check_count(question, selected, language)
        if OTHER_CHOICE in selected and not draft.get("other"):
            raise Refused(gettext(language, "Please write what the other option is."))
        return Answer(selected, draft.get("other") if OTHER_CHOICE in selected else None)

    def _check_count(self, question: Question, selected: list[str], language: str) -> None:
        """Refuse fewer or more options than the question takes."""
        low, high = question.bounds()
        if len(selected) < low or (high is not None and len(selected) > high):
            if high is not None and low != high:
                message = gettext(
                    language,
                    "Please choose between {min} and {max} options.",
                    min=int(low),
                    max=int(high),
                )
            else:
                message = ngettext(
                    language,
                    "Please choose at least {n} option.",
                    "Please choose at least {n} options.",
                    int(max(low, 1)),
                )
            raise Refused(message)

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        selected = set(draft.get("selected", []))
        fields["choices"] = [
            choice.model_copy(update={"selected": choice.id in selected})
            for choice in fields["choices"]
        ]
        return fields

    def initial_draft(self, question: Question, answer: Any, other: str | None) -> dict[str, Any]:
        if not isinstance(answer, list):
            return {}
        draft: dict[str, Any] = {"selected": list(answer)}
        if other is not None:
            draft["other"] = other
        return draft

    def chosen(self, given: list[Any]) -> Iterable[Any]:
        return chain.from_iterable(value for value in given if isinstance(value, list))
