"""A small spreadsheet cannot freeze the process: what an .xlsx unpacks to is bounded before it
is inflated, rows and cells are bounded before they are built, and the file is read off the
event loop. A 1 MB file with a 1 GB cell took 13 s and 2.1 GB; 70 kB with a row of 2 million
cells took 23 s and 1 GB, the API, the bot and the worker stalled all the while."""

from __future__ import annotations

import asyncio

import pytest

from core.plans.spreadsheets import columns
from tests.admin.test_spreadsheets_api import xlsx
from tests.support import crafted_xlsx as crafted

XLSX = columns.XLSX_MEDIA_TYPE


def numbered_cells(count: int) -> str:
    return "".join(f"<c><v>{index}</v></c>" for index in range(count))


CRAFTED = {
    "a 1 GB cell": (lambda: crafted.huge_cell(2**30), 413, "inflates 1009 times"),
    "a row of 2 million cells": (lambda: crafted.wide_row(2_000_000), 413, "inflates"),
    "a row of 5,000 varied cells": (
        lambda: crafted.workbook(crafted.sheet_rows(f'<row r="1">{numbered_cells(5_000)}</row>')),
        422,
        "Row 1 holds more than 1000 cells",
    ),
    "150 MB in small parts": (
        lambda: crafted.workbook(
            crafted.sheet_rows(""),
            [
                crafted.repeated(f"xl/media/part{index}.xml", "", "a" * 999_000, 1, "")
                for index in range(150)
            ],
        ),
        413,
        "Unpacked, the .xlsx file takes 143 MB; at most 100 MB are read",
    ),
    "a thousand parts": (
        lambda: crafted.workbook(
            crafted.sheet_rows(""), [crafted.plain(f"xl/part{n}.xml", "") for n in range(1000)]
        ),
        413,
        "holds 1005 parts; a spreadsheet has at most 500",
    ),
    "a part that claims more bytes than the file has": (
        lambda: crafted.archive(
            [crafted.Member("xl/worksheets/sheet1.xml", b"\x03\x00", 0, 2**31)]
        ).replace(b"\x02\x00\x00\x00\x00\x00\x00\x80", b"\x00\x00\x00\x40\x00\x00\x00\x80"),
        413,
        "declares an impossible size",
    ),
    "a cell of 40,000 characters": (
        lambda: crafted.workbook(
            crafted.sheet_rows(
                crafted.header_row()
                + f'<row r="2"><c t="inlineStr"><is><t>{"O" * 40_000}</t></is></c></row>'
            )
        ),
        422,
        "The cell holds 40000 characters; a cell holds at most 32767",
    ),
}


@pytest.mark.parametrize("name", CRAFTED)
async def test_a_crafted_file_is_refused_before_it_is_inflated_naming_the_problem(
    client, world, name
):
    # Each refusal names a bound checked on the zip's directory or while streaming the sheet,
    # before openpyxl builds anything: reading these files whole took seconds and gigabytes.
    build, status, detail = CRAFTED[name]
    content = build()
    assert len(content) < 2 * 2**20
    response = await client.post(
        f"/secretariats/{world.own}/plans/import",
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
        data={"year": "2026", "title": "Bomba"},
        files={"file": ("plan.xlsx", content, XLSX)},
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert detail in problem["detail"] + "".join(e["detail"] for e in problem.get("errors", []))


def slow_but_legal(rows: int) -> bytes:
    """A plan of ``rows`` tasks, the last with an unknown status: read whole, then refused."""
    header = [column.header for column in columns.COLUMNS]
    body = [
        ["1", "Objetivo", "1.1", "Actividad", f"T{n}", f"Tarea {n}", "Descripción", None, 4]
        for n in range(rows)
    ]
    body[-1] += [None] * 5 + ["quizá"]
    return xlsx([header, *body])


async def test_health_answers_while_a_large_file_is_read(http, world):
    # Read on the event loop, the file would let no other request in until it was done.
    content = slow_but_legal(12_000)
    upload = asyncio.create_task(
        http.post(
            f"/secretariats/{world.own}/plans/import",
            headers={**world.auth("coordinator"), "Accept-Language": "en"},
            data={"year": "2026", "title": "Grande"},
            files={"file": ("plan.xlsx", content, XLSX)},
            timeout=60,
        )
    )
    await asyncio.sleep(0.3)  # the upload is in, its reading under way
    answered_while_reading = 0
    while not upload.done():
        health = await http.get("/health", timeout=30)
        assert health.status_code == 200
        answered_while_reading += not upload.done()
        await asyncio.sleep(0.05)
    response = await upload
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert (problem["row"], problem["column"]) == (12_001, "Status")
    assert answered_while_reading >= 1
