"""/datos: every table as CSV and JSON, described by a Data Package that validates, with no
person in any file and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json

from core.infra.settings import Settings
from core.plans.progress import plan_progress
from core.public.open_data import TABLES, field_names
from public.open_data import descriptor
from tests.public.conftest import served
from tests.support.open_data import validated_package
from tests.support.public_world import FORMULA_TITLE


async def records(populated, path: str, **params: str) -> list[dict]:
    """A JSON file's rows, each as a dictionary of its columns."""
    header, *rows = (await populated.client.get(path, params=params)).json()
    return [dict(zip(header, row, strict=True)) for row in rows]


async def test_every_file_downloads_and_the_package_validates(populated, tmp_path):
    report = await validated_package(populated.client, tmp_path)

    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "message"])
    assert len(report.tasks) == 2 * len(TABLES)
    assert all(task.stats["rows"] > 0 for task in report.tasks)


async def test_a_site_with_nothing_yet_publishes_a_valid_package(db_url, session_factory, tmp_path):
    async with served(db_url, tmp_path) as (_url, client):
        report = await validated_package(client, tmp_path)

    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "message"])


async def test_no_file_names_a_person(populated):
    paths = [f"/datos/{t.name}.{ext}" for t in TABLES for ext in ("csv", "json")]
    for path in [*paths, "/datos", "/datos/datapackage.json"]:
        text = (await populated.client.get(path)).text
        found = [value for value in populated.world.personal if value in text]
        assert not found, f"{path} names {found}"
    tasks = await records(populated, "/datos/tareas.json")
    assert set(tasks[0]) == set(field_names(next(t for t in TABLES if t.name == "tareas")))


async def test_a_csv_cell_that_looks_like_a_formula_is_text(populated):
    rows = list(csv.DictReader(io.StringIO((await populated.client.get("/datos/tareas.csv")).text)))
    first = next(row for row in rows if row["id"] == str(populated.world.task_ids[0]))
    assert first["title"] == "'" + FORMULA_TITLE
    assert first["description"] == "'-2 avisos; @todos"
    assert json.loads(first["inputs"]) == ["+Padrón"]
    assert json.loads(first["outputs"]) == ["Informe «final» 📄"]
    as_json = await records(populated, "/datos/tareas.json")
    assert as_json[0]["title"] == FORMULA_TITLE


async def test_progress_is_published_as_reported_and_as_validated(populated, session_factory):
    rows = await records(populated, "/datos/avance.json")
    plan_id = populated.world.plan_id
    async with session_factory() as session:
        reported = await plan_progress(session, populated.world.own, plan_id)
        validated = await plan_progress(session, populated.world.own, plan_id, validated=True)
    plan_row = next(row for row in rows if row["level"] == "plan" and row["id"] == plan_id)
    assert (plan_row["reported_percent"], plan_row["validated_percent"]) == (
        reported.percent,
        validated.percent,
    )
    assert 0 < validated.percent < reported.percent
    levels = [row["level"] for row in rows if row["plan_id"] == plan_id]
    assert levels == ["plan", "objective", "activity", "activity"]
    first = validated.children[0].children[0]
    activity = next(row for row in rows if (row["level"], row["id"]) == ("activity", first.id))
    assert activity["validated_percent"] == first.percent


async def test_validation_outcomes_count_votes_and_sectors_without_voters(populated):
    rows = {row["report_id"]: row for row in await records(populated, "/datos/validaciones.json")}
    validated, disputed = (
        rows[populated.world.validated_report],
        rows[populated.world.disputed_report],
    )
    assert (validated["state"], validated["confirmations"], validated["disputes"]) == (
        "validated", 2, 1,
    )  # fmt: skip
    assert validated["sectors"] == 2 and validated["closed_at"] is not None
    assert (disputed["state"], disputed["confirmations"], disputed["disputes"]) == (
        "disputed", 1, 2,
    )  # fmt: skip
    assert disputed["task_id"] == populated.world.task_ids[1]


async def test_files_can_be_cut_to_one_secretariat(populated):
    only = await records(populated, "/datos/tareas.json", secretaria="sesea-zac")
    assert [row["title"] for row in only] == ["Tarea de Zacatecas"]
    plans = (
        await populated.client.get("/datos/planes.csv", params={"secretaria": "sesea-zac"})
    ).text
    assert plans.count("\r\n") == 2  # the header and Zacatecas' plan
    page = await populated.client.get("/datos", params={"secretaria": "sesea-zac"})
    assert "/datos/tareas.csv?secretaria=sesea-zac" in page.text
    unknown = await populated.client.get("/datos/tareas.csv", params={"secretaria": "nadie"})
    assert unknown.status_code == 404


async def test_an_unknown_file_is_a_404_in_the_visitors_language(populated):
    response = await populated.client.get("/datos/personas.csv", params={"lang": "en"})
    assert response.status_code == 404
    assert "There is no such file among the open data." in response.text


def test_the_descriptor_names_the_configured_licence(tmp_path):
    settings = Settings(data_dir=tmp_path, open_data_licence="CC0-1.0")
    described = descriptor(settings, "es", "https://datos.ejemplo.mx")
    assert described["licenses"] == [
        {
            "name": "CC0-1.0",
            "title": "Creative Commons Zero v1.0 Universal",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    ]
    assert described["sources"][0]["path"] == "https://datos.ejemplo.mx/public/ledger"
    assert Settings(data_dir=tmp_path).open_data_licence == "CC-BY-4.0"


async def test_the_page_lists_every_file_with_the_licence_and_the_ledger(populated):
    page = (await populated.client.get("/datos")).text
    for table in TABLES:
        assert f'href="/datos/{table.name}.csv"' in page
        assert f'href="/datos/{table.name}.json"' in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert 'href="/public/ledger"' in page
    english = (await populated.client.get("/datos", params={"lang": "en"})).text
    assert "Adoptions of good practices" in english and "Not here yet" not in english


async def test_published_practices_and_their_adoptions_are_open_data(populated):
    world = populated.world
    published = await records(populated, "/datos/buenas-practicas.json")
    assert [row["id"] for row in published] == [world.practice_id]
    practice = published[0]
    assert practice["secretariat_id"] == world.own
    assert practice["title"] == "Testigos sociales en contrataciones públicas"
    assert (practice["pna_priority"], practice["theme"]) == (22, "procurement")
    assert practice["contact_role"] == "Coordinación de Vinculación de la SESEA"
    assert practice["validated_at"] and practice["published_at"]
    [adopted] = await records(populated, "/datos/adopciones.json")
    assert (adopted["practice_id"], adopted["secretariat_id"]) == (world.practice_id, world.other)
    assert adopted["activity_id"] is None and adopted["adopted_at"]
    own = await records(populated, "/datos/adopciones.json", secretaria=world.own_slug)
    assert own == []
