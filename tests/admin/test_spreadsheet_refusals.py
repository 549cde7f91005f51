"""What is no spreadsheet, told by its content and not its name, and a file that holds no task,
are refused with a clear answer, and nothing is written."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from openpyxl import Workbook

from tests.admin.test_spreadsheets_api import HEADER, upload, xlsx

NOT_A_SPREADSHEET = "El archivo no es una hoja de cálculo (.xlsx o .csv)."
NO_TASK = (
    "El archivo no tiene ninguna tarea: cada fila bajo los encabezados con el título de una"
    " tarea es una."
)


def pdf() -> bytes:
    stream = bytes(random.Random(7).randbytes(600))
    return b"%PDF-1.7\n1 0 obj\n<< /Length 600 >>\nstream\n" + stream + b"\nendstream\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


async def plans(client, base, headers) -> int:
    return (await client.get(f"{base}/plans", headers=headers)).json()["total"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (pdf(), "plan.xlsx"),
        (pdf(), "plan.csv"),
        (random.Random(1).randbytes(4096), "plan.csv"),
        (random.Random(2).randbytes(4096), "plan.xlsx"),
        (docx(), "plan.xlsx"),
    ],
    ids=["pdf-named-xlsx", "pdf-named-csv", "random-named-csv", "random-named-xlsx", "docx"],
)
async def test_what_is_no_spreadsheet_is_refused_whatever_its_name(
    client, world, base, content, name
):
    admin = world.auth("coordinator")
    before = await plans(client, base, admin)
    response = await upload(client, base, admin, content, name=name)
    assert response.status_code == 415, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == NOT_A_SPREADSHEET
    assert response.json()["title"] == "Tipo de archivo no admitido"
    assert await plans(client, base, admin) == before


async def test_an_old_excel_workbook_is_told_to_be_saved_as_xlsx(client, world, base):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)
    response = await upload(client, base, world.auth("coordinator"), content, name="plan.xls")
    assert response.status_code == 415
    assert response.json()["detail"] == (
        "El archivo es un libro de Excel 97-2003 (.xls); guárdalo antes como .xlsx o .csv."
    )


@pytest.mark.parametrize(
    "content",
    [
        b"Objetivo,Actividad,Tarea\n",
        b"Objetivo,Actividad,Tarea\nTransparencia,Portal,\nTransparencia,Datos,\n",
    ],
    ids=["header-only", "activities-without-tasks"],
)
async def test_a_file_without_tasks_creates_no_plan(client, world, base, content):
    admin = world.auth("coordinator")
    before = await plans(client, base, admin)
    response = await upload(client, base, admin, content, name="plan.csv")
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert problem == {"detail": NO_TASK}
    assert await plans(client, base, admin) == before


async def test_a_workbook_named_csv_is_read_as_the_workbook_it_is(client, world, base):
    content = xlsx([HEADER, ["1", "Objetivo", "1.1", "Actividad", "1.1.1", "Tarea"]])
    response = await upload(client, base, world.auth("coordinator"), content, name="plan.csv")
    assert response.status_code == 201, response.text
    assert response.json()["tasks"] == 1


def workbook_without_plan() -> bytes:
    """A real workbook whose only sheet is no plan: the sheet it has is read in its place."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Presupuesto"
    sheet.append(["Partida", "Monto"])
    sheet.append(["Papelería", 1200])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "detail"),
    [
        (b"esto no es una hoja\n", "plan.xlsx",
         "El archivo no es una hoja de cálculo xlsx legible."),
        (workbook_without_plan(), "plan.xlsx",
         "El libro no tiene una hoja llamada «Plan», y su primera hoja, «Presupuesto», no empieza"
         " con los encabezados de columna de la plantilla."),
    ],
    ids=["text-named-xlsx", "workbook-without-plan"],
)  # fmt: skip
async def test_a_file_that_is_no_readable_plan_workbook_is_told_why(
    client, world, base, content, name, detail
):
    admin = world.auth("coordinator")
    before = await plans(client, base, admin)
    response = await upload(client, base, admin, content, name=name)
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert problem["detail"] == detail
    assert await plans(client, base, admin) == before


async def test_text_named_csv_without_headers_is_told_of_the_headers(client, world, base):
    response = await upload(
        client, base, world.auth("coordinator"), b"esto no es una hoja\n", name="plan.csv"
    )
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert problem["detail"].startswith("La primera fila debe tener los encabezados")
