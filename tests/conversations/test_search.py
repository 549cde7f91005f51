"""A long list is searched by typing part of a name and paged with "More"."""

import pytest

from conversations.definition import parse_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from conversations.engine.navigation import Engine
from conversations.questions.search import MORE, PAGE

STATES = [f"{n:02d}" for n in range(1, 33)]
NAMES = ["San Pedro", "Santa María", "San Juan", "Guadalupe", "Juárez", "Hidalgo", "Morelos"]


def cascade():
    """32 states and 2,470 municipalities, as many as Mexico has, named alike across states."""
    municipalities = [
        {
            "id": f"{STATES[n % 32]}{n:04d}",
            "label": f"{NAMES[n % len(NAMES)]} {n}",
            "data": {"estado": STATES[n % 32]},
        }
        for n in range(2470)
    ]
    municipalities[100]["label"] = "San Pedro Garza García"
    return parse_definition(
        {
            "id": "cascada",
            "version": 1,
            "title": "Cascada",
            "questions": [
                {
                    "id": "estado",
                    "type": "single_choice",
                    "text": "Estado",
                    "choices": [{"id": s, "label": f"Estado {s}"} for s in STATES],
                },
                {
                    "id": "municipio",
                    "type": "single_choice",
                    "text": "Municipio",
                    "choice_filter": "estado = ${estado}",
                    "choices": municipalities,
                },
            ],
        }
    )


@pytest.fixture
def engine():
    return Engine(cascade())


def test_a_long_list_shows_a_page_and_more(engine):
    step = engine.current(engine.start("es"))
    assert step.searchable and len(step.choices) == PAGE + 1 and step.choices[-1].id == MORE
    assert "Escribe parte del nombre" in step.prompt()
    state = engine.feed(engine.start("es"), ChoiceInput(MORE)).state
    assert engine.current(state).choices[0].label == "Estado 09"


def test_a_municipality_among_2470_takes_at_most_three_messages(engine):
    state = engine.feed(engine.start("es"), TextInput("Estado 05")).state
    step = engine.current(state)
    assert step.question_id == "municipio" and step.searchable
    searched = engine.feed(state, TextInput("san ped"))
    assert searched.error is None and 1 < len(searched.step.choices) <= PAGE + 1
    chosen = searched.step.choices[1]
    outcome = engine.feed(searched.state, ChoiceInput(chosen.id))
    assert outcome.finished and outcome.answers["municipio"] == chosen.id


def test_a_text_that_matches_one_answers_at_once(engine):
    state = engine.feed(engine.start("es"), TextInput("Estado 05")).state
    outcome = engine.feed(state, TextInput("garza"))
    assert outcome.answers == {"estado": "05", "municipio": "050100"}


def test_a_text_that_matches_none_is_refused_and_back_undoes_a_search(engine):
    state = engine.feed(engine.start("es"), TextInput("Estado 05")).state
    assert "Nada coincide" in engine.feed(state, TextInput("zzz")).error
    searched = engine.feed(state, TextInput("san"))
    undone = engine.feed(searched.state, CommandInput("back"))
    assert undone.state.draft == {} and undone.step.question_id == "municipio"


def test_a_municipality_of_another_state_cannot_be_chosen(engine):
    state = engine.feed(engine.start("es"), TextInput("Estado 05")).state
    assert engine.feed(state, ChoiceInput("060101")).error is not None
