"""Whatever a person sends, the session never breaks and no answer is lost."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.definition import parse_definition
from conversations.definitions import builtin_ids, load_builtin
from conversations.engine.inputs import (
    COMMANDS,
    ChoiceInput,
    CommandInput,
    FileInput,
    LocationInput,
    TextInput,
)
from conversations.engine.navigation import Engine
from conversations.engine.state import SessionState
from tests.conversations.autopilot import valid_input
from tests.conversations.conftest import EVERY_TYPE, ROSTER, TRIPS

ODD_TEXTS = [
    "http://[::1",
    "https://ejemplo.mx",
    "+52 55 1234 5678",
    "19.4, -99.1",
    "",
    "   ",
    "🙂🔥💥",
    "x" * 10_000,
    "sí",
    "No",
    "1",
    "99",
    "2, 3",
    "1, 1",
    "listo",
    "15/03/2026",
    "31/02/2026",
    "ana@example.mx",
    "-1,5",
    "${q}",
    "\x00\u202e",
]


def inputs_for(definition):
    ids = sorted(
        {choice.id for q in definition.every_question for choice in q.choices or ()}
        | {"other", "accept", "decline", "yes", "no", "1", "5"}
    )
    return st.one_of(
        st.text(max_size=60).map(TextInput),
        st.sampled_from(ODD_TEXTS).map(TextInput),
        st.sampled_from(ids).map(ChoiceInput),
        st.text(max_size=10).map(ChoiceInput),
        st.builds(
            FileInput,
            kind=st.sampled_from(["photo", "document", "voice", "video", "audio", "sticker"]),
            file_id=st.text(max_size=8),
            mime_type=st.none() | st.just("image/jpeg"),
            size=st.none() | st.integers(0, 10**9),
            name=st.none() | st.text(max_size=8),
        ),
        st.builds(LocationInput, latitude=st.floats(), longitude=st.floats()),
        st.sampled_from([*COMMANDS, "jump"]).map(CommandInput),
    )


def advance(engine, state, valid_steps):
    """Answer some questions validly first, so that random input meets every position."""
    for turn in range(valid_steps):
        step = engine.current(state)
        if step.kind == "end":
            break
        state = engine.feed(state, valid_input(step, turn % 3)).state
    return state


OWN = {"every_type": parse_definition(EVERY_TYPE), "roster": ROSTER, "trips": TRIPS}


@pytest.mark.parametrize("definition_id", [*builtin_ids(), *OWN])
def test_random_input_never_breaks_a_session(definition_id):
    definition = OWN.get(definition_id) or load_builtin(definition_id)
    engine = Engine(definition)
    silent = {q.id for q in definition.questions if not q.asks}

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        language=st.sampled_from(["es", "en"]),
        valid_steps=st.integers(0, 40),
        inputs=st.lists(inputs_for(definition), max_size=25),
    )
    def check(language, valid_steps, inputs):
        state = advance(engine, engine.start(language, {"sector": "osc"}), valid_steps)
        for given_input in inputs:
            before = engine.current(state)
            snapshot = json.dumps(state.to_json())
            outcome = engine.feed(state, given_input)
            assert json.dumps(state.to_json()) == snapshot  # the caller's state is untouched
            restored = SessionState.from_json(json.dumps(outcome.state.to_json()))
            assert restored == outcome.state
            assert engine.current(restored) == outcome.step
            if outcome.error is not None:
                assert outcome.error.strip()
                assert outcome.state == state
                assert outcome.step == before
            elif outcome.state.status != "declined":
                current = state.position
                for question_id, value in state.answers.items():
                    if question_id != current and question_id not in silent:
                        assert outcome.state.answers.get(question_id, "lost") == value
            state = outcome.state

    check()
