"""Ranking: successive picks until the top N options are ordered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import zip_longest
from operator import itemgetter
from typing import Any

from conversations import answers as read
from conversations.answers import Refused
from conversations.definition import Question, localize
from conversations.engine.inputs import ChoiceInput, Input, TextInput, is_done
from conversations.engine.steps import ORDER, ChoiceView
from conversations.questions import tally
from conversations.questions.base import Answer, Draft, Today
from conversations.questions.choice import Listed
from conversations.questions.reading import choice_of
from i18n import N_plural, gettext, listing, ngettext, sentence

REPEATED = N_plural("number {numbers} is repeated", "numbers {numbers} are repeated")
TAKEN = N_plural(
    "number {numbers} is already in your order", "numbers {numbers} are already in your order"
)
OUTSIDE = N_plural(
    "number {numbers} is not on the list ({first} to {last})",
    "numbers {numbers} are not on the list ({first} to {last})",
)


class Ranking(Listed):
    separator = ORDER

    def accept(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        ranked: list[str] = list(draft.get("ranked", []))
        needed = question.bounds()[0]
        choices = self.choices(question, language)
        if is_done(given):
            if not ranked and not question.required:
                return Answer(None)
            raise Refused(
                ngettext(
                    language,
                    "Please choose {n} more option, in order of importance.",
                    "Please choose {n} more options, in order of importance.",
                    needed - len(ranked),
                )
            )
        if isinstance(given, ChoiceInput):
            remaining = [choice for choice in choices if choice.id not in ranked]
            picked = [choice_of(given, remaining, language)]
        elif isinstance(given, TextInput):
            picked = _typed(given.text, choices, ranked, language)
        else:
            raise Refused(gettext(language, "Please choose one of the remaining options."))
        ranked.extend(picked)
        if len(ranked) > needed:
            raise Refused(
                ngettext(
                    language,
                    "Only {n} option is ranked here.",
                    "Only the first {n} options are ranked here.",
                    needed,
                )
            )
        left = [choice_id for choice_id in question.choice_ids() if choice_id not in ranked]
        if len(left) == 1 and needed == len(ranked) + 1:
            ranked.append(left[0])
        if len(ranked) == needed:
            return Answer(ranked)
        return Draft({"ranked": ranked})

    def present(self, question: Question, draft: dict[str, Any], language: str) -> dict[str, Any]:
        fields = super().present(question, draft, language)
        choices: list[ChoiceView] = fields["choices"]
        picked = draft.get("ranked", [])
        by_id = {choice.id: choice for choice in choices}
        fields["ranked"] = [by_id[choice_id] for choice_id in picked if choice_id in by_id]
        # The options left keep the numbers they were first shown with, so that a number typed
        # after a partial answer still means the option the person saw under it.
        fields["choices"] = [choice for choice in choices if choice.id not in picked]
        return fields

    def back(self, draft: dict[str, Any]) -> dict[str, Any] | None:
        if draft.get("ranked"):
            return {"ranked": draft["ranked"][:-1]}
        return super().back(draft)

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        return {"options": _borda(question, given, language)}


def _typed(text: str, choices: list[ChoiceView], ranked: list[str], language: str) -> list[str]:
    """The options a typed text names, in order, by number (as first shown), id or label.

    Refused, naming them all at once, when numbers are repeated, already ranked or not on the
    list, or words name no option.
    """
    pairs = [(choice.id, choice.label) for choice in choices]
    number_of = {choice.id: str(choice.number) for choice in choices}
    items = [text] if read.match_choice(text, pairs) is not None else read.split_list(text)
    picked: list[str] = []
    # Dictionaries keep each number once, in the order typed.
    repeated: dict[str, None] = {}
    taken: dict[str, None] = {}
    outside: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for item in items:
        choice_id = read.match_choice(item, pairs)
        if choice_id is None:
            wanted = read.normalize(item)
            if wanted.isdigit():
                outside[wanted] = None
            else:
                unknown[item] = None
        elif choice_id in ranked:
            taken[number_of[choice_id]] = None
        elif choice_id in picked:
            repeated[number_of[choice_id]] = None
        else:
            picked.append(choice_id)
    mistakes = _mistakes(language, len(choices), repeated, taken, outside, unknown)
    if mistakes:
        raise Refused(sentence(language, mistakes))
    if not picked:
        raise Refused(gettext(language, "Please choose one of the remaining options."))
    return picked


def _mistakes(
    language: str,
    size: int,
    repeated: dict[str, None],
    taken: dict[str, None],
    outside: dict[str, None],
    unknown: dict[str, None],
) -> list[str]:
    """One clause per kind of mistake, naming what was typed wrong."""
    clauses = [
        ngettext(
            language,
            *clause,
            len(numbers),
            numbers=listing(language, list(numbers)),
            first=1,
            last=size,
        )
        for numbers, clause in ((repeated, REPEATED), (taken, TAKEN), (outside, OUTSIDE))
        if numbers
    ]
    clauses.extend(
        gettext(language, "“{text}” is not one of the options", text=name) for name in unknown
    )
    return clauses


def _borda(question: Question, given: list[Any], language: str) -> list[dict[str, Any]]:
    """Per option its Borda points, mean rank, times first, times ranked and ``ranks``: how
    many ranked it at each position (first, second, ...)."""
    ids = question.choice_ids()
    size = len(ids)
    orders = [order for order in given if isinstance(order, list)]
    points = dict.fromkeys(ids, 0)
    rank_sums = dict.fromkeys(ids, 0)
    ranked = dict.fromkeys(ids, 0)
    first: Counter[str] = Counter()
    at_rank: dict[str, list[int]] = {choice_id: [] for choice_id in ids}
    # Each column holds what everybody put at one position.
    lengths = set(map(len, orders))
    columns: list[Iterable[Any]]
    if len(lengths) == 1:
        columns = [map(itemgetter(index), orders) for index in range(lengths.pop())]
    else:
        columns = list(zip_longest(*orders))
    for position, column in enumerate(columns, 1):
        counts = tally.count(column)
        if position == 1:
            first = counts
        for choice_id in ids:
            count = counts[choice_id]
            points[choice_id] += count * (size - position + 1)
            rank_sums[choice_id] += count * position
            ranked[choice_id] += count
            at_rank[choice_id].append(count)
    labels = {choice.id: localize(choice.label, language) for choice in question.choices or ()}
    options = [
        {
            "id": choice_id,
            "label": labels.get(choice_id, choice_id),
            "borda": points[choice_id],
            "mean_rank": round(rank_sums[choice_id] / ranked[choice_id], 3)
            if ranked[choice_id]
            else None,
            "first": first[choice_id],
            "ranked": ranked[choice_id],
            "ranks": at_rank[choice_id],
        }
        for choice_id in ids
    ]
    return sorted(options, key=lambda option: (-option["borda"], ids.index(option["id"])))
