"""Long lists (a state's municipalities, a list from a file): searched by typing part of a
name, and shown a page at a time.

A list longer than ``PAGE`` options shows its first page; a text that names one option (its
id or whole label) or matches only one answers at once; one that matches several shows them a
page at a time, "More" paging on. Every word typed must begin a word of the label, accents and
case aside ("san ped" finds "San Pedro Garza García").
"""

from __future__ import annotations

from typing import Any

from conversations.answers import Refused, normalize
from conversations.definition import Choice, localize
from conversations.engine.inputs import ChoiceInput, Input, TextInput
from conversations.engine.steps import ChoiceView
from i18n import gettext

PAGE = 8
MORE = "@more"  # no choice id starts with "@"
MORE_WORDS = {"mas", "more", "siguiente", "next"}
# Each list's labels normalised (whole, and as words), by the identity of the list and the
# language: every keystroke searches them again.
_LABELS: dict[tuple[int, str], tuple[list[Choice], list[str], list[str]]] = {}
LABELS_KEPT = 64


def is_long(choices: list[Choice] | None) -> bool:
    """Whether a list is searched and paged rather than shown whole."""
    return len(choices or ()) > PAGE


def _labels(choices: list[Choice], language: str) -> tuple[list[str], list[str]]:
    """Each label normalised, and with a space before it: " san pedro" holds " ped"."""
    key = (id(choices), language)
    kept = _LABELS.get(key)
    if kept is not None and kept[0] is choices:
        return kept[1], kept[2]
    labels = [normalize(localize(choice.label, language)) for choice in choices]
    spaced = [f" {label}" for label in labels]
    if len(_LABELS) >= LABELS_KEPT:
        _LABELS.clear()
    _LABELS[key] = (choices, labels, spaced)  # the list is kept so that its id stays its own
    return labels, spaced


def matches(choices: list[Choice], query: str, language: str) -> list[Choice]:
    """The options whose label has a word beginning with each word of the query."""
    wanted = normalize(query).split()
    if not wanted:
        return choices
    parts = [f" {part}" for part in wanted]
    spaced = _labels(choices, language)[1]
    return [
        choice
        for choice, label in zip(choices, spaced, strict=True)
        if all(part in label for part in parts)
    ]


def page(choices: list[Choice], draft: dict[str, Any], language: str) -> list[ChoiceView]:
    """The options of the page the draft stands at, and "More" when there are more."""
    found = matches(choices, draft.get("query", ""), language)
    start = draft.get("page", 0) * PAGE
    views = [
        ChoiceView(id=choice.id, number=number, label=localize(choice.label, language))
        for number, choice in enumerate(found[start : start + PAGE], 1)
    ]
    if len(found) > start + PAGE:
        views.append(ChoiceView(id=MORE, number=len(views) + 1, label=gettext(language, "More ▸")))
    return views


def _has_more(choices: list[Choice], draft: dict[str, Any], language: str) -> bool:
    found = matches(choices, draft.get("query", ""), language)
    return len(found) > (int(draft.get("page", 0)) + 1) * PAGE


def pick(
    choices: list[Choice], given: Input, draft: dict[str, Any], language: str
) -> str | dict[str, Any]:
    """The id chosen, or the draft of the search and page to show next."""
    if isinstance(given, ChoiceInput):
        if given.choice_id == MORE and _has_more(choices, draft, language):
            return {**draft, "page": draft.get("page", 0) + 1}
        if any(choice.id == given.choice_id for choice in choices):
            return given.choice_id
        raise Refused(gettext(language, "Please choose one of the options."))
    text = given.text if isinstance(given, TextInput) else ""
    wanted = normalize(text)
    if wanted in MORE_WORDS and _has_more(choices, draft, language):
        return {**draft, "page": draft.get("page", 0) + 1}
    if wanted.isdigit():
        shown = page(choices, draft, language)
        if 1 <= int(wanted) <= len(shown) and shown[int(wanted) - 1].id != MORE:
            return shown[int(wanted) - 1].id
    labels, _ = _labels(choices, language)
    for choice, label in zip(choices, labels, strict=True):
        if wanted in (choice.id.casefold(), label):
            return choice.id
    found = matches(choices, text, language)
    if len(found) == 1:
        return found[0].id
    if not found:
        raise Refused(
            gettext(language, "Nothing matches “{text}”: try fewer letters.", text=text.strip())
        )
    return {"query": text.strip(), "page": 0}
