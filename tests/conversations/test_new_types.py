"""Times, moments, acknowledgements, defaults, required messages, ${} in texts and cascades."""

from datetime import date

import pytest

from conversations.answers import Refused
from conversations.definition import parse_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from conversations.engine.navigation import Engine
from conversations.times import read_datetime, read_time
from tests.support.clock import noon_of

TODAY = date(2026, 12, 3)


def engine_of(*questions):
    definition = parse_definition(
        {"id": "t", "version": 1, "title": "T", "questions": list(questions)}, "t.yaml"
    )
    return Engine(definition, clock=noon_of(TODAY))


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("17:30", "17:30"),
        ("5 pm", "17:00"),
        ("5:30 p. m.", "17:30"),
        ("a las 10", "10:00"),
        ("10 de la noche", "22:00"),
        ("mediodía", "12:00"),
        ("12 am", "00:00"),
        ("9.15", "09:15"),
    ],
)
def test_times_as_people_in_mexico_write_them(typed, value):
    assert read_time(typed, "es") == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("mañana a las 10", "2026-12-04T10:00"),
        ("hoy 5 pm", "2026-12-03T17:00"),
        ("15/03/2026 17:30", "2026-03-15T17:30"),
        ("2026-03-15T17:30", "2026-03-15T17:30"),
        ("15 de marzo a las 9:30", "2026-03-15T09:30"),
    ],
)
def test_moments_are_a_date_then_a_time(typed, value):
    assert read_datetime(typed, "es", TODAY) == value


@pytest.mark.parametrize("typed", ["25:00", "13 pm", "mañana", "a las", "17:75"])
def test_what_is_no_time_is_refused_in_the_persons_language(typed):
    with pytest.raises(Refused) as refused:
        read_datetime(typed, "es", TODAY) if typed == "mañana" else read_time(typed, "es")
    assert "por ejemplo" in refused.value.message


def test_acknowledge_takes_ok_and_default_is_kept_by_done():
    engine = engine_of(
        {"id": "ok", "type": "acknowledge", "text": "Acepto"},
        {"id": "n", "type": "integer", "text": "¿Cuántos?", "default": "3"},
    )
    state = engine.start("es")
    assert [c.id for c in engine.current(state).choices] == ["OK"]
    state = engine.feed(state, TextInput("ok")).state
    step = engine.current(state)
    assert step.can_done and "3" in step.hint
    outcome = engine.feed(state, CommandInput("done"))
    assert outcome.finished and outcome.answers == {"ok": "OK", "n": 3}


def test_a_required_message_answers_a_skip():
    engine = engine_of(
        {"id": "n", "type": "integer", "text": "N", "required_message": {"es": "¡Contesta!"}}
    )
    assert engine.feed(engine.start("es"), CommandInput("skip")).error == "¡Contesta!"


def test_notes_and_questions_show_earlier_answers():
    engine = engine_of(
        {
            "id": "color",
            "type": "single_choice",
            "text": "Color",
            "choices": [
                {"id": "r", "label": {"es": "Rojo", "en": "Red"}},
                {"id": "v", "label": {"es": "Verde", "en": "Green"}},
            ],
        },
        {"id": "nota", "type": "note", "text": "Elegiste ${color}"},
        {"id": "n", "type": "integer", "text": "¿Cuántos objetos ${color}?"},
    )
    state = engine.feed(engine.start("es"), ChoiceInput("v")).state
    step = engine.current(state)
    assert step.notes == ["Elegiste Verde"] and step.text == "¿Cuántos objetos Verde?"


def test_a_cascade_offers_only_the_choices_its_filter_leaves():
    engine = engine_of(
        {
            "id": "estado",
            "type": "single_choice",
            "text": "Estado",
            "choices": [
                {"id": "01", "label": "Aguascalientes"},
                {"id": "02", "label": "Baja California"},
            ],
        },
        {
            "id": "mun",
            "type": "single_choice",
            "text": "Municipio",
            "choice_filter": "estado = ${estado}",
            "choices": [
                {"id": "001", "label": "Asientos", "data": {"estado": "01"}},
                {"id": "002", "label": "Calvillo", "data": {"estado": "01"}},
                {"id": "003", "label": "Mexicali", "data": {"estado": "02"}},
            ],
        },
    )
    state = engine.feed(engine.start("es"), ChoiceInput("02")).state
    assert [c.label for c in engine.current(state).choices] == ["Mexicali"]
    assert engine.feed(state, TextInput("Asientos")).error is not None
    assert engine.feed(state, TextInput("mexicali")).answers == {"estado": "02", "mun": "003"}


def test_a_filter_must_name_columns_the_choices_have():
    with pytest.raises(ValueError, match="'pais' is no column of the choices"):
        engine_of(
            {
                "id": "a",
                "type": "single_choice",
                "text": "A",
                "choice_filter": "pais = 'mx'",
                "choices": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
            },
        )
