"""A ranking keeps every option's number through the whole question, and a typed order with
mistakes is refused naming each of them."""

import pytest

from conversations.definition import parse_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from conversations.engine.navigation import Engine
from tests.conversations.conftest import choices, text
from tests.support.conversations import run

SEVEN = {
    "id": "seven",
    "version": 1,
    "kind": "survey",
    "title": text("Prioridades", "Priorities"),
    "questions": [
        {
            "id": "order",
            "type": "ranking",
            "text": text("Ordena", "Rank"),
            "choices": choices("a", "b", "c", "d", "e", "f", "g"),
            "top": 4,
        },
        {"id": "why", "type": "text", "text": text("¿Por qué?", "Why?")},
    ],
}


@pytest.fixture
def engine():
    return Engine(parse_definition(SEVEN, "seven.yaml"))


def fed(engine, language, *inputs):
    return run(engine, engine.start(language), *inputs).state if inputs else engine.start(language)


def test_a_number_typed_after_a_partial_order_means_the_option_shown_with_it(engine):
    state = fed(engine, "es", TextInput("3, 1"))
    step = engine.current(state)
    assert [(c.number, c.id) for c in step.choices] == [
        (2, "b"),
        (4, "d"),
        (5, "e"),
        (6, "f"),
        (7, "g"),
    ]
    assert "Tu orden hasta ahora: Opción c → Opción a" in step.prompt()
    state = fed(engine, "es", TextInput("3, 1"), TextInput("5"))
    assert state.draft == {"ranked": ["c", "a", "e"]}
    assert [c.number for c in engine.current(state).choices] == [2, 4, 6, 7]


def test_buttons_and_typed_numbers_mix_without_renumbering(engine):
    state = fed(engine, "es", ChoiceInput("g"), TextInput("2"), ChoiceInput("d"), TextInput("5"))
    assert state.answers["order"] == ["g", "b", "d", "e"]
    assert engine.current(state).question_id == "why"


@pytest.mark.parametrize(
    ("language", "earlier", "typed", "error"),
    [
        ("es", [], "3, 3, 9", "El 3 está repetido y el 9 no está en la lista (1 a 7)."),
        ("en", [], "3, 3, 9", "Number 3 is repeated and number 9 is not on the list (1 to 7)."),
        (
            "es",
            [],
            "2, 2, 4, 4, 8, 0",
            "Los números 2 y 4 están repetidos y los números 8 y 0 no están en la lista (1 a 7).",
        ),
        ("es", ["3"], "1, 3", "El 3 ya está en tu orden."),
        ("es", ["3"], "3, 3, 1", "El 3 ya está en tu orden."),
        ("es", [], "2, zeta", "«zeta» no es una de las opciones."),
    ],
)
def test_a_typed_order_with_mistakes_is_refused_naming_each(
    engine, language, earlier, typed, error
):
    state = fed(engine, language, *map(TextInput, earlier))
    before = engine.current(state)
    outcome = engine.feed(state, TextInput(typed))
    assert outcome.error == error
    assert outcome.state == state and outcome.step == before


def test_back_undoes_the_last_pick_and_the_numbers_stay(engine):
    state = fed(engine, "es", TextInput("6, 2"), CommandInput("back"))
    assert state.draft == {"ranked": ["f"]}
    assert [c.number for c in engine.current(state).choices] == [1, 2, 3, 4, 5, 7]
