"""XLSForm workbooks become definitions; what we do not support is refused precisely."""

import pytest
from openpyxl import Workbook

from conversations.definition import DefinitionError, load_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, LocationInput, TextInput
from conversations.engine.navigation import Engine
from conversations.xlsform import import_xlsform

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


def test_what_a_chat_cannot_ask_is_refused_with_sheet_row_and_column(tmp_path):
    survey = [
        [*SURVEY[0], "choice_filter"],
        ["begin_repeat", "kids", "Hijos", "Kids", *[None] * 9],
        ["text", "kid", "Nombre", "Name", *[None] * 9],
        ["end_repeat", *[None] * 12],
        ["barcode", "q2", "P", "Q", *[None] * 9],
        ["text", "q3", "P", "Q", None, "maybe", *[None] * 7],
        ["select_one yes_no", "q5", "P", "Q", *[None] * 8, "pais = 'mx'"],
    ]
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey))
    problems = raised.value.problems
    expected = [
        "sheet 'survey', row 5, column 'type': a barcode cannot be scanned in a chat",
        "sheet 'survey', row 6, column 'required': 'maybe' must be yes or no",
    ]
    for fragment in expected:
        assert any(fragment in problem for problem in problems), (fragment, problems)
    assert all(problem.startswith(str(tmp_path / "form.xlsx")) for problem in problems)


def test_a_missing_choice_list_is_refused_by_its_row(tmp_path):
    survey = [SURVEY[0], ["select_one missing", "q1", "P", "Q", *[None] * 8]]
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey))
    assert "row 2" in raised.value.problems[0] and "missing" in raised.value.problems[0]


def test_columns_a_chat_does_not_use_are_warnings_by_sheet_row_and_column(tmp_path):
    survey = [
        ["type", "name", "label", "appearance", "image", "bind::odk:length", "x_propia"],
        ["text", "q1", "Uno", None, None, None, None],
        ["text", "q2", "Dos", "multiline", "foto.jpg", "10", "z"],
    ]
    choices = [["list_name", "name", "label", "image"], ["l", "a", "A", "a.png"]]
    imported = import_xlsform(
        workbook(tmp_path, survey=survey, choices=choices, settings=None).read_bytes(), "f.xlsx"
    )
    assert imported.warnings == [
        f"f.xlsx: sheet 'survey', row 3, column '{column}': not used in a chat; ignored"
        for column in ("appearance", "image", "bind::odk:length", "x_propia")
    ] + ["f.xlsx: sheet 'choices', row 2, column 'image': not used in a chat; ignored"]
    assert [q.id for q in imported.definition.questions] == ["q1", "q2"]


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


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["label::es", "label::English"], {"es": "Uno", "en": "One"}),
        (["label:spanish", "label:english"], {"es": "Uno", "en": "One"}),
        (["label::Español (es)", "label::English (en)"], {"es": "Uno", "en": "One"}),
        (["label::español", "label::Swahili (sw)"], {"es": "Uno", "sw": "One"}),
        (["label", "label::English (en-US)"], {"es": "Uno", "en": "One"}),
    ],
)
def test_language_columns_in_every_spelling(tmp_path, headers, expected):
    survey = [["type", "name", *headers], ["text", "q1", "Uno", "One"]]
    definition = load_definition(workbook(tmp_path, survey=survey, settings=None))
    assert definition.question("q1").text == expected


def test_the_default_language_comes_first_and_reads_last(tmp_path):
    survey = [["type", "name", "label", "label::Español (es)"], ["text", "q1", "Swali", "Uno"]]
    settings = [["default_language"], ["Swahili (sw)"]]
    definition = load_definition(workbook(tmp_path, survey=survey, settings=settings))
    assert list(definition.question("q1").text) == ["sw", "es"]
    engine = Engine(definition)
    assert engine.current(engine.start("en")).text == "Uno"  # Spanish before the form's own


def test_a_language_without_a_code_is_refused_by_its_column(tmp_path):
    survey = [["type", "name", "label", "hint::Klingon"], ["text", "q1", "Uno", "nuqneH"]]
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey, settings=None, name="k.xlsx"))
    assert raised.value.problems == [
        f"{tmp_path / 'k.xlsx'}: sheet 'survey', row 2, column 'hint::Klingon': "
        "no language code in 'Klingon': write it as 'Klingon (xx)'"
    ]


def test_settings_take_any_version_and_an_instance_name(tmp_path):
    settings = [
        ["form_id", "form_title", "version", "default_language", "instance_name"],
        ["mi_forma", "Mi forma", "2024-03 (v3)", "es", "concat(${name})"],
    ]
    definition = load_definition(workbook(tmp_path, settings=settings))
    assert (definition.id, definition.version, definition.title) == (
        "mi_forma",
        1,
        {"es": "Mi forma"},
    )


def test_a_password_protected_workbook_is_refused_in_one_line(tmp_path):
    path = tmp_path / "secreto.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(DefinitionError) as raised:
        load_definition(path)
    assert raised.value.problems == [
        f"{path}: the workbook is password-protected or an old .xls: save it as .xlsx"
    ]


def test_repeats_are_read_nested_with_their_count_as_written(tmp_path):
    survey = [
        ["type", "name", "label", "repeat_count", "relevant"],
        ["integer", "n", "¿Cuántos?", None, None],
        ["begin_group", "hogar", "Hogar", None, "${n} > 0"],
        ["begin_repeat", "miembros", "Integrante", "${n}", None],
        ["text", "nombre", "Nombre", None, None],
        ["begin repeat", "hijos", "Hijo de ${nombre}", None, None],
        ["text", "hijo", "Nombre del hijo", None, None],
        ["end repeat", None, None, None, None],
        ["end_repeat", None, None, None, None],
        ["end_group", None, None, None, None],
        ["begin_repeat", "fijo", "Fijo", "2", None],
        ["integer", "x", "X", None, None],
        ["end_repeat", None, None, None, None],
        ["begin_repeat", "doble", None, "${n} * 2", None],
        ["integer", "y", "Y", None, None],
        ["end_repeat", None, None, None, None],
        ["begin_loop over yes_no", "ciclo", "Ciclo", None, None],
        ["text", "z", "Z", None, None],
        ["end_loop", None, None, None, None],
    ]
    with pytest.raises(DefinitionError) as raised:
        load_definition(workbook(tmp_path, survey=survey, settings=None))
    assert raised.value.problems == [
        f"{tmp_path / 'form.xlsx'}: sheet 'survey', row 17, column 'type': "
        "a loop is not asked in a chat: use a repeat"
    ]
    path = workbook(tmp_path, survey=survey[:-3], settings=None)
    imported = import_xlsform(path.read_bytes(), path.name)
    assert imported.warnings == []  # repeat_count is read, not ignored
    definition = imported.definition
    repeats = {q.id: q for q in definition.every_question if q.is_repeat}
    assert {rid: q.repeat_count for rid, q in repeats.items()} == {
        "miembros": "${n}",
        "hijos": None,
        "fijo": 2,
        "doble": "${n} * 2",
    }
    assert repeats["miembros"].relevant == "${n} > 0" and repeats["hijos"].relevant is None
    assert [q.id for q in definition.questions] == ["n", "miembros", "fijo", "doble"]
    assert definition.repeats_of("hijo") == ("miembros", "hijos")
    assert definition.question("hijos").text == {"es": "Hijo de ${nombre}"}
