"""XLSForm workbooks become definitions; what we do not support is refused precisely."""

import pytest
from openpyxl import Workbook

from conversations.definition import DefinitionError, load_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, LocationInput, TextInput
from conversations.engine.navigation import Engine

SURVEY = [
    [
        "type",
        "name",
        "label::Español (es)",
        "label::English (en)",
        "hint::Español (es)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::Español (es)",
        "calculation",
        "appearance",
        "parameters",
    ],
    ["start", "start", None, None, None, None, None, None, None, None, None, None],
    [
        "select_one yes_no",
        "member",
        "¿Eres integrante?",
        "Are you a member?",
        None,
        "yes",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    [
        "begin_group",
        "profile",
        "Perfil",
        "Profile",
        None,
        None,
        "${member} = 'yes'",
        None,
        None,
        None,
        "field-list",
        None,
    ],
    [
        "integer",
        "age",
        "Edad",
        "Age",
        "En años",
        "yes",
        None,
        ". >= 18",
        "Mayor de edad",
        None,
        None,
        None,
    ],
    [
        "select_multiple topics or_other",
        "topics",
        "Temas",
        "Topics",
        None,
        "true",
        None,
        "count-selected(.) <= 2",
        None,
        None,
        None,
        None,
    ],
    ["end_group", None, None, None, None, None, None, None, None, None, None, None],
    ["rank topics", "order", "Ordena", "Rank", None, "yes", None, None, None, None, None, None],
    [
        "range",
        "score",
        "Califica",
        "Rate",
        None,
        "yes",
        None,
        None,
        None,
        None,
        None,
        "start=0 end=10 step=1",
    ],
    ["decimal", "amount", "Monto", "Amount", None, "no", None, None, None, None, None, None],
    ["calculate", "double", None, None, None, None, None, None, None, "${amount} * 2", None, None],
    ["text", "name", "Nombre", "Name", None, "no", None, None, None, None, None, None],
    ["date", "day", "Fecha", "Date", None, "no", None, None, None, None, None, None],
    ["note", "thanks", "Gracias", "Thanks", None, None, None, None, None, None, None, None],
    ["image", "photo", "Foto", "Photo", None, "no", None, None, None, None, None, None],
    ["audio", "voice", "Audio", "Audio", None, "no", None, None, None, None, None, None],
    ["file", "doc", "Documento", "Document", None, "no", None, None, None, None, None, None],
    ["geopoint", "where", "Ubicación", "Location", None, "yes", None, None, None, None, None, None],
]
CHOICES = [
    ["list_name", "name", "label::Español (es)", "label::English (en)"],
    ["yes_no", "yes", "Sí", "Yes"],
    ["yes_no", "no", "No", "No"],
    ["topics", "1", "Salud", "Health"],
    ["topics", "2", "Educación", "Education"],
    ["topics", "3", "Seguridad", "Security"],
]
SETTINGS = [
    ["form_id", "form_title", "version", "default_language"],
    ["encuesta_xls", "Encuesta", 2026031501, "Español (es)"],
]


def workbook(tmp_path, survey=SURVEY, choices=CHOICES, settings=SETTINGS, name="form.xlsx"):
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_imports_every_supported_type(tmp_path):
    definition = load_definition(workbook(tmp_path))
    assert (definition.id, definition.version) == ("encuesta_xls", 2026031501)
    types = {q.id: q.type for q in definition.questions}
    assert types == {
        "member": "single_choice",
        "age": "integer",
        "topics": "multiple_choice",
        "order": "ranking",
        "score": "rating",
        "amount": "decimal",
        "double": "calculate",
        "name": "text",
        "day": "date",
        "thanks": "note",
        "photo": "file",
        "voice": "file",
        "doc": "file",
        "where": "location",
    }
    age = definition.question("age")
    assert age.text == {"es": "Edad", "en": "Age"} and age.hint == {"es": "En años"}
    assert age.relevant == "${member} = 'yes'"
    assert age.section == {"es": "Perfil", "en": "Profile"}
    assert definition.question("topics").other
    assert definition.question("score").bounds() == (0, 10)
    assert definition.question("voice").kinds == ["voice", "audio"]
    assert not definition.question("amount").required


def test_imported_form_runs_in_the_engine(tmp_path):
    engine = Engine(load_definition(workbook(tmp_path)))
    state = engine.start("es")
    step = engine.current(state)
    assert step.text == "¿Eres integrante?"
    inputs = [TextInput("sí"), TextInput("17")]
    for given in inputs:
        outcome = engine.feed(state, given)
        state = outcome.state
    assert outcome.error == "Mayor de edad"
    assert outcome.step.section == "Perfil"
    for given in [TextInput("30"), TextInput("1, 2, 3")]:
        outcome = engine.feed(state, given)
        state = outcome.state
    assert outcome.error is None
    outcome = engine.feed(state, CommandInput("done"))
    assert outcome.error == "Esta respuesta no es válida."  # count-selected(.) <= 2
    state = engine.feed(state, ChoiceInput("3")).state
    for given in [CommandInput("done"), TextInput("2, 1"), TextInput("7"), TextInput("2,5")]:
        outcome = engine.feed(state, given)
        assert outcome.error is None, outcome.error
        state = outcome.state
    for _ in range(6):
        state = engine.feed(state, CommandInput("skip")).state
    outcome = engine.feed(state, LocationInput(20.0, -100.0))
    assert outcome.finished
    assert outcome.answers["double"] == 5.0 and outcome.answers["order"] == ["2", "1", "3"]


def test_repeats_and_unknown_constructs_are_refused_with_sheet_row_and_column(tmp_path):
    survey = [
        [*SURVEY[0], "choice_filter"],
        [
            "begin_repeat",
            "kids",
            "Hijos",
            "Kids",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        [
            "select_one missing",
            "q1",
            "P",
            "Q",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        ["barcode", "q2", "P", "Q", None, None, None, None, None, None, None, None, None],
        ["text", "q3", "P", "Q", None, "maybe", None, None, None, None, None, None, "x = 1"],
        ["integer", "q4", "P", "Q", None, None, "${q4} >", None, None, None, None, None, None],
    ]
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey))
    problems = raised.value.problems
    expected = [
        "sheet 'survey', row 2, column 'type': repeats are not supported",
        "sheet 'survey', row 3, column 'type': choice list 'missing' is not in 'choices'",
        "sheet 'survey', row 4, column 'type': question type 'barcode' is not supported",
        "sheet 'survey', row 5, column 'required': 'maybe' must be yes or no",
        "sheet 'survey', row 5, column 'choice_filter': this column is not supported",
    ]
    for fragment in expected:
        assert any(fragment in problem for problem in problems), (fragment, problems)
    assert all(problem.startswith(str(tmp_path / "form.xlsx")) for problem in problems)


def test_expression_errors_point_at_the_row(tmp_path):
    survey = [
        SURVEY[0],
        ["integer", "q4", "P", "Q", None, None, "${q4} >", None, None, None, None, None],
    ]
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey, settings=None))
    assert raised.value.problems == [
        f"{tmp_path / 'form.xlsx'}: sheet 'survey', row 2, question 'q4', field 'relevant': "
        "unexpected end of expression (at column 8)"
    ]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("hello")
    with pytest.raises(DefinitionError, match="not an XLSForm workbook"):
        load_definition(path)
    with pytest.raises(DefinitionError, match="no 'survey' sheet"):
        load_definition(workbook(tmp_path, survey=None, name="nosurvey.xlsx"))


def test_language_columns_by_code_or_name(tmp_path):
    survey = [
        ["type", "name", "label::es", "label::English", "hint::fr"],
        ["text", "name", "Nombre", "Name", None],
    ]
    definition = load_definition(workbook(tmp_path, survey=survey, settings=None))
    assert definition.question("name").text == {"es": "Nombre", "en": "Name"}
    survey[1][4] = "Nom"
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey, settings=None, name="fr.xlsx"))
    assert raised.value.problems == [
        f"{tmp_path / 'fr.xlsx'}: sheet 'survey', row 2, column 'hint::fr': "
        "only Spanish (es) and English (en) are supported"
    ]
