"""Going back shows the answer given and keeps it on "done"; the text written under "other" is
read back; a multiple choice with "other" is finished by one "done"."""

import pytest

from conversations.definition import parse_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, FileInput, TextInput
from conversations.engine.navigation import Engine
from tests.conversations.conftest import EVERY_TYPE, choices, text
from tests.support.conversations import run

PHOTO = FileInput("photo", "AgAD1", "image/jpeg", 50_000)
SHARED = {question["id"]: question for question in EVERY_TYPE["questions"]}

CHANNELS = {
    "id": "channels",
    "version": 1,
    "kind": "survey",
    "title": text("Canales", "Channels"),
    "questions": [
        SHARED["pick"],
        {**SHARED["topics"], "min": 2},
        {**SHARED["order"], "top": 3, "choices": choices("p", "q", "r")},
        {**SHARED["day"], "required": False},
        {**SHARED["photos"], "max": 1},
        SHARED["name"],
    ],
}


@pytest.fixture
def engine():
    return Engine(parse_definition(CHANNELS, "channels.yaml"))


def test_the_text_written_under_other_is_read_back_with_the_next_question(engine):
    state = run(engine, engine.start("es"), ChoiceInput("other")).state
    outcome = engine.feed(state, TextInput("  Un vecino  "))
    assert outcome.noted == "Anotado: Otra — Un vecino"
    assert outcome.state.others == {"pick": "Un vecino"}
    assert outcome.step.question_id == "topics"
    english = run(engine, engine.start("en"), ChoiceInput("other")).state
    assert engine.feed(english, TextInput("A neighbour")).noted == "Noted: Other — A neighbour"


def test_a_plain_answer_reads_nothing_back(engine):
    assert run(engine, engine.start("es"), ChoiceInput("a")).noted is None


def test_done_before_the_text_of_other_is_the_only_done_needed(engine):
    state = run(engine, engine.start("es"), ChoiceInput("a")).state
    state = run(engine, state, ChoiceInput("x"), ChoiceInput("other"), CommandInput("done")).state
    step = engine.current(state)
    assert step.question_id == "topics" and step.expects == "text"
    assert step.text == "Por favor escribe cuál es la otra opción."
    outcome = engine.feed(state, TextInput("Vivienda"))
    assert outcome.error is None and outcome.noted == "Anotado: Otra — Vivienda"
    assert outcome.step.question_id == "order"
    assert outcome.state.answers["topics"] == ["x", "other"]
    assert outcome.state.others["topics"] == "Vivienda"


def test_the_word_listo_before_the_text_of_other_also_waits_for_it(engine):
    state = run(engine, engine.start("es"), ChoiceInput("a")).state
    state = run(engine, state, TextInput("1, 4"), TextInput("listo")).state
    outcome = engine.feed(state, TextInput("Vivienda"))
    assert outcome.state.answers["topics"] == ["x", "other"]


def test_done_before_the_text_of_other_still_checks_how_many_were_chosen(engine):
    state = run(engine, engine.start("es"), ChoiceInput("a"), ChoiceInput("other")).state
    outcome = engine.feed(state, CommandInput("done"))
    assert outcome.error == "Por favor elige al menos 2 opciones."
    assert outcome.state == state


def test_writing_other_then_done_reads_it_back_and_finishes_with_one_done(engine):
    state = run(engine, engine.start("es"), ChoiceInput("a")).state
    state = run(engine, state, ChoiceInput("y"), ChoiceInput("other")).state
    written = engine.feed(state, TextInput("Vivienda"))
    assert written.noted == "Anotado: Otra — Vivienda"
    assert written.step.question_id == "topics" and written.step.expects == "choices"
    done = engine.feed(written.state, CommandInput("done"))
    assert done.step.question_id == "order"
    assert done.state.answers["topics"] == ["y", "other"]


def test_back_shows_the_answer_given_and_done_keeps_it(engine):
    state = run(engine, engine.start("es"), ChoiceInput("other"), TextInput("Un vecino")).state
    back = run(engine, state, CommandInput("back"))
    step = back.step
    assert step.question_id == "pick"
    assert step.previous == "Otra — Un vecino" and step.keeps and step.can_done
    assert step.prompt() == "Uno\n\nTu respuesta: Otra — Un vecino"
    kept = run(engine, back.state, CommandInput("done"))
    assert kept.step.question_id == "topics"
    assert kept.state.answers["pick"] == "other"
    assert kept.state.others["pick"] == "Un vecino"


def test_back_on_a_multiple_choice_keeps_until_something_is_changed(engine):
    state = run(engine, engine.start("en"), ChoiceInput("a"), TextInput("1, 2")).state
    state = run(engine, state, CommandInput("done"), CommandInput("back")).state
    step = engine.current(state)
    assert step.previous == "Option x, Option y" and step.keeps
    changed = engine.current(run(engine, state, ChoiceInput("y")).state)
    assert changed.previous == "Option x, Option y" and not changed.keeps


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ([], "Option r → Option p → Option q"),
        ([CommandInput("skip")], "(skipped)"),
        ([TextInput("3/15/2026")], "March 15, 2026"),
        ([CommandInput("skip"), PHOTO], "1 file"),
    ],
)
def test_every_kind_of_answer_is_read_back_in_words(engine, answers, shown):
    state = run(engine, engine.start("en"), ChoiceInput("a"), TextInput("1, 2")).state
    state = run(engine, state, CommandInput("done"), TextInput("3, 1"), *answers).state
    state = run(engine, state, CommandInput("back")).state
    assert engine.current(state).previous == shown
