"""Repeats: questions asked once per instance, by a count or until "no" to "Add another?"."""

import json

import pytest

from conversations.definition import DefinitionError
from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from conversations.engine.navigation import Engine
from conversations.engine.state import SessionState
from tests.conversations.conftest import ROSTER, TRIPS, with_questions
from tests.support.conversations import run

YES, NO = ChoiceInput("yes"), ChoiceInput("no")


def test_a_count_from_an_earlier_answer_asks_each_instance_and_keeps_a_list_of_them():
    engine = Engine(ROSTER)
    outcome = run(
        engine,
        engine.start("es"),
        TextInput("2"),
        TextInput("Ana"),
        TextInput("40"),
        TextInput("Luis"),
        TextInput("12"),
        TextInput("sí"),
    )
    assert outcome.finished
    assert outcome.answers == {
        "personas": 2,
        "integrantes": [
            {"nombre": "Ana", "edad": 40},
            {"nombre": "Luis", "edad": 12, "escuela": "yes"},
        ],
        "total": 52,
    }


def test_each_question_of_an_instance_says_which_one_and_shows_its_answers():
    engine = Engine(ROSTER)
    state = run(engine, engine.start("es"), TextInput("2"), TextInput("Ana")).state
    step = engine.current(state)
    assert (step.question_id, step.instance, step.text) == ("edad", [0], "Edad de Ana")
    assert step.section == "Integrante (1.º)"
    assert (step.progress, step.total) == (3, 5)
    state = run(engine, state, TextInput("40"), TextInput("Luis")).state
    assert engine.current(state).prompt() == "Integrante (2.º)\n\nEdad de Luis"
    english = Engine(ROSTER).current(state.model_copy(update={"language": "en"}))
    assert english.section == "Member (#2)"


def test_add_another_is_asked_after_each_instance_and_repeats_nest():
    engine = Engine(TRIPS)
    state = run(engine, engine.start("es"), TextInput("Oaxaca"), TextInput("Mitla")).state
    step = engine.current(state)
    assert (step.kind, step.question_id, step.instance) == ("repeat", "paradas", [0, 0])
    assert step.text == "¿Agregar otro?"
    assert [choice.label for choice in step.choices] == ["Sí", "No"]
    assert step.section == "Viaje (1.º) · Parada en Oaxaca (1.º)"
    assert not step.can_skip
    outcome = run(
        engine,
        state,
        YES,
        TextInput("Tule"),
        NO,
        YES,
        TextInput("Puebla"),
        TextInput("Cholula"),
        NO,
        NO,
        TextInput("Todo bien"),
    )
    assert outcome.answers == {
        "viajes": [
            {"destino": "Oaxaca", "paradas": [{"lugar": "Mitla"}, {"lugar": "Tule"}]},
            {"destino": "Puebla", "paradas": [{"lugar": "Cholula"}]},
        ],
        "fin": "Todo bien",
    }
    english = Engine(TRIPS).start("en")
    english = run(Engine(TRIPS), english, TextInput("Oaxaca"), TextInput("Mitla")).state
    assert Engine(TRIPS).current(english).text == "Add another?"


def test_back_crosses_instances_and_no_drops_the_instances_after():
    engine = Engine(TRIPS)
    state = run(engine, engine.start("es"), TextInput("Oaxaca"), TextInput("Mitla"), NO, YES).state
    at_second = engine.current(state)
    assert (at_second.question_id, at_second.instance) == ("destino", [1])
    back = run(engine, state, CommandInput("back"))
    assert (back.step.question_id, back.step.instance) == ("viajes", [0])
    assert back.step.previous == "Sí" and back.step.section == "Viaje (1.º)"
    further = run(engine, back.state, CommandInput("back"))
    assert (further.step.question_id, further.step.instance) == ("paradas", [0, 0])
    assert further.step.previous == "No"
    outcome = run(engine, back.state, NO, TextInput("Listo"))
    assert outcome.answers == {
        "viajes": [{"destino": "Oaxaca", "paradas": [{"lugar": "Mitla"}]}],
        "fin": "Listo",
    }


def test_a_smaller_count_given_again_drops_the_instances_past_it():
    engine = Engine(ROSTER)
    state = run(engine, engine.start("es"), TextInput("2"), TextInput("Ana"), TextInput("40")).state
    for _ in range(3):
        state = run(engine, state, CommandInput("back")).state
    outcome = run(engine, state, TextInput("1"))
    assert outcome.answers == {
        "personas": 1,
        "integrantes": [{"nombre": "Ana", "edad": 40}],
        "total": 40,
    }


def test_expressions_read_the_instance_they_are_in_and_every_instance_from_outside():
    engine = Engine(
        with_questions(
            {
                "id": "hijos",
                "type": "repeat",
                "text": "Hijo",
                "repeat_count": 3,
                "questions": [
                    {"id": "numero", "type": "calculate", "calculation": "position(..)"},
                    {"id": "edad", "type": "integer", "text": "Edad del hijo ${numero}"},
                    {
                        "id": "mayor",
                        "type": "yes_no",
                        "text": "¿Es mayor que el anterior?",
                        "relevant": "position(..) > 1",
                        "constraint": ". = 'yes' or ${edad} <= "
                        "indexed-repeat(${edad}, ${hijos}, position(..) - 1)",
                        "constraint_message": "La edad dice que sí",
                    },
                ],
            },
            {"id": "cuantos", "type": "calculate", "calculation": "count(${hijos})"},
            {"id": "suma", "type": "calculate", "calculation": "sum(${edad})"},
            {
                "id": "primero",
                "type": "calculate",
                "calculation": "indexed-repeat(${edad}, ${hijos}, 1)",
            },
        )
    )
    state = run(engine, engine.start("es"), TextInput("10")).state
    assert engine.current(state).text == "Edad del hijo 2"
    state = run(engine, state, TextInput("12")).state
    refused = engine.feed(state, NO)
    assert refused.error == "La edad dice que sí"
    outcome = run(engine, state, YES, TextInput("5"), NO)
    assert outcome.answers == {
        "hijos": [
            {"numero": 1, "edad": 10},
            {"numero": 2, "edad": 12, "mayor": "yes"},
            {"numero": 3, "edad": 5, "mayor": "no"},
        ],
        "cuantos": 3,
        "suma": 27,
        "primero": 10,
    }


def test_other_texts_are_kept_by_the_instance_they_were_written_in():
    engine = Engine(
        with_questions(
            {
                "id": "parientes",
                "type": "repeat",
                "text": "Pariente",
                "repeat_count": 2,
                "questions": [
                    {
                        "id": "relacion",
                        "type": "single_choice",
                        "text": "Relación",
                        "choices": [{"id": "hijo", "label": "Hijo"}, {"id": "tio", "label": "Tío"}],
                        "other": True,
                    }
                ],
            }
        )
    )
    outcome = run(
        engine,
        engine.start("es"),
        ChoiceInput("other"),
        TextInput("Cuñado"),
        ChoiceInput("other"),
        TextInput("Suegra"),
    )
    assert outcome.answers == {"parientes": [{"relacion": "other"}, {"relacion": "other"}]}
    assert outcome.state.others == {"relacion@0": "Cuñado", "relacion@1": "Suegra"}


def test_the_state_given_is_left_untouched_and_stays_plain_json():
    engine = Engine(TRIPS)
    state = run(engine, engine.start("es"), TextInput("Oaxaca")).state
    before = json.dumps(state.to_json())
    fed = engine.feed(state, TextInput("Mitla")).state
    assert json.dumps(state.to_json()) == before
    assert SessionState.from_json(json.dumps(fed.to_json())) == fed
    assert fed.answers["viajes"][0]["paradas"] == [{"lugar": "Mitla"}]


def test_an_instance_past_the_most_allowed_is_refused_with_the_reason():
    engine = Engine(
        with_questions(
            {
                "id": "nombres",
                "type": "repeat",
                "text": "Nombre",
                "questions": [{"id": "nombre", "type": "text", "text": "Nombre"}],
            }
        )
    )
    state = engine.start("es")
    for n in range(49):
        state = run(engine, state, TextInput(f"N{n}"), YES).state
    state = run(engine, state, TextInput("N49")).state
    refused = engine.feed(state, YES)
    assert refused.error == "No se pueden agregar más: el máximo es 50."
    assert refused.step.question_id == "nombres" and refused.step.instance == [49]
    assert len(run(engine, state, NO).answers["nombres"]) == 50


def test_a_count_past_the_most_allowed_is_refused_when_it_is_answered():
    engine = Engine(ROSTER)
    refused = engine.feed(engine.start("es"), TextInput("80"))
    assert refused.error == "Se puede preguntar por 50 como máximo; escribe un número menor."
    assert refused.step.question_id == "personas"


@pytest.mark.parametrize(
    ("repeat", "problem"),
    [
        ({"repeat_count": 60}, "question 'r', field 'repeat_count': from 0 to 50 instances"),
        (
            {"questions": [{"id": "c", "type": "calculate", "calculation": "1"}]},
            "question 'r', field 'questions': a repeat needs a question that is asked",
        ),
        (
            {"repeat_count": "${nadie}"},
            "question 'r', field 'repeat_count': refers to unknown question 'nadie'",
        ),
        (
            {
                "questions": [
                    {
                        "id": "r2",
                        "type": "repeat",
                        "questions": [
                            {
                                "id": "r3",
                                "type": "repeat",
                                "questions": [
                                    {
                                        "id": "r4",
                                        "type": "repeat",
                                        "questions": [{"id": "t", "type": "text", "text": "T"}],
                                    }
                                ],
                            }
                        ],
                    }
                ]
            },
            "question 'r4', field 'type': repeats nest at most 3 deep",
        ),
    ],
)
def test_a_repeat_that_cannot_be_asked_is_refused(repeat, problem):
    fields = {"id": "r", "type": "repeat", "questions": [{"id": "q", "type": "text", "text": "Q"}]}
    with pytest.raises(DefinitionError) as raised:
        with_questions({**fields, **repeat})
    assert problem in raised.value.problems[0], raised.value.problems


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (
            {"relevant": "position(..) > 1"},
            "field 'relevant': position(..) only fits inside a repeat",
        ),
        ({"relevant": ".. = 1"}, "'..' only fits in position(..)"),
        ({"relevant": "position(${r}) > 1"}, "position() takes '..'"),
        (
            {"relevant": "indexed-repeat(${q}, ${r}, 1) = 'x'"},
            "'q' is no question of the repeat 'r'",
        ),
        ({"relevant": "indexed-repeat('q', ${r}, 1)"}, "indexed-repeat() takes ${question}"),
        ({"repeat_count": 2}, "question 'q2', field 'repeat_count': only a repeat has"),
    ],
)
def test_repeat_expressions_out_of_place_are_refused(question, problem):
    with pytest.raises(DefinitionError) as raised:
        with_questions(
            {"id": "q", "type": "text", "text": "Q"},
            {
                "id": "r",
                "type": "repeat",
                "questions": [{"id": "en_r", "type": "text", "text": "T"}],
            },
            {"id": "q2", "type": "text", "text": "Q2", **question},
        )
    assert any(problem in found for found in raised.value.problems), raised.value.problems


def test_a_new_version_keeps_the_answers_of_instances_that_still_fit():
    engine = Engine(ROSTER)
    state = run(engine, engine.start("es"), TextInput("2"), TextInput("Ana")).state
    newer = ROSTER.model_copy(update={"version": 2})
    step = Engine(newer).current(state)
    assert (step.question_id, step.instance) == ("edad", [0])


def test_counts_past_a_thousand_instances_in_all_are_cut():
    question = {"id": "nota", "type": "text", "text": "Nota"}
    for depth in range(3):
        question = {
            "id": f"r{depth}",
            "type": "repeat",
            "repeat_count": 50,
            "questions": [question],
        }
    engine = Engine(with_questions(question, {"id": "fin", "type": "text", "text": "Fin"}))
    state = engine.start("es")
    # 50 of the outermost, 50 in its first, then 50 in each of 18 of those: 1,000 in all.
    assert engine.current(state).total == 18 * 50 + 1
    assert len(state.answers["r2"]) == 50 and len(state.answers["r2"][0]["r1"]) == 50
