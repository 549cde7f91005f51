"""Readers shared by several question types: plain text and choices among options."""

from __future__ import annotations

from conversations import answers as read
from conversations.answers import Refused
from conversations.engine.inputs import ChoiceInput, Input, TextInput
from conversations.engine.steps import ChoiceView
from i18n import Number, Titled, gettext, ngettext

DEFAULT_MAX_LENGTH = 4096
OTHER_MAX_LENGTH = 500


def plain_text(text: str, limit: int, language: str) -> str:
    """The text without surrounding spaces; refused when empty or longer than the limit."""
    cleaned = text.strip()
    if not cleaned:
        raise Refused(gettext(language, "Please write your answer."))
    if len(cleaned) > limit:
        raise Refused(
            ngettext(
                language,
                "Your answer is too long: at most {max} character, and it has {length}.",
                "Your answer is too long: at most {max} characters, and it has {length}.",
                limit,
                max=Number(limit),
                length=Number(len(cleaned)),
            )
        )
    return cleaned


def other_text(given: Input, language: str) -> str | None:
    """The text written under "other", or None when the input is no text."""
    if isinstance(given, TextInput):
        return plain_text(given.text, OTHER_MAX_LENGTH, language)
    return None


def choice_of(given: Input, choices: list[ChoiceView], language: str) -> str:
    """The id of the option chosen by a button or named in a text."""
    ids = [choice.id for choice in choices]
    if isinstance(given, ChoiceInput) and given.choice_id in ids:
        return given.choice_id
    if isinstance(given, TextInput):
        found = read.match_choice(given.text, [(c.id, c.label) for c in choices])
        if found is not None:
            return found
    raise Refused(gettext(language, "Please choose one of the options."))


def yes_no(given: Input, choices: list[ChoiceView], language: str) -> str:
    """The first choice for yes, the second for no (yes/no, or consent's accept/decline)."""
    if isinstance(given, TextInput):
        try:
            word = read.read_yes_no(given.text, language)
        except Refused:
            word = None
        if word is not None:
            return choices[0].id if word == "yes" else choices[1].id
    try:
        return choice_of(given, choices, language)
    except Refused:
        # Named as its buttons are: "Sí" or "No", "Acepto" or "No acepto".
        yes, no = (Titled(choice.label) for choice in choices[:2])
        raise Refused(gettext(language, "Please answer {yes} or {no}.", yes=yes, no=no)) from None


def typed_choices(text: str, pairs: list[tuple[str, str]]) -> list[str]:
    """Choices named in a typed text: one whole label, or a list like "1, 3".

    Empty when nothing, or anything in the list, names no choice.
    """
    whole = read.match_choice(text, pairs)
    if whole is not None:
        return [whole]
    named = [read.match_choice(item, pairs) for item in read.split_list(text)]
    return [choice for choice in named if choice is not None] if None not in named else []
