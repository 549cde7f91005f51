"""The engine walks a definition one input at a time, refusing bad input without losing anything."""

import copy

import pytest

from conversations.definition import parse_definition
from conversations.engine.inputs import (
    ChoiceInput,
    CommandInput,
    FileInput,
    LocationInput,
    TextInput,
)
from conversations.engine.navigation import Engine
from conversations.engine.state import SessionState
from tests.conversations.conftest import EVERY_TYPE
from tests.support.conversations import run

PHOTO = FileInput("photo", "AgAD1", "image/jpeg", 50_000)
VOICE = FileInput("voice", "AwAD2", "audio/ogg", 9_000)


FULL_ANSWERS_ES = [
    TextInput("Sí, acepto"),
    TextInput("SI"),
    TextInput("34"),
    ChoiceInput("other"),
    TextInput("Otra cosa"),
    TextInput("1, 3"),
    CommandInput("done"),
    ChoiceInput("r"),
    TextInput("1"),
    ChoiceInput("5"),
    TextInput("1,5"),
    TextInput("Ana"),
    TextInput("Primero esto."),
    VOICE,
    TextInput("listo"),
    TextInput("15 de marzo"),
    CommandInput("skip"),
    TextInput("gob.mx"),
    TextInput("55 1234 5678"),
    PHOTO,
    CommandInput("done"),
    LocationInput(19.43, -99.13),
    TextInput("4"),
]


def test_answers_every_type_in_spanish(engine):
    state = engine.start("es-MX", {"sector": "academia", "person_id": 7})
    assert state.respondent == {"sector": "academia"}  # anonymous: only listed attributes
    outcome = run(engine, state, *FULL_ANSWERS_ES)
    assert outcome.finished and outcome.state.status == "completed"
    assert outcome.step.kind == "end" and outcome.step.text == "¡Gracias!"
    assert outcome.step.notes == ["Fin"]
    assert outcome.answers == {
        "attended": "yes",
        "age": 34,
        "pick": "other",
        "topics": ["x", "z"],
        "order": ["r", "p"],
        "score": 5,
        "amount": 1.5,
        "double": 3.0,
        "name": "Ana",
        "story": [{"kind": "text", "text": "Primero esto."}, VOICE.as_answer()],
        "day": "2026-03-15",
        "mail": None,
        "site": "https://gob.mx",
        "phone": "+525512345678",
        "photos": [PHOTO.as_answer()],
        "where": {"latitude": 19.43, "longitude": -99.13},
        "even": 4,
    }
    assert outcome.state.others == {"pick": "Otra cosa"}


def test_steps_describe_what_to_render(engine):
    state = engine.start("en")
    step = engine.current(state)
    assert step.kind == "consent" and step.expects == "choice"
    assert step.notes == ["Welcome"] and step.text == "Do you agree?"
    state = run(engine, state, ChoiceInput("accept")).state
    step = engine.current(state)
    assert (step.kind, step.question_id, step.progress, step.total) == ("yes_no", "attended", 1, 15)
    assert [c.id for c in step.choices] == ["yes", "no"]
    assert not step.can_back and not step.can_skip
    state = run(engine, state, TextInput("yes")).state
    step = engine.current(state)
    assert step.notes == ["Great"] and (step.minimum, step.maximum) == (18, 120)
    assert (step.progress, step.total, step.expects) == (2, 16, "text")
    state = run(engine, state, TextInput("40"), ChoiceInput("a")).state
    step = engine.current(state)
    assert step.expects == "choices" and step.can_done
    assert [c.label for c in step.choices][-1] == "Other (please specify)"
    state = run(engine, state, ChoiceInput("y")).state
    assert [c.selected for c in engine.current(state).choices] == [False, True, False, False]
    state = run(engine, state, CommandInput("done"), ChoiceInput("s")).state
    step = engine.current(state)
    assert [c.label for c in step.ranked] == ["Option s"]
    assert [(c.id, c.number) for c in step.choices] == [("p", 1), ("q", 2), ("r", 3)]
    assert "Your order so far: Option s" in step.prompt()
    state = run(engine, state, ChoiceInput("p")).state
    step = engine.current(state)
    assert step.kind == "rating" and step.choices[0].label == "1 — Bad"
    assert step.choices[-1].label == "5 — Good"


def test_skip_logic_hides_questions_and_notes(engine):
    state = run(engine, engine.start("es"), ChoiceInput("accept"), TextInput("no")).state
    step = engine.current(state)
    assert step.question_id == "pick" and step.notes == [] and step.total == 15


@pytest.mark.parametrize(
    ("answers", "given", "error"),
    [
        (2, TextInput("17"), "Please answer with a number between 18 and 120."),
        (2, TextInput("treinta"), "Please answer with a number between 18 and 120."),
        (2, PHOTO, "Please answer with a number between 18 and 120."),
        (1, TextInput("quizá"), "Please answer “Yes” or “No”."),
        (3, TextInput("c"), "Please choose one of the options."),
        (3, CommandInput("skip"), "This question needs an answer; it cannot be skipped."),
        (3, CommandInput("done"), "There is nothing to finish here: please answer the question."),
        (3, CommandInput("jump"), "Unknown command."),
        (5, TextInput("1, 2, 3"), "You can choose at most 2 options."),
        (5, CommandInput("done"), "Please choose between 1 and 2 options."),
        (0, CommandInput("back"), "Please answer “I agree” or “I do not agree”."),
    ],
)
def test_bad_input_keeps_the_question_and_the_answers(engine, answers, given, error):
    state = engine.start("en")
    if answers:
        state = run(engine, state, *FULL_ANSWERS_ES[:answers]).state
    before = engine.current(state)
    outcome = engine.feed(state, given)
    assert outcome.error == error
    assert outcome.state == state
    assert outcome.step == before


def test_messages_are_in_the_persons_language(engine):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:2]).state
    assert engine.feed(state, TextInput("17")).error == (
        "Por favor responde con un número entre 18 y 120."
    )


def test_other_text_and_multiple_choice_other(engine):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:3]).state
    state = run(engine, state, TextInput("Otra (especifica)")).state
    assert engine.current(state).expects == "text"
    assert engine.feed(state, TextInput("   ")).error == "Por favor escribe tu respuesta."
    state = run(engine, state, TextInput("Algo distinto")).state
    state = run(engine, state, ChoiceInput("other")).state
    assert engine.current(state).expects == "text"
    state = run(engine, state, TextInput("Transparencia"), CommandInput("done")).state
    assert state.answers["topics"] == ["other"]
    assert state.others == {"pick": "Algo distinto", "topics": "Transparencia"}


def test_constraint_message(engine):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:-1]).state
    assert engine.feed(state, TextInput("3")).error == "Debe ser par"


def test_back_revisits_and_done_keeps_the_answer(engine):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:7]).state
    assert engine.current(state).question_id == "order"
    state = run(engine, state, ChoiceInput("q"), CommandInput("back")).state
    assert state.draft == {"ranked": []}  # back first undoes the pick
    state = run(engine, state, CommandInput("back")).state
    step = engine.current(state)
    assert step.question_id == "topics" and step.answer == ["x", "z"]
    assert [c.selected for c in step.choices] == [True, False, True, False]
    state = run(engine, state, CommandInput("back")).state
    assert engine.current(state).question_id == "pick"
    state = run(engine, state, CommandInput("done")).state
    assert engine.current(state).question_id == "order"
    assert state.answers["pick"] == "other" and state.others["pick"] == "Otra cosa"


def test_changing_an_answer_drops_what_no_longer_applies(engine):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:4]).state
    state = run(engine, state, CommandInput("back"), CommandInput("back")).state
    state = run(engine, state, CommandInput("back"), TextInput("no")).state
    assert "age" not in engine.collected(state)
    assert engine.current(state).question_id == "pick"


def test_cancel_and_decline(engine):
    outcome = engine.feed(engine.start("es"), TextInput("no"))
    assert outcome.state.status == "declined" and outcome.finished
    assert outcome.step.text.startswith("Entendido")
    assert engine.feed(outcome.state, TextInput("sí")).error
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:3]).state
    outcome = engine.feed(state, CommandInput("cancel"))
    assert outcome.state.status == "cancelled" and outcome.step.kind == "end"


def test_files_limits(engine):
    state = run(engine, engine.start("en"), *FULL_ANSWERS_ES[:19]).state
    assert engine.current(state).expects == "file"
    too_big = FileInput("photo", "x", "image/jpeg", 30 * 1024 * 1024)
    assert engine.feed(state, too_big).error == "This file is too large: the limit is 20 MB."
    assert engine.feed(state, VOICE).error == "Please send a file of one of these kinds: photo."
    assert engine.feed(state, CommandInput("done")).error == "Please send at least 1 file."
    state = run(engine, state, PHOTO, PHOTO).state  # the maximum finishes the question
    assert engine.current(state).kind == "location"


def test_long_answer_requires_something(engine):
    state = run(engine, engine.start("en"), *FULL_ANSWERS_ES[:12]).state
    assert engine.current(state).kind == "long_answer"
    assert engine.feed(state, CommandInput("done")).error
    state = run(engine, state, TextInput("a"), TextInput("b"), VOICE).state
    assert engine.current(state).collected == 3
    assert engine.feed(state, LocationInput(1, 1)).error


def test_resume_with_a_new_version_keeps_answers(engine, definition):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:7]).state
    data = copy.deepcopy(EVERY_TYPE)
    data["version"] = 2
    data["questions"][3]["choices"] = [
        {"id": "c", "label": "C"},
        {"id": "d", "label": "D"},
    ]
    data["questions"].insert(1, {"id": "new", "type": "text", "text": "Nueva"})
    newer = Engine(parse_definition(data))
    step = newer.current(SessionState.from_json(state.to_json()))
    assert step.question_id == "new"
    outcome = newer.feed(state, TextInput("respuesta"))
    assert outcome.state.definition_version == 2
    assert outcome.step.question_id == "order"  # pick's answer is still valid ("other")
    assert outcome.state.answers["topics"] == ["x", "z"]


def test_a_state_of_another_definition_is_a_programming_error(engine):
    state = engine.start("es").model_copy(update={"definition_id": "other"})
    with pytest.raises(ValueError, match="other"):
        engine.current(state)


def test_a_new_version_without_consent_moves_on(engine):
    state = engine.start("es")
    data = copy.deepcopy(EVERY_TYPE)
    data["version"] = 2
    del data["consent"]
    newer = Engine(parse_definition(data))
    assert newer.current(state).question_id == "attended"
    assert newer.feed(state, TextInput("sí")).error is None


def test_a_position_that_cannot_wait_for_input_is_recomputed(engine):
    state = run(engine, engine.start("es"), ChoiceInput("accept")).state
    damaged = state.model_copy(update={"position": "welcome"})
    assert engine.current(damaged).question_id == "attended"


def test_a_label_with_commas_is_one_choice():
    definition = parse_definition(
        {
            "id": "commas",
            "version": 1,
            "title": "Comas",
            "questions": [
                {
                    "id": "channels",
                    "type": "multiple_choice",
                    "text": "Medios",
                    "choices": [
                        {"id": "messaging", "label": "Mensajería (WhatsApp, Telegram)"},
                        {"id": "web", "label": "Sitio web"},
                    ],
                }
            ],
        }
    )
    engine = Engine(definition)
    state = run(engine, engine.start("es"), TextInput("mensajeria (whatsapp, telegram)")).state
    assert state.draft["selected"] == ["messaging"]
    state = run(engine, state, TextInput("2, 1")).state
    assert state.draft["selected"] == ["web"]


def test_bounds_are_written_in_the_persons_language(engine):
    state = run(engine, engine.start("es"), *FULL_ANSWERS_ES[:15]).state
    assert engine.current(state).question_id == "day"
    assert engine.feed(state, TextInput("15/03/2025")).error == (
        "La fecha debe ser el 1 de enero de 2026 o después."
    )
    state = run(engine, engine.start("en"), *FULL_ANSWERS_ES[:10]).state
    assert engine.current(state).question_id == "amount"
    assert engine.feed(state, TextInput("-2")).error == "The number must be at least 0."
    state = run(engine, state, TextInput("2")).state
    assert engine.feed(state, TextInput("x" * 21)).error == (
        "Your answer is too long: at most 20 characters, and it has 21."
    )


def test_a_length_limit_is_written_with_grouped_digits():
    definition = parse_definition(
        {
            "id": "long",
            "version": 1,
            "title": "Largo",
            "questions": [{"id": "story", "type": "text", "text": "Cuéntanos", "max_length": 1000}],
        }
    )
    engine = Engine(definition)
    assert engine.feed(engine.start("es"), TextInput("x" * 6799)).error == (
        "Tu respuesta es demasiado larga: el máximo es 1,000 caracteres y tiene 6,799."
    )


def test_consent_asked_again_names_its_buttons(engine):
    assert engine.feed(engine.start("es"), TextInput("quizá")).error == (
        "Por favor responde «Acepto» o «No acepto»."
    )
