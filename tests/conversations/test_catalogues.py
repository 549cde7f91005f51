"""Mexico's states and municipalities ship with the product, and any definition asks them."""

import json

import pytest

from conversations.catalogues import catalogue
from conversations.definition import DefinitionError, parse_definition, read_definition
from conversations.engine.inputs import ChoiceInput, TextInput
from conversations.engine.navigation import Engine
from conversations.questions.search import PAGE
from conversations.xlsform import read_xlsform
from tests.conversations.xlsforms import FORMS

PAIR = [
    {"id": "estado", "type": "single_choice", "text": "Estado", "choices_from": "inegi_estados"},
    {
        "id": "municipio",
        "type": "single_choice",
        "text": "Municipio",
        "choices_from": "inegi_municipios",
        "choice_filter": "estado = ${estado}",
    },
]


def pair(**fields):
    return parse_definition(
        {"id": "lugar", "version": 1, "title": "Lugar", "questions": PAIR, **fields}
    )


def test_the_catalogue_has_every_state_and_municipality_by_its_inegi_key():
    states = catalogue("inegi_estados")
    municipalities = catalogue("inegi_municipios")
    assert len(states) == 32 and len(municipalities) == 2475
    assert {"id": "09", "label": "Ciudad de México"} in states
    assert len({m["id"] for m in municipalities}) == len(municipalities)
    assert all(m["id"][:2] == m["data"]["estado"] for m in municipalities)
    by_state = {
        s["id"]: sum(m["data"]["estado"] == s["id"] for m in municipalities) for s in states
    }
    assert (by_state["20"], by_state["21"], by_state["30"], by_state["09"]) == (570, 217, 212, 16)
    assert {
        "id": "19019",
        "label": "San Pedro Garza García",
        "data": {"estado": "19"},
    } in municipalities


def test_a_municipality_is_picked_in_three_messages_and_its_inegi_keys_are_stored():
    engine = Engine(pair())
    state = engine.feed(engine.start("es"), TextInput("nuevo leon")).state
    step = engine.current(state)
    assert step.question_id == "municipio" and step.searchable
    searched = engine.feed(state, TextInput("san"))  # 2: San Nicolás, San Pedro Garza García
    assert searched.error is None and 1 < len(searched.step.choices) <= PAGE + 1
    chosen = next(c for c in searched.step.choices if c.label == "San Pedro Garza García")
    outcome = engine.feed(searched.state, ChoiceInput(chosen.id))  # 3
    assert outcome.finished and outcome.answers == {"estado": "19", "municipio": "19019"}


def test_only_the_chosen_states_municipalities_are_offered():
    engine = Engine(pair())
    state = engine.feed(engine.start("es"), TextInput("Ciudad de México")).state
    outcome = engine.feed(state, TextInput("Juárez"))  # Benito Juárez only, in the capital
    assert outcome.answers["municipio"] == "09014"


def test_a_stored_definition_names_the_catalogue_instead_of_copying_it():
    stored = pair().model_dump(mode="json")
    assert "choices" not in stored["questions"][1]
    assert len(json.dumps(stored)) < 2000
    again = read_definition(json.dumps(stored).encode(), "lugar.json")
    assert len(again.question("municipio").choices) == 2475


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ({**PAIR[0], "choices": [{"id": "a", "label": "A"}]}, "write choices or choices_from"),
        ({**PAIR[0], "choices_from": "inegi_paises"}, "field 'choices_from'"),
        (
            {"id": "estado", "type": "text", "text": "E", "choices_from": "inegi_estados"},
            "only choice",
        ),
    ],
)
def test_a_catalogue_asked_wrongly_is_refused(question, problem):
    with pytest.raises(DefinitionError) as raised:
        parse_definition({"id": "x", "version": 1, "title": "X", "questions": [question]})
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_an_xlsform_asks_the_pair_from_the_catalogue_with_no_file_beside_it(tmp_path):
    form = next(form for form in FORMS if form.name == "estado_municipio_inegi")
    definition = read_xlsform(form.write(tmp_path).read_bytes(), "lugar.xlsx")
    assert [q.choices_from for q in definition.questions] == ["inegi_estados", "inegi_municipios"]
    assert definition.question("municipio").choice_filter == "estado = ${estado}"
