"""A campaign's export with repeats: the XLSX has a sheet per repeat, each row an instance linked
to the row it belongs to, as KoBoToolbox exports them; the CSV keeps the responses' table."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from conversations.engine.inputs import ChoiceInput, TextInput
from core.audit.actor import Actor
from core.chat import campaigns, exports, stored_definitions
from core.chat.definitions import DefinitionCatalog
from core.models import Role, Sector
from core.people.people import create_person
from tests.support import factories, surveys

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


async def exported(session):
    catalog = DefinitionCatalog("2026-01")
    secretariat = await factories.secretariat(session)
    await stored_definitions.upload(
        session, secretariat.id, Actor.system(), catalog,
        data=json.dumps(VISITS).encode(), filename="visitas.json",
    )  # fmt: skip
    campaign, _ = await campaigns.start_now(
        session, secretariat.id, Actor.system(),
        definition=await catalog.find(session, secretariat.id, "visitas"),
        settings=campaigns.Settings(audience=campaigns.Audience()), reach_now=False,
    )  # fmt: skip
    for n, script in enumerate(SCRIPTS):
        person = await create_person(session, secretariat.id, "test", roles={Role.STAFF},
                                     sector=Sector.OSC, telegram_id=700 + n)  # fmt: skip
        await surveys.answer(session, catalog, campaign, person, script)
    export = await exports.prepare(
        session, secretariat.id, catalog, campaign.id, language="es",
        values=exports.Values.VALUES,
    )  # fmt: skip
    return session, export


def rows_of(sheet) -> list[dict]:
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


async def test_each_repeat_has_a_sheet_of_its_instances_linked_to_their_rows(session):
    session, export = await exported(session)
    buffer = io.BytesIO()
    await exports.write_xlsx(session, export, buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
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


async def test_the_csv_counts_the_instances_of_each_repeat(session):
    session, export = await exported(session)
    buffer = io.BytesIO()
    await exports.write_csv(session, export, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
    assert [(row["zona"], row["visita"], row["_index"]) for row in rows] == [
        ("Norte", "2", "1"),
        ("Sur", "1", "2"),
    ]
    assert "lugar" not in rows[0]
