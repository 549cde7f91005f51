"""/datos filtered by the national policy's eje, objective and priority: every file keeps the
rows under the lines of action citing a matching priority, across states; the lines of action
carry the priorities they cite; a value the policy does not have is refused."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import event

from core.chat.definitions import DefinitionCatalog
from core.public.national_policy import matching
from core.public.open_data import BY_NAME, TABLES
from core.public.open_data_rows import Source
from tests.public.test_open_data import records
from tests.support.open_data import validated_package
from tests.support.public_world import cite_the_national_policy


@pytest.fixture
async def cited(populated, session_factory):
    """The site's two secretariats, each line of action citing the national policy."""
    await cite_the_national_policy(session_factory, populated.world)
    return populated


async def test_lines_of_action_carry_the_national_priorities_they_cite(cited):
    lines = await records(cited, "/datos/lineas-de-accion.json")
    own = [row["pna_priorities"] for row in lines if row["plan_id"] == cited.world.plan_id]
    assert own == [[31]]  # through its state policy's priority P7
    # Zacatecas' own line, and the one it adopted citing the practice's priority.
    assert sorted(row["pna_priorities"] for row in lines) == [[12], [22], [31]]
    table = (await cited.client.get("/datos/lineas-de-accion.csv")).text
    rows = list(csv.DictReader(io.StringIO(table)))
    assert sorted(row["pna_priorities"] for row in rows) == ["[12]", "[22]", "[31]"]


async def test_a_priority_keeps_only_the_rows_under_the_lines_citing_it(cited):
    world = cited.world
    tasks = await records(cited, "/datos/tareas.json", prioridad="31")
    assert sorted(row["id"] for row in tasks) == sorted(world.task_ids)
    zacatecas = await records(cited, "/datos/tareas.json", prioridad="12")
    assert [row["title"] for row in zacatecas] == ["Tarea de Zacatecas"]
    by_axis = await records(cited, "/datos/tareas.json", eje="4")
    assert sorted(row["id"] for row in by_axis) == sorted(world.task_ids)
    # Validations, indicators, measurements and dependencies hang off Aguascalientes' line;
    # Zacatecas' holds one activity and its task.
    for name in ("validaciones", "indicadores", "mediciones", "dependencias"):
        assert await records(cited, f"/datos/{name}.json", prioridad="31"), name
        assert await records(cited, f"/datos/{name}.json", prioridad="12") == [], name
    activities = await records(cited, "/datos/actividades.json", prioridad="12")
    assert len(activities) == 1
    progress = await records(cited, "/datos/avance.json", eje="4")
    assert [row["level"] for row in progress] == ["objective", "activity", "activity"]
    assert {row["plan_id"] for row in progress} == {world.plan_id}
    # Secretariats, plans and survey results keep those holding a matching line.
    secretariats = await records(cited, "/datos/secretarias.json", prioridad="12")
    assert [row["slug"] for row in secretariats] == [world.other_slug]
    assert await records(cited, "/datos/resultados-de-encuestas.json", prioridad="12") == []
    assert await records(cited, "/datos/resultados-de-encuestas.json", prioridad="31")
    plans = await records(cited, "/datos/planes.json", prioridad="31")
    assert [row["id"] for row in plans] == [world.plan_id]


async def test_a_priority_keeps_the_practices_serving_it_and_their_secretariats(cited):
    world = cited.world
    serving = await records(cited, "/datos/buenas-practicas.json", prioridad="22")
    assert [row["id"] for row in serving] == [world.practice_id]
    assert await records(cited, "/datos/buenas-practicas.json", prioridad="31") == []
    assert await records(cited, "/datos/buenas-practicas.json", eje="3")  # 22 is of axis 3
    # Its secretariat is listed though no line of its plan cites 22 (the row names it), with
    # Zacatecas, whose line adopting it does.
    secretariats = await records(cited, "/datos/secretarias.json", prioridad="22")
    assert [row["slug"] for row in secretariats] == [world.own_slug, world.other_slug]
    adopted = await records(cited, "/datos/adopciones.json", prioridad="22")
    assert [row["practice_id"] for row in adopted] == [world.practice_id]
    assert await records(cited, "/datos/adopciones.json", prioridad="31") == []


async def test_a_filter_no_line_matches_leaves_every_file_with_its_header_only(cited):
    for table in TABLES:
        response = await cited.client.get(f"/datos/{table.name}.csv", params={"prioridad": "2"})
        assert response.status_code == 200
        assert response.text.count("\r\n") == 1, table.name


async def test_the_filter_and_the_secretariat_cut_together(cited):
    world = cited.world
    params = {"eje": "4", "secretaria": world.other_slug}
    assert await records(cited, "/datos/tareas.json", **params) == []
    params = {"eje": "2", "secretaria": world.other_slug}
    assert [row["title"] for row in await records(cited, "/datos/tareas.json", **params)] == [
        "Tarea de Zacatecas"
    ]


async def test_filtered_files_still_make_a_valid_package(cited, tmp_path):
    report = await validated_package(cited.client, tmp_path, prioridad="31")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "message"])


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"prioridad": "41"}, "prioridad takes a number from 1 to 40"),
        ({"eje": "cinco"}, "eje takes a number from 1 to 4"),
        ({"objetivo": "0"}, "objetivo takes a number from 1 to 10"),
        ({"prioridad": "9" * 500}, "prioridad takes a number from 1 to 40"),
    ],
)
async def test_a_value_the_policy_does_not_have_is_a_400_saying_which(cited, params, said):
    for extension in ("csv", "json"):
        response = await cited.client.get(
            f"/datos/tareas.{extension}", params={**params, "lang": "en"}
        )
        assert response.status_code == 400, params
        assert said in response.text
    spanish = await cited.client.get("/datos/tareas.csv", params=params)
    assert spanish.status_code == 400 and "admite un número del 1 al" in spanish.text


async def test_the_page_explains_the_filter_and_its_links_keep_it(cited):
    page = (await cited.client.get("/datos", params={"prioridad": "31", "lang": "en"})).text
    assert "/datos/tareas.csv?prioridad=31&amp;lang=en" in page
    assert "The links below give only the rows under lines of action citing priority 31" in page
    assert 'href="/datos/lineas-de-accion.csv?prioridad=12' in page  # an example
    assert '<option value="31" selected>31</option>' in page
    unknown = await cited.client.get("/datos", params={"prioridad": "41", "lang": "en"})
    assert unknown.status_code == 200
    assert "that filter is left out." in unknown.text
    assert "/datos/tareas.csv?lang=en" in unknown.text


async def test_the_matching_lines_are_read_once_whatever_the_rows(cited, engine, session_factory):
    """Each table's statements are as many filtered as not: the filter is an IN of ids."""
    counted: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        counted.append(statement)

    async with session_factory() as session:
        found = await matching(session, frozenset({31}))
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            for name in ("tareas", "validaciones", "avance", "lineas-de-accion"):
                for chosen in (None, found):
                    counted.clear()
                    source = Source(session, None, DefinitionCatalog("2026-01"), 3, chosen)
                    rows = [row async for row in BY_NAME[name].rows(source)]
                    assert rows, name
                    if chosen is None:
                        unfiltered = len(counted)
                    else:
                        assert len(counted) <= unfiltered, name
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
