"""`incorruptible survey check|try`: the tools of survey authors."""

import json

import yaml
from typer.testing import CliRunner

from conversations.definitions import DIRECTORY
from incorruptible.cli import app
from tests.conversations.conftest import EVERY_TYPE

runner = CliRunner()


def test_check_prints_an_outline():
    result = runner.invoke(app, ["survey", "check", str(DIRECTORY / "workshop_feedback.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("workshop_feedback v1 (survey): Evaluación del taller")
    assert "anonymous (respondent attributes kept: sector)" in result.output
    assert "4. unmet_reason [text, required, max length 800]" in result.output
    assert "relevant: ${objectives_met} != 'fully'" in result.output
    assert "- partly: En parte" in result.output


def test_check_reports_every_problem(tmp_path):
    data = dict(EVERY_TYPE, questions=[dict(q) for q in EVERY_TYPE["questions"]])
    data["questions"][5]["top"] = "many"
    data["questions"][2]["relevant"] = "${attended} ="
    data["questions"][3]["type"] = "dropdown"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = runner.invoke(app, ["survey", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: question 'pick', field 'type'" in result.output
    assert f"{path}: question 'order', field 'top'" in result.output
    assert f"{path}: question 'age', field 'relevant': unexpected end" in result.output
    assert "3 problems found." in result.output


def test_check_reads_xlsform(tmp_path):
    from tests.conversations.test_xlsform import workbook

    result = runner.invoke(app, ["survey", "check", "--lang", "en", str(workbook(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "age [integer, required]" in result.output and "Are you a member?" in result.output


def test_try_answers_in_the_terminal():
    answers = "\n".join(
        [
            "2026-02-30",
            "15/03/2026",
            "5",
            "2",
            "Faltó tiempo",
            "4",
            "5",
            "10",
            "/skip",
            "Más ejemplos",
            "sí",
        ]
    )
    path = DIRECTORY / "workshop_feedback.yaml"
    result = runner.invoke(app, ["survey", "try", str(path)], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "¿En qué fecha fue el taller?" in result.output
    assert "! Por favor escribe una fecha" in result.output
    assert "  2. En parte" in result.output
    assert "¡Gracias por tus comentarios!" in result.output
    output = json.loads(result.output[result.output.index("{\n") :])
    assert output["status"] == "completed"
    assert output["answers"]["workshop_date"] == "2026-03-15"
    assert output["answers"]["objectives_met"] == "partly"
    assert output["answers"]["most_useful"] is None
    assert output["answers"]["attend_again"] == "yes"


def test_try_in_english_with_files_and_locations(tmp_path):
    definition = {
        "id": "evidence",
        "version": 1,
        "title": {"es": "Evidencia", "en": "Evidence"},
        "questions": [
            {"id": "photos", "type": "file", "text": {"es": "Fotos", "en": "Photos"}, "max": 3},
            {"id": "where", "type": "location", "text": {"es": "Dónde", "en": "Where"}},
        ],
    }
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(definition))
    picture = tmp_path / "obra.jpg"
    picture.write_bytes(b"\xff\xd8 jpeg")
    lines = ["hello", f"/file {picture}", "/done", "/location 19.4,-99.1"]
    result = runner.invoke(
        app, ["survey", "try", "--lang", "en", str(path)], input="\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "! Please send a file of one of these kinds: photo, document." in result.output
    output = json.loads(result.output[result.output.index("{\n") :])
    assert output["answers"]["photos"][0]["mime_type"] == "image/jpeg"
    assert output["answers"]["where"] == {"latitude": 19.4, "longitude": -99.1}


def test_try_stops_when_input_ends():
    path = DIRECTORY / "workshop_feedback.yaml"
    result = runner.invoke(app, ["survey", "try", str(path)], input="15/03/2026\n")
    assert result.exit_code == 1
    assert "Input ended before the conversation did." in result.output


def test_try_answers_an_xlsform_with_nested_repeats(tmp_path):
    from tests.conversations.xlsforms import FORMS

    form = next(form for form in FORMS if form.name == "visitas_hallazgos")
    lines = [
        "Mercado",
        "Basura",
        "2",
        "no",
        "sí",
        "Plaza",
        "Bancas rotas",
        "1",
        "no",
        "no",
        "/skip",
    ]
    result = runner.invoke(
        app, ["survey", "try", str(form.write(tmp_path))], input="\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Visita (1.º) · Hallazgo en Mercado (1.º)\n\n¿Agregar otro?\n  1. Sí\n  2. No" in (
        result.output
    )
    assert "Visita (2.º)\n\nLugar visitado" in result.output
    output = json.loads(result.output[result.output.index("{\n") :])
    assert output["answers"] == {
        "visita": [
            {"lugar": "Mercado", "hallazgo": [{"descripcion": "Basura", "gravedad": "alta"}]},
            {"lugar": "Plaza", "hallazgo": [{"descripcion": "Bancas rotas", "gravedad": "baja"}]},
        ],
        "comentarios": None,
    }
