"""A number written as people write it is taken, a refusal says what was expected, and a date
bounded by today refuses the future."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.definition import parse_definition
from conversations.engine.inputs import TextInput
from conversations.engine.navigation import Engine
from core.chat.definitions import DefinitionCatalog
from tests.support.clock import noon_of

TODAY = date(2026, 12, 3)


def one_question(**question) -> Engine:
    definition = parse_definition(
        {
            "id": "one",
            "version": 1,
            "kind": "survey",
            "title": {"es": "Una", "en": "One"},
            "questions": [{"id": "q", "text": {"es": "¿?", "en": "?"}, **question}],
        }
    )
    return Engine(definition, clock=noon_of(TODAY))


@pytest.mark.parametrize("typed", ["40%", "40 %", "40", " 40 % "])
def test_a_percentage_is_taken_with_or_without_its_sign(typed):
    engine = one_question(type="integer", min=0, max=100)
    outcome = engine.feed(engine.start("es"), TextInput(typed))
    assert outcome.error is None and outcome.state.answers["q"] == 40


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("es", "mucho", "Por favor responde con un número entre 0 y 100."),
        ("es", "140", "Por favor responde con un número entre 0 y 100."),
        ("en", "a lot", "Please answer with a number between 0 and 100."),
    ],
)
def test_a_refused_number_says_which_numbers_are_expected(language, typed, said):
    engine = one_question(type="integer", min=0, max=100)
    assert engine.feed(engine.start(language), TextInput(typed)).error == said


def test_the_workshop_cannot_have_happened_in_the_future():
    engine = Engine(DefinitionCatalog("2026-01").get("workshop_feedback"), clock=noon_of(TODAY))
    state = engine.start("es")
    while engine.current(state).question_id != "workshop_date":
        state = engine.feed(state, TextInput("Sí")).state
    refused = engine.feed(state, TextInput("mañana"))
    assert refused.error == "La fecha no puede ser posterior a hoy."
    assert refused.state == state
    taken = engine.feed(state, TextInput("hoy"))
    assert taken.error is None and taken.state.answers["workshop_date"] == "2026-12-03"
