"""Every built-in definition loads, is fully bilingual and can be answered to the end."""

import pytest

from conversations.definition import Definition
from conversations.definitions import builtin_ids, load_builtin, load_builtins
from conversations.engine.navigation import Engine
from tests.conversations.autopilot import answer_all

IDS = builtin_ids()


def test_the_methodology_is_covered():
    assert {d.id for d in load_builtins().values()} == set(IDS)
    assert set(IDS) == {
        "participant_selection",
        "secretariat_diagnostic",
        "problem_prioritisation",
        "solution_prioritisation",
        "project_interview",
        "workshop_feedback",
    }


def texts(definition: Definition):
    yield "title", definition.title
    for name in ("description", "completion"):
        if getattr(definition, name):
            yield name, getattr(definition, name)
    if definition.consent:
        yield "consent", definition.consent.text
    for question in definition.questions:
        for name in ("text", "hint", "constraint_message", "min_label", "max_label"):
            if getattr(question, name):
                yield f"{question.id}.{name}", getattr(question, name)
        for choice in question.choices or ():
            yield f"{question.id}.{choice.id}", choice.label


@pytest.mark.parametrize("definition_id", IDS)
def test_every_text_is_in_spanish_and_english(definition_id):
    definition = load_builtin(definition_id)
    assert definition.id == definition_id
    for where, text in texts(definition):
        assert set(text) == {"es", "en"}, where
        assert text["es"] != text["en"] or len(text["es"]) < 12, where


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("definition_id", IDS)
def test_answered_to_the_end(definition_id, language):
    definition = load_builtin(definition_id)
    engine = Engine(definition)
    outcome = answer_all(engine, language, {"sector": "academia", "area": "policy"})
    assert outcome.state.status == "completed"
    assert outcome.step.kind == "end" and outcome.step.text == definition.completion[language]
    asked = {q.id for q in definition.questions if q.asks}
    assert set(outcome.answers) <= asked
    assert outcome.answers  # something was collected
    for question_id, value in outcome.answers.items():
        assert value is not None or not definition.question(question_id).required


def test_unknown_builtin():
    with pytest.raises(KeyError):
        load_builtin("nope")
