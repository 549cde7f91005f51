"""A plan's indicators and their values in its spreadsheet, over HTTP: exported, imported into a
new plan, and brought back into the same plan (a changed value a correction, an unchanged one
nothing); every refusal named by sheet, row and column, and nothing saved."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from core.models import Indicator, Measurement
from core.plans.spreadsheets.indicator_columns import INDICATORS, MEASUREMENTS
from tests.admin.test_plans_api import build_plan
from tests.admin.test_spreadsheets_api import XLSX, upload

INDICATOR_HEADER = [column.header for column in INDICATORS.columns]
MEASUREMENT_HEADER = [column.header for column in MEASUREMENTS.columns]
NOTHING = {"created": [], "changed": [], "removed": [], "recorded": 0, "corrected": 0}


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


def sheets_of(content: bytes) -> dict[str, list[list]]:
    """Every sheet of a workbook, its rows padded to its header's width."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        width = len(rows[0]) if rows else 0
        sheets[sheet.title] = [row + [None] * (width - len(row)) for row in rows]
    return sheets


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell(row: list, header: str):
    headers = INDICATOR_HEADER if len(row) == len(INDICATOR_HEADER) else MEASUREMENT_HEADER
    return row[headers.index(header)]


def put(row: list, header: str, value) -> list:
    headers = INDICATOR_HEADER if len(row) == len(INDICATOR_HEADER) else MEASUREMENT_HEADER
    changed = list(row)
    changed[headers.index(header)] = value
    return changed


async def add_indicator(client, base, headers, plan_id: int, **fields) -> dict:
    body = {"name": "OSC participantes", "unit": "organizaciones", "frequency": "quarterly"}
    created = await client.post(
        f"{base}/plans/{plan_id}/indicators", headers=headers, json={**body, **fields}
    )
    assert created.status_code == 201, created.text
    return created.json()


async def measure(client, base, headers, indicator_id: int, **body) -> None:
    response = await client.post(
        f"{base}/indicators/{indicator_id}/measurements", headers=headers, json=body
    )
    assert response.status_code == 201, response.text


async def export(client, base, headers, plan_id: int) -> dict[str, list[list]]:
    response = await client.get(f"{base}/plans/{plan_id}/export.xlsx", headers=headers)
    assert response.status_code == 200
    return sheets_of(response.content)


async def reimport(client, base, headers, plan_id: int, sheets: dict, dry_run=False):
    return await client.post(
        f"{base}/plans/{plan_id}/import",
        headers=headers,
        params={"dry_run": "true"} if dry_run else {},
        files={"file": ("plan.xlsx", workbook(sheets), XLSX)},
    )


async def values(session_factory, plan_id: int) -> list[tuple[str, str, int, float, str | None]]:
    """Every value of the plan's indicators, every revision, in order."""
    async with session_factory() as session:
        rows = await session.execute(
            select(
                Indicator.name,
                Measurement.measured_on,
                Measurement.revision,
                Measurement.value,
                Measurement.note,
            )
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(Indicator.plan_id == plan_id)
            .order_by(Indicator.name, Measurement.measured_on, Measurement.revision)
        )
        return [
            (name, day.isoformat(), rev, float(value), note) for name, day, rev, value, note in rows
        ]


@pytest.fixture
async def measured(client, world, base) -> dict:
    """The plan of ``build_plan`` with two indicators: one quarterly, linked to the objective and
    to Ana, with two values, the first corrected; one measured on dates, with one value."""
    admin = world.auth("secretariat_admin")
    built = await build_plan(client, base, admin)
    plan_id = built["plan"]["id"]
    objective = (await client.get(f"{base}/plans/{plan_id}/objectives", headers=admin)).json()
    quarterly = await add_indicator(
        client, base, admin, plan_id,
        scale="count", baseline=12, goal=40, starts_on="2025-01-01", ends_on="2025-12-31",
        method="Conteo de listas", means_of_verification="Listas de asistencia",
        objective_id=objective["items"][0]["id"], responsible_ids=[built["person"]["id"]],
    )  # fmt: skip
    dated = await add_indicator(
        client, base, admin, plan_id, name="Cobertura", unit="%", frequency="dates",
        starts_on="2025-01-01", ends_on="2025-12-31", due_dates=["2025-06-15", "2025-12-15"],
    )  # fmt: skip
    await measure(client, base, admin, quarterly["id"], period="2025-03-31", value=18, note="Q1")
    await measure(client, base, admin, quarterly["id"], period="2025-06-30", value=25)
    await measure(
        client, base, admin, quarterly["id"],
        period="2025-02-10", value=20, note="Q1 corregido", correction=True, confirmed=True,
    )  # fmt: skip
    await measure(client, base, admin, dated["id"], period="2025-06-15", value=35.5)
    return {"plan_id": plan_id, "quarterly": quarterly, "dated": dated}


async def test_the_export_holds_each_indicator_and_the_current_value_of_each_period(
    client, world, base, measured
):
    sheets = await export(client, base, world.auth("viewer"), measured["plan_id"])
    assert list(sheets) == ["Plan", "Indicadores", "Mediciones"]
    assert sheets["Indicadores"][0] == INDICATOR_HEADER
    first, second = sheets["Indicadores"][1:]
    assert [cell(first, header) for header in INDICATOR_HEADER] == [
        "OSC participantes", "1", "Conteo de listas", "organizaciones", "conteo", 12, 40,
        "trimestral", first[8], first[9], None, "Listas de asistencia", "ana@x.mx",
    ]  # fmt: skip
    assert (first[8].date().isoformat(), first[9].date().isoformat()) == (
        "2025-01-01",
        "2025-12-31",
    )
    assert cell(second, "Escala") == "porcentaje"
    assert cell(second, "Frecuencia") == "fechas"
    assert cell(second, "Fechas de corte") == "2025-06-15; 2025-12-15"
    rows = [[row[0], row[1].date().isoformat(), *row[2:]] for row in sheets["Mediciones"][1:]]
    assert rows == [
        ["OSC participantes", "2025-03-31", 20, "Q1 corregido", 2],
        ["OSC participantes", "2025-06-30", 25, None, 1],
        ["Cobertura", "2025-06-15", 35.5, None, 1],
    ]


async def test_a_plan_imported_from_its_export_has_the_same_indicators_and_values(
    client, world, base, measured
):
    admin = world.auth("secretariat_admin")
    exported = await client.get(f"{base}/plans/{measured['plan_id']}/export.xlsx", headers=admin)
    imported = await upload(client, base, admin, exported.content, title="Copia")
    assert imported.status_code == 201, imported.text
    assert (imported.json()["indicators"], imported.json()["measurements"]) == (2, 3)
    before, after = (
        sheets_of(exported.content),
        await export(client, base, admin, imported.json()["plan"]["id"]),
    )
    assert after["Plan"] == before["Plan"]
    assert after["Indicadores"] == before["Indicadores"]
    # The copy holds each current value as its first: only the revision differs.
    assert [row[:4] for row in after["Mediciones"]] == [row[:4] for row in before["Mediciones"]]
    assert [row[4] for row in after["Mediciones"][1:]] == [1, 1, 1]


async def test_the_unchanged_export_changes_nothing_in_its_plan(
    client, world, base, measured, session_factory
):
    admin = world.auth("secretariat_admin")
    sheets = await export(client, base, admin, measured["plan_id"])
    before = await values(session_factory, measured["plan_id"])
    updated = await reimport(client, base, admin, measured["plan_id"], sheets)
    assert updated.status_code == 200, updated.text
    assert updated.json()["indicators"] == NOTHING
    assert await values(session_factory, measured["plan_id"]) == before
    assert await export(client, base, admin, measured["plan_id"]) == sheets


async def test_a_changed_value_is_a_correction_and_the_chain_keeps_both(
    client, world, base, measured, session_factory
):
    admin = world.auth("secretariat_admin")
    plan_id = measured["plan_id"]
    sheets = await export(client, base, admin, plan_id)
    q2 = sheets["Mediciones"][2]
    sheets["Mediciones"][2] = put(put(q2, "Valor", 27), "Nota", "Q2 revisado")
    sheets["Mediciones"].append(["OSC participantes", "2025-09-30", 31, None, None])
    preview = await reimport(client, base, admin, plan_id, sheets, dry_run=True)
    assert preview.status_code == 200, preview.text
    expected = {**NOTHING, "recorded": 1, "corrected": 1}
    assert preview.json()["indicators"] == expected
    before = await values(session_factory, plan_id)
    assert ("OSC participantes", "2025-09-30", 1, 31.0, None) not in before

    updated = await reimport(client, base, admin, plan_id, sheets)
    assert updated.status_code == 200, updated.text
    assert updated.json()["indicators"] == expected
    quarterly = [row for row in await values(session_factory, plan_id) if row[0] != "Cobertura"]
    assert quarterly == [
        ("OSC participantes", "2025-03-31", 1, 18.0, "Q1"),
        ("OSC participantes", "2025-03-31", 2, 20.0, "Q1 corregido"),
        ("OSC participantes", "2025-06-30", 1, 25.0, None),
        ("OSC participantes", "2025-06-30", 2, 27.0, "Q2 revisado"),
        ("OSC participantes", "2025-09-30", 1, 31.0, None),
    ]
    log = await client.get(f"{base}/plans/{plan_id}/audit", headers=admin)
    corrections = [
        event["data"]
        for event in log.json()["items"]
        if event["action"] == "measurement.create" and event["data"]["supersedes"]
    ]
    assert {(data["measured_on"], data["revision"]) for data in corrections} == {
        ("2025-03-31", 2),
        ("2025-06-30", 2),
    }
    again = await reimport(client, base, admin, plan_id, await export(client, base, admin, plan_id))
    assert again.json()["indicators"] == NOTHING


async def test_a_value_changed_since_the_export_is_not_overwritten(client, world, base, measured):
    admin = world.auth("secretariat_admin")
    sheets = await export(client, base, admin, measured["plan_id"])
    await measure(
        client, base, admin, measured["quarterly"]["id"],
        period="2025-06-30", value=26, correction=True, confirmed=True,
    )  # fmt: skip
    sheets["Mediciones"][2] = put(sheets["Mediciones"][2], "Valor", 30)
    refused = await reimport(client, base, admin, measured["plan_id"], sheets)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("Mediciones", 3, "Revisión")
    assert problem["detail"] == (
        "La fila cambia la revisión 1 del valor del periodo, pero el plan ya tiene la revisión 2:"
        " exporta el plan de nuevo y haz el cambio ahí."
    )


async def test_unreadable_rows_are_named_by_sheet_row_and_column_and_nothing_is_saved(
    client, world, base, measured, session_factory
):
    admin = world.auth("secretariat_admin")
    stranger = await client.post(
        f"/secretariats/{world.other}/people",
        headers=world.auth("national_admin"),
        json={"roles": ["staff"], "name": "Beto", "email": "beto@otra.mx"},
    )
    assert stranger.status_code == 201, stranger.text
    sheets = await export(client, base, admin, measured["plan_id"])
    first = sheets["Indicadores"][1]
    sheets["Indicadores"] += [
        put(put(first, "Nombre", "Quincenal"), "Frecuencia", "quincenal"),
        put(put(first, "Nombre", "Ajeno"), "Responsables", "beto@otra.mx"),
        put(put(first, "Nombre", "Sin objetivo"), "Clave objetivo", "9"),
    ]
    sheets["Mediciones"].append(["OSC participantes", "junio", "mucho", None, None])
    before = await values(session_factory, measured["plan_id"])
    refused = await reimport(client, base, admin, measured["plan_id"], sheets)
    assert refused.status_code == 422, refused.text
    located = [(p["sheet"], p["row"], p["column"]) for p in refused.json()["errors"]]
    assert located == [
        ("Indicadores", 4, "Frecuencia"),
        ("Indicadores", 5, "Responsables"),
        ("Indicadores", 6, "Clave objetivo"),
        ("Mediciones", 5, "Fin del periodo"),
        ("Mediciones", 5, "Valor"),
    ]
    details = [problem["detail"] for problem in refused.json()["errors"]]
    assert details[0].startswith("Frecuencia desconocida quincenal")
    assert "beto@otra.mx" in details[1]
    assert await values(session_factory, measured["plan_id"]) == before
    assert len(await export(client, base, admin, measured["plan_id"])) == 3


async def test_rows_the_services_refuse_are_named_and_nothing_is_saved(
    client, world, base, measured, session_factory
):
    admin = {**world.auth("secretariat_admin"), "Accept-Language": "en"}
    plan_id = measured["plan_id"]
    sheets = await export(client, base, admin, plan_id)
    sheets["Indicadores"].append(
        ["Nuevo", None, None, "talleres", "conteo", 0, 5, "mensual", "2025-01-01", "2025-12-31",
         None, None, None]
    )  # fmt: skip
    sheets["Mediciones"] += [
        ["Nuevo", "2025-01-31", 3, None, None],  # good, but the file is refused
        ["Cobertura", "2025-12-15", 140, None, None],  # a percent past 100
        ["OSC participantes", "2024-06-30", 10, None, None],  # before its first day
        ["Nadie", "2025-03-31", 1, None, None],
    ]
    before = await values(session_factory, plan_id)
    refused = await reimport(client, base, admin, plan_id, sheets)
    assert refused.status_code == 422, refused.text
    assert [(p["sheet"], p["row"], p["column"]) for p in refused.json()["errors"]] == [
        ("Measurements", 6, "Value"),
        ("Measurements", 7, "Period end"),
        ("Measurements", 8, "Indicator"),
    ]
    assert "140" in refused.json()["errors"][0]["detail"]
    assert "2024-06-30" in refused.json()["errors"][1]["detail"]
    assert await values(session_factory, plan_id) == before
    names = [row[0] for row in (await export(client, base, admin, plan_id))["Indicadores"]]
    assert "Nuevo" not in names


async def test_an_indicator_left_out_is_removed_unless_it_has_values(client, world, base, measured):
    admin = world.auth("secretariat_admin")
    plan_id = measured["plan_id"]
    await add_indicator(client, base, admin, plan_id, name="Sin valores")
    sheets = await export(client, base, admin, plan_id)
    rows = sheets["Indicadores"]
    without_empty = {**sheets, "Indicadores": [row for row in rows if row[0] != "Sin valores"]}
    updated = await reimport(client, base, admin, plan_id, without_empty)
    assert updated.status_code == 200, updated.text
    assert updated.json()["indicators"]["removed"] == ["Sin valores"]
    kept = {**without_empty, "Indicadores": [row for row in rows if row[0] != "Cobertura"]}
    kept["Mediciones"] = [row for row in sheets["Mediciones"] if row[0] != "Cobertura"]
    refused = await reimport(client, base, admin, plan_id, kept)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert (problem["sheet"], problem.get("row")) == ("Indicadores", None)
    assert "Cobertura" in problem["detail"]


async def test_a_workbook_without_the_indicator_sheets_leaves_them_as_they_are(
    client, world, base, measured, session_factory
):
    admin = world.auth("secretariat_admin")
    plan_id = measured["plan_id"]
    sheets = await export(client, base, admin, plan_id)
    before = await values(session_factory, plan_id)
    updated = await reimport(client, base, admin, plan_id, {"Plan": sheets["Plan"]})
    assert updated.status_code == 200, updated.text
    assert updated.json()["indicators"] == NOTHING
    assert await export(client, base, admin, plan_id) == sheets
    assert await values(session_factory, plan_id) == before


def test_the_shipped_template_has_the_documented_sheets():
    root = Path(__file__).resolve().parents[2]
    shipped = sheets_of((root / "admin" / "templates" / "plan_template.xlsx").read_bytes())
    assert shipped["Indicadores"] == [INDICATOR_HEADER]
    assert shipped["Mediciones"] == [MEASUREMENT_HEADER]
    documented = (root / "docs" / "plan-template.md").read_text()
    assert all(f"| {h} |" in documented for h in INDICATOR_HEADER + MEASUREMENT_HEADER)
