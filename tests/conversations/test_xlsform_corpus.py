"""Every XLSForm of the corpus is imported and answered to its end, or refused by its row."""

from datetime import date

import pytest

from conversations.definition import DefinitionError, load_definition
from conversations.engine.navigation import Engine
from tests.conversations.autopilot import answer_all, unanswered
from tests.conversations.xlsforms import FORMS
from tests.support.clock import noon_of

ACCEPTED = [form for form in FORMS if form.refused is None]
REFUSED = [form for form in FORMS if form.refused is not None]


def test_the_corpus_covers_enough_forms():
    assert len(FORMS) >= 30 and len(REFUSED) >= 8
    repeats = [form.name for form in ACCEPTED if "repeat" in str(form.survey)]
    assert len(repeats) >= 4, repeats


@pytest.mark.parametrize("form", ACCEPTED, ids=lambda form: form.name)
@pytest.mark.parametrize("language", ["es", "en"])
def test_an_accepted_form_is_answered_to_its_end_and_keeps_every_answer(tmp_path, form, language):
    definition = load_definition(form.write(tmp_path))
    engine = Engine(definition, clock=noon_of(date(2026, 12, 3)))
    outcome = answer_all(engine, language)
    assert outcome.state.status == "completed"
    assert unanswered(definition.questions, outcome.answers) == []


@pytest.mark.parametrize("form", REFUSED, ids=lambda form: form.name)
def test_a_refused_form_names_its_row(tmp_path, form):
    with pytest.raises(DefinitionError) as raised:
        load_definition(form.write(tmp_path))
    problems = raised.value.problems
    assert any(form.refused in problem for problem in problems), problems
    assert all(problem.startswith(str(tmp_path)) for problem in problems)
