"""Plan import and export over HTTP: round trip, errors by row and column, hostile files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.plans.spreadsheets import columns
from tests.admin.test_plans_api import build_plan

XLSX = columns.XLSX_MEDIA_TYPE
HEADER = [column.header for column in columns.COLUMNS]


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


def workbook_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)["Plan"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def upload(client, base, headers, content: bytes, name="plan.xlsx", title="Importado"):
    return await client.post(
        f"{base}/plans/import",
        headers=headers,
        data={"year": "2026", "title": title},
        files={"file": (name, content, XLSX if name.endswith("xlsx") else "text/csv")},
    )


async def test_export_then_import_gives_back_the_same_plan(client, world, base):
    admin = world.auth("secretariat_admin")
    built = await build_plan(client, base, admin)
    handle = await client.post(
        f"{base}/people",
        headers=admin,
        json={"roles": ["staff"], "name": "Luis", "telegram_username": "luis_mx"},
    )
    last = built["tasks"][2]
    await client.patch(
        f"{base}/tasks/{last['id']}",
        headers=admin,
        json={
            "version": last["version"],
            "responsible_ids": [built["person"]["id"], handle.json()["id"]],
            "status": "in_progress",
            "percent": 40,
            "logged_hours": 3.5,
            "weight": 2,
            "description": "Con las OSC",
            "inputs": ["Uno; con punto y coma"],
        },
    )
    await client.post(
        f"{base}/dependencies",
        headers=admin,
        json={"predecessor_id": built["tasks"][0]["id"], "successor_id": last["id"], "lag_days": 3},
    )
    exported = await client.get(f"{base}/plans/{built['plan']['id']}/export.xlsx", headers=admin)
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX
    rows = workbook_rows(exported.content)
    assert rows[0] == HEADER and len(rows) == 4
    assert rows[3][HEADER.index("Responsables")] == "ana@x.mx; @luis_mx"
    assert rows[3][HEADER.index("Depende de")] == "1.1.1+3d; 1.1.2"

    imported = await upload(client, base, admin, exported.content, title="Copia")
    assert imported.status_code == 201, imported.text
    summary = imported.json()
    assert (
        summary["objectives"],
        summary["activities"],
        summary["tasks"],
        summary["dependencies"],
    ) == (1, 1, 3, 3)
    again = await client.get(f"{base}/plans/{summary['plan']['id']}/export.xlsx", headers=admin)
    assert workbook_rows(again.content) == rows


async def test_csv_import_with_semicolons_and_spanish_dates(client, world, base):
    admin = world.auth("coordinator")
    content = (
        "Objetivo;Actividad;Tarea;Horas estimadas;Inicio;Término;Depende de;Estado\n"
        "Transparencia;Portal;Diseñar;16;02/03/2026;03/03/2026;;pendiente\n"
        "Transparencia;Portal;Publicar;8;2026-03-04;2026-03-04;1.1.1;en curso\n"
    ).encode("utf-8-sig")
    response = await upload(client, base, admin, content, name="plan.csv")
    assert response.status_code == 201, response.text
    plan_id = response.json()["plan"]["id"]
    tasks = (await client.get(f"{base}/plans/{plan_id}/tasks", headers=admin)).json()["items"]
    assert [(t["code"], t["start_date"], t["status"]) for t in tasks] == [
        ("1.1.1", "2026-03-02", "pending"),
        ("1.1.2", "2026-03-04", "in_progress"),
    ]


async def test_every_error_is_reported_by_row_and_column_and_nothing_is_written(
    client, world, base
):
    admin = world.auth("coordinator")
    content = xlsx(
        [
            HEADER,
            [
                "1",
                "Objetivo",
                "1.1",
                "Actividad",
                "A",
                "Buena",
                None,
                None,
                4,
                None,
                None,
                None,
                "2026-02-01",
                "2026-02-03",
                None,
                None,
                None,
                None,
            ],
            [
                "1",
                "Objetivo",
                "1.1",
                "Actividad",
                "B",
                "Horas negativas",
                None,
                "nadie@x.mx",
                -3,
                None,
                None,
                None,
                "2026-02-05",
                "2026-02-01",
                "quizá",
                140,
                None,
                "Z",
            ],
            [
                "1",
                "Objetivo",
                "1.1",
                "Actividad",
                "A",
                "Clave repetida",
                None,
                None,
                None,
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
                None,
                None,
                None,
                "Actividad",
                "C",
                "Sin objetivo",
                None,
                None,
                None,
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
        ]
    )
    before = (await client.get(f"{base}/plans", headers=admin)).json()["total"]
    response = await upload(client, base, {**admin, "Accept-Language": "en"}, content)
    assert response.status_code == 422
    errors = [(error["row"], error["column"]) for error in response.json()["errors"]]
    assert errors == [
        (3, "Responsibles"),
        (3, "Estimated hours"),
        (3, "Due"),
        (3, "Status"),
        (3, "Percent done"),
        (3, "Depends on"),
        (4, "Task code"),
        (5, "Objective"),
    ]
    assert (await client.get(f"{base}/plans", headers=admin)).json()["total"] == before


async def test_unknown_responsibles_and_cycles_are_named_together(client, world, base):
    admin = world.auth("coordinator")
    content = (
        b"Objetivo,Actividad,Clave tarea,Tarea,Responsables,Depende de\n"
        b"O,A,T1,Uno,@fantasma,T2\n"
        b"O,A,T2,Dos,,T1\n"
    )
    refused = await upload(client, base, {**admin, "Accept-Language": "en"}, content, "p.csv")
    assert refused.status_code == 422
    nobody, cycle = refused.json()["errors"]
    assert (nobody["row"], nobody["column"]) == (2, "Responsibles")
    assert "@fantasma" in nobody["detail"]
    assert cycle["column"] == "Depends on" and "T1 → T2 → T1" in cycle["detail"]


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"PK\x03\x04 not really a zip", 422),
        (b"\x00\x01\x02binary", 415),
        (b"", 422),
        (b"Foo,Bar\n1,2\n", 422),
    ],
)
async def test_malformed_files_answer_4xx(client, world, base, content, status):
    response = await upload(
        client,
        base,
        world.auth("coordinator"),
        content,
        name="x.xlsx" if content.startswith(b"PK") else "x.csv",
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_file_over_the_limit_answers_413(client, world, base):
    content = b"Objetivo,Actividad\n" + b"x" * columns.MAX_BYTES
    response = await upload(client, base, world.auth("coordinator"), content, name="big.csv")
    assert response.status_code == 413


def test_the_shipped_template_has_the_documented_columns():
    root = Path(__file__).resolve().parents[2]
    shipped = root / "admin" / "templates" / "plan_template.xlsx"
    assert workbook_rows(shipped.read_bytes()) == [HEADER]
    documented = (root / "docs" / "plan-template.md").read_text()
    assert all(f"| {header} |" in documented for header in HEADER)


async def test_the_template_is_served(client):
    served = await client.get("/plan-template.xlsx")
    assert served.status_code == 200 and workbook_rows(served.content) == [HEADER]
