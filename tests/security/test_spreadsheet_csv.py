"""A CSV is read strictly and in the encoding its byte order mark names: an unclosed quote
swallowed the rows after it (6 tasks imported as 1), and Excel's "Unicode text" (UTF-16 with a
byte order mark, tab-separated) was refused."""

from __future__ import annotations

import codecs

import pytest

ROWS = [
    ["Objetivo", "Actividad", "Tarea", "Descripción"],
    *[["Transparencia", "Portal", f"Tarea {n}", f"Paso {n}"] for n in range(1, 7)],
]


def csv(rows: list[list[str]], separator: str = ",") -> str:
    return "".join(separator.join(row) + "\r\n" for row in rows)


async def upload(client, world, content: bytes):
    return await client.post(
        f"/secretariats/{world.own}/plans/import",
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
        data={"year": "2026", "title": "CSV"},
        files={"file": ("plan.csv", content, "text/csv")},
    )


async def plans(client, world) -> int:
    listed = await client.get(f"/secretariats/{world.own}/plans", headers=world.auth("viewer"))
    return listed.json()["total"]


async def test_an_unclosed_quote_is_refused_naming_its_line(client, world):
    before = await plans(client, world)
    content = csv(ROWS).replace("Tarea 2", '"Tarea 2')
    response = await upload(client, world, content.encode())
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert problem["row"] == 3
    assert "begins on line 3 is never closed" in problem["detail"]
    assert await plans(client, world) == before


async def test_a_quote_closed_rows_later_is_refused_naming_the_cell(client, world):
    content = csv(ROWS).replace("Tarea 2", '"Tarea 2').replace("Paso 4", 'Paso 4"')
    response = await upload(client, world, content.encode())
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert (problem["row"], problem["column"]) == (3, "Task")
    assert "line break" in problem["detail"] and "line 3" in problem["detail"]


async def test_a_misplaced_quote_is_refused_naming_its_line(client, world):
    content = csv(ROWS).replace("Tarea 5", '"Tarea" 5')
    response = await upload(client, world, content.encode())
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert problem["row"] == 6 and "Line 6 is not valid CSV" in problem["detail"]


async def test_line_breaks_in_quoted_descriptions_are_kept(client, world):
    rows = [*ROWS[:2], ["Transparencia", "Portal", "Tarea 2", '"Uno\r\nDos, tres"']]
    response = await upload(client, world, csv(rows).encode())
    assert response.status_code == 201, response.text
    assert response.json()["tasks"] == 2


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ],
)
async def test_unicode_text_with_a_byte_order_mark_is_read(client, world, bom, encoding):
    content = bom + csv(ROWS, "\t").replace("Tarea 1", "Tarea ñ 😀").encode(encoding)
    response = await upload(client, world, content)
    assert response.status_code == 201, response.text
    assert response.json()["tasks"] == 6
    plan_id = response.json()["plan"]["id"]
    tasks = await client.get(
        f"/secretariats/{world.own}/plans/{plan_id}/tasks", headers=world.auth("viewer")
    )
    assert tasks.json()["items"][0]["title"] == "Tarea ñ 😀"


async def test_utf16_without_a_byte_order_mark_is_refused_as_unreadable(client, world):
    response = await upload(client, world, csv(ROWS, "\t").encode("utf-16-le"))
    assert response.status_code == 422
    assert "not a readable CSV" in response.json()["errors"][0]["detail"]
