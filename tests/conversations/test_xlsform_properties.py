"""Random XLSForms the importer accepts are answered to the end, never with a traceback, and
every answer given is kept."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.definition import load_definition
from conversations.engine.navigation import Engine
from tests.conversations.autopilot import answer_all
from tests.conversations.xlsforms import CASCADE, TOPICS, Form
from tests.support.clock import noon_of

ROWS = [
    ["text", "Texto"],
    ["integer", "Número"],
    ["decimal", "Monto"],
    ["date", "Fecha"],
    ["time", "Hora"],
    ["datetime", "Cuándo"],
    ["acknowledge", "Enterado"],
    ["select_one temas", "Tema"],
    ["select_one temas or_other", "Tema u otro"],
    ["select_multiple temas", "Temas"],
    ["rank temas", "Orden"],
    ["phone number", "Teléfono"],
    ["note", "Nota de ${q0}"],
    ["select_one estados", "Estado"],
]
CHOICES = [TOPICS[0], *TOPICS[1:], *[[row[0], row[1], row[2], None] for row in CASCADE[1:3]]]


@st.composite
def forms(draw):
    picked = draw(st.lists(st.sampled_from(ROWS), min_size=1, max_size=8))
    required = draw(st.lists(st.booleans(), min_size=len(picked), max_size=len(picked)))
    language = draw(st.sampled_from(["label", "label::Español (es)", "label:spanish"]))
    survey = [["type", "name", language, "required", "relevant"]]
    for number, ((kind, label), needed) in enumerate(zip(picked, required, strict=True)):
        relevant = "${q0} != ''" if number and draw(st.booleans()) else None
        survey.append([kind, f"q{number}", label, "yes" if needed else "no", relevant])
    return Form("aleatoria", survey, choices=CHOICES)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=forms(), language=st.sampled_from(["es", "en"]))
def test_a_random_accepted_form_is_answered_and_keeps_every_answer(tmp_path, form, language):
    definition = load_definition(form.write(tmp_path))
    outcome = answer_all(Engine(definition, clock=noon_of(date(2026, 12, 3))), language)
    assert outcome.state.status == "completed"
    for question in definition.questions:
        if question.asks and question.id in outcome.answers:
            assert outcome.answers[question.id] is not None
