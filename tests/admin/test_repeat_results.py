"""A campaign with repeats over HTTP: the XLSX export has a sheet per repeat, each row an
instance linked to the row it belongs to, as KoBoToolbox exports them; the CSV keeps the
responses' table; results and their page count every instance."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from conversations.engine.inputs import ChoiceInput, TextInput
from core.audit.actor import Actor
from core.chat import campaigns, stored_definitions
from core.chat.definitions import DefinitionCatalog
from core.models import Role, Sector
from core.people.people import create_person
from tests.support import surveys

VISITS = {
    "id": "visitas",
    "version": 1,
    "title": "Visitas",
    "questions": [
        {"id": "zona", "type": "text", "text": "Zona"},
        {
            "id": "visita",
            "type": "repeat",
            "text": "Visita",
            "questions": [
                {"id": "lugar", "type": "text", "text": "Lugar"},
                {
                    "id": "tipo",
                    "type": "single_choice",
                    "text": "Tipo",
                    "other": True,
                    "choices": [
                        {"id": "obra", "label": "Obra"},
                        {"id": "oficina", "label": "Oficina"},
                    ],
                },
                {
                    "id": "hallazgo",
                    "type": "repeat",
                    "text": "Hallazgo",
                    "questions": [{"id": "nota", "type": "text", "text": "Nota"}],
                },
            ],
        },
    ],
}
YES, NO = ChoiceInput("yes"), ChoiceInput("no")
SCRIPTS = [
    {
        "zona": [TextInput("Norte")],
        "lugar": [TextInput("Puente"), TextInput("Palacio")],
        "tipo": [ChoiceInput("obra"), ChoiceInput("other"), TextInput("Mercado")],
        "nota": [TextInput("Grietas"), TextInput("Sin señal"), TextInput("Cerrado")],
        "hallazgo": [YES, NO, NO],
        "visita": [YES, NO],
    },
    {
        "zona": [TextInput("Sur")],
        "lugar": [TextInput("Escuela")],
        "tipo": [ChoiceInput("oficina")],
        "nota": [TextInput("Bien")],
        "hallazgo": [NO],
        "visita": [NO],
    },
]


@pytest.fixture
async def campaign(session_factory, world) -> int:
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        await stored_definitions.upload(
            session, world.own, Actor.system(), catalog,
            data=json.dumps(VISITS).encode(), filename="visitas.json",
        )  # fmt: skip
        found, _ = await campaigns.start_now(
            session, world.own, Actor.system(),
            definition=await catalog.find(session, world.own, "visitas"),
            settings=campaigns.Settings(audience=campaigns.Audience()), reach_now=False,
        )  # fmt: skip
        for n, script in enumerate(SCRIPTS):
            person = await create_person(session, world.own, "test", roles={Role.STAFF},
                                         sector=Sector.OSC, telegram_id=700 + n)  # fmt: skip
            await surveys.answer(session, catalog, found, person, script)
        return found.id


async def download(http, world, campaign, tail, **params):
    answer = await http.get(
        f"/secretariats/{world.own}/campaigns/{campaign}/{tail}",
        params=params,
        headers=world.auth("viewer"),
    )
    assert answer.status_code == 200, answer.text
    return answer


def rows_of(sheet) -> list[dict]:
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


async def test_each_repeat_has_a_sheet_of_its_instances_linked_to_their_rows(http, world, campaign):
    answer = await download(http, world, campaign, "export.xlsx", values="values")
    workbook = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert workbook.sheetnames == ["Respuestas", "visita", "hallazgo", "Columnas"]
    responses = rows_of(workbook["Respuestas"])
    assert [(r["zona"], r["visita"], r["_index"]) for r in responses] == [
        ("Norte", 2, 1),
        ("Sur", 1, 2),
    ]
    assert rows_of(workbook["visita"]) == [
        {"lugar": "Puente", "tipo": "obra", "tipo_other": None, "hallazgo": 2,
         "_index": 1, "_parent_index": 1},
        {"lugar": "Palacio", "tipo": "other", "tipo_other": "Mercado", "hallazgo": 1,
         "_index": 2, "_parent_index": 1},
        {"lugar": "Escuela", "tipo": "oficina", "tipo_other": None, "hallazgo": 1,
         "_index": 3, "_parent_index": 2},
    ]  # fmt: skip
    assert [
        (r["nota"], r["_index"], r["_parent_index"]) for r in rows_of(workbook["hallazgo"])
    ] == [
        ("Grietas", 1, 1),
        ("Sin señal", 2, 1),
        ("Cerrado", 3, 2),
        ("Bien", 4, 3),
    ]
    described = [row[1] for row in workbook["Columnas"].iter_rows(values_only=True)]
    assert "visita/_parent_index" in described and "hallazgo/nota" in described


async def test_the_csv_counts_the_instances_of_each_repeat(http, world, campaign):
    answer = await download(http, world, campaign, "export.csv", values="values")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(row["zona"], row["visita"], row["_index"]) for row in rows] == [
        ("Norte", "2", "1"),
        ("Sur", "1", "2"),
    ]
    assert "lugar" not in rows[0]


async def test_results_count_every_instance_and_say_so(http, world, campaign):
    figures = (await download(http, world, campaign, "results")).json()
    by_id = {question["id"]: question for question in figures["questions"]}
    assert (by_id["visita"]["total"], by_id["hallazgo"]["total"]) == (3, 4)
    assert (by_id["nota"]["answered"], by_id["nota"]["instances"]) == (2, 4)
    page = (await download(http, world, campaign, "results.html")).text
    assert "Registros en total: 4" in page and "Registros en que se preguntó: 4" in page
