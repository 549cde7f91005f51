"""Definitions are validated with every problem named by file, question and field."""

import copy
import json

import pytest

from conversations.definition import (
    DefinitionError,
    load_definition,
    parse_definition,
    read_definition,
)
from tests.conversations.conftest import EVERY_TYPE


def broken(**changes):
    data = copy.deepcopy(EVERY_TYPE)
    for index, fields in changes.items():
        data["questions"][int(index.removeprefix("q"))].update(fields)
    return data


def problems_of(data):
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, "form.yaml")
    return raised.value.problems


def test_every_type_loads_from_yaml_and_json(tmp_path, definition):
    import yaml

    (tmp_path / "form.yaml").write_text(yaml.safe_dump(EVERY_TYPE, allow_unicode=True))
    (tmp_path / "form.json").write_text(json.dumps(EVERY_TYPE))
    assert load_definition(tmp_path / "form.yaml") == definition
    assert load_definition(tmp_path / "form.json") == definition
    assert definition.anonymous
    assert definition.question("order").bounds() == (2, 2)


def test_structural_errors_name_file_question_and_field():
    data = broken(q0={"type": "maybe"}, q2={"min": "lots"}, q3={"choices": [{"id": "a"}]})
    problems = problems_of(data)
    assert any(p.startswith("form.yaml: question 'attended', field 'type'") for p in problems)
    assert any("question 'pick', field 'choices.0.label'" in p for p in problems)
    assert len(problems) >= 2


def test_unknown_fields_are_refused():
    problems = problems_of(broken(q0={"colour": "blue"}))
    assert problems == [
        "form.yaml: question 'attended', field 'colour': Extra inputs are not permitted"
    ]


def test_rules_across_fields_are_all_reported():
    data = broken(
        q2={"relevant": "${attended} = "},
        q3={"choices": [{"id": "a", "label": "A"}]},
        q4={"max": 9},
        q5={"top": 7},
        q17={"constraint": "${nowhere} > 1"},
    )
    data["questions"][6]["id"] = "attended"
    problems = problems_of(data)
    expected = [
        "question 'age', field 'relevant': unexpected end of expression (at column 15)",
        "question 'pick', field 'choices': needs at least two choices",
        "question 'topics', field 'max': more than the number of choices",
        "question 'order', field 'top': more than the number of choices",
        "question 'attended', field 'id': used by more than one question",
        "question 'even', field 'constraint': refers to unknown question 'nowhere'",
    ]
    for fragment in expected:
        assert any(fragment in problem for problem in problems), fragment
    assert all(problem.startswith("form.yaml: ") for problem in problems)


def test_plain_strings_are_spanish_texts():
    data = copy.deepcopy(EVERY_TYPE)
    data["title"] = "Sólo español"
    assert parse_definition(data).title == {"es": "Sólo español"}


def test_unreadable_files_are_reported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("questions: [")
    with pytest.raises(DefinitionError, match=r"bad.yaml: not valid YAML"):
        load_definition(path)


def test_yaml_dates_are_bounds(tmp_path):
    path = tmp_path / "dates.yaml"
    path.write_text(
        "id: d\nversion: 1\ntitle: Fechas\nquestions:\n"
        "  - {id: day, type: date, text: Día, min: 2026-01-01, max: 2026-12-31}\n"
    )
    assert load_definition(path).question("day").bounds() == ("2026-01-01", "2026-12-31")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_repeats_nested_past_what_a_parser_reads_are_refused_in_one_line(suffix):
    nested = '{"id": "t", "type": "text", "text": "T"}'
    for level in range(3000):
        nested = f'{{"id": "r{level}", "type": "repeat", "questions": [{nested}]}}'
    data = f'{{"id": "d", "version": 1, "title": "D", "questions": [{nested}]}}'.encode()
    with pytest.raises(DefinitionError) as raised:
        read_definition(data, f"hondo{suffix}")
    assert raised.value.problems == [f"hondo{suffix}: nested deeper than a definition can be"]
