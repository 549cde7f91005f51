"""A plan's export, edited and imported into the same plan, updates it, tasks matched by code:
a dry run says what would be created, changed and removed, and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from core.models import Notification, Person, ProgressReport, Task, TaskStatus
from tests.admin.test_plans_api import build_plan
from tests.admin.test_spreadsheets_api import HEADER, XLSX, workbook_rows, xlsx

COLUMN = {header: index for index, header in enumerate(HEADER)}


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


@dataclass
class Built:
    """A plan built through the API (``build_plan``), its id, and its rows as exported."""

    built: dict
    plan_id: int
    rows: list[list]


@pytest.fixture
async def plan(client, world, base) -> Built:
    admin = world.auth("secretariat_admin")
    built = await build_plan(client, base, admin)
    plan_id = built["plan"]["id"]
    return Built(built, plan_id, await exported(client, base, admin, plan_id))


def row(rows: list[list], code: str) -> list:
    return next(item for item in rows if item[COLUMN["Clave tarea"]] == code)


def put(item: list, **cells) -> list:
    """The row with some cells changed, named by header (spaces as underscores)."""
    changed = list(item)
    for header, value in cells.items():
        changed[COLUMN[header.replace("_", " ")]] = value
    return changed


async def exported(client, base, headers, plan_id: int) -> list[list]:
    response = await client.get(f"{base}/plans/{plan_id}/export.xlsx", headers=headers)
    assert response.status_code == 200
    # Read back, a row ends at its last filled cell.
    return [item + [None] * (len(HEADER) - len(item)) for item in workbook_rows(response.content)]


async def reimport(client, base, headers, plan_id: int, rows: list[list], dry_run=False):
    return await client.post(
        f"{base}/plans/{plan_id}/import",
        headers=headers,
        params={"dry_run": "true"} if dry_run else {},
        files={"file": ("plan.xlsx", xlsx(rows), XLSX)},
    )


def edited(rows: list[list]) -> list[list]:
    """The export with 1.1.2 retitled and due later, 1.1.3 left out, 1.1.1 without
    responsibles, a new task 1.1.4 after 1.1.1 and a new activity 1.2 with a task."""
    header, first, second = rows[0], row(rows, "1.1.1"), row(rows, "1.1.2")
    return [
        header,
        put(first, Responsables=None),
        put(second, Tarea="Tarea 2 revisada", Término="2026-02-20"),
        put(first, Clave_tarea="1.1.4", Tarea="Tarea nueva", Depende_de="1.1.1"),
        put(
            first,
            Clave_actividad="1.2",
            Actividad="Difusión",
            Clave_tarea="1.2.1",
            Tarea="Boletín",
            Depende_de="1.1.4+2d",
        ),
    ]


EXPECTED = {
    "created": [
        {"code": "1.1.4", "title": "Tarea nueva", "columns": []},
        {"code": "1.2.1", "title": "Boletín", "columns": []},
    ],
    "changed": [
        {"code": "1.1.1", "title": "Tarea 1", "columns": ["Responsables"]},
        {"code": "1.1.2", "title": "Tarea 2 revisada", "columns": ["Tarea", "Término"]},
    ],
    "removed": [{"code": "1.1.3", "title": "Tarea 3", "columns": []}],
}


async def test_a_dry_run_says_what_would_change_and_writes_nothing(client, world, base, plan):
    admin = world.auth("secretariat_admin")
    plan_id, before = plan.plan_id, plan.rows
    preview = await reimport(client, base, admin, plan_id, edited(before), dry_run=True)
    assert preview.status_code == 200, preview.text
    assert {key: preview.json()[key] for key in EXPECTED} == EXPECTED
    assert preview.json()["dry_run"] is True and preview.json()["plan"]["id"] == plan_id
    assert await exported(client, base, admin, plan_id) == before


async def test_the_edited_export_updates_the_same_plan_by_task_code(client, world, base, plan):
    admin = world.auth("secretariat_admin")
    built, plan_id, before = plan.built, plan.plan_id, plan.rows
    plans_before = (await client.get(f"{base}/plans", headers=admin)).json()["total"]
    updated = await reimport(client, base, admin, plan_id, edited(before))
    assert updated.status_code == 200, updated.text
    assert {key: updated.json()[key] for key in EXPECTED} == EXPECTED
    assert updated.json()["dry_run"] is False
    assert (await client.get(f"{base}/plans", headers=admin)).json()["total"] == plans_before

    listed = await client.get(f"{base}/plans/{plan_id}/tasks", headers=admin)
    tasks = {task["code"]: task for task in listed.json()["items"]}
    assert list(tasks) == ["1.1.1", "1.1.2", "1.1.4", "1.2.1"]
    old = {task["title"]: task for task in built["tasks"]}
    assert tasks["1.1.1"]["id"] == old["Tarea 1"]["id"]
    assert tasks["1.1.2"]["id"] == old["Tarea 2"]["id"]
    assert tasks["1.1.2"]["version"] > old["Tarea 2"]["version"]
    assert (tasks["1.1.2"]["title"], tasks["1.1.2"]["due_date"]) == (
        "Tarea 2 revisada",
        "2026-02-20",
    )
    after = await exported(client, base, admin, plan_id)
    assert [item[COLUMN["Responsables"]] for item in after[1:]] == [
        None,
        "ana@x.mx",
        "ana@x.mx",
        "ana@x.mx",
    ]
    assert [item[COLUMN["Depende de"]] for item in after[1:]] == [
        None,
        "1.1.1",
        "1.1.1",
        "1.1.4+2d",
    ]
    assert after[-1][: COLUMN["Tarea"] + 1] == [
        "1",
        "Participación",
        "1.2",
        "Difusión",
        "1.2.1",
        "Boletín",
    ]

    again = await reimport(client, base, admin, plan_id, after, dry_run=True)
    assert {key: again.json()[key] for key in EXPECTED} == {
        "created": [],
        "changed": [],
        "removed": [],
    }


async def test_the_preview_names_columns_in_the_readers_language(client, world, base, plan):
    admin = world.auth("secretariat_admin")
    plan_id, rows = plan.plan_id, plan.rows
    moved = [rows[0], *rows[1:3], put(row(rows, "1.1.3"), Clave_actividad="1.2", Actividad="Otra")]
    preview = await reimport(
        client, base, {**admin, "Accept-Language": "en"}, plan_id, moved, dry_run=True
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["changed"] == [
        {"code": "1.1.3", "title": "Tarea 3", "columns": ["Activity code", "Activity"]}
    ]


async def test_a_task_with_progress_reports_cannot_be_left_out(
    client, world, base, plan, session_factory
):
    admin = world.auth("secretariat_admin")
    plan_id, before, third = plan.plan_id, plan.rows, plan.built["tasks"][2]
    async with session_factory() as session, session.begin():
        person = await session.scalar(select(Person).where(Person.email == "ana@x.mx"))
        session.add(
            ProgressReport(
                task_id=third["id"], person_id=person.id, status=TaskStatus.IN_PROGRESS, percent=10
            )
        )
    for dry_run in (True, False):
        refused = await reimport(client, base, admin, plan_id, before[:3], dry_run=dry_run)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"] == [
            {
                "detail": "La tarea 1.1.3 «Tarea 3» no está en el archivo pero tiene reportes de"
                " avance (1), que se conservan como registro: deja su fila, con el estado"
                " «cancelada» si no se hará."
            }
        ]
    assert await exported(client, base, admin, plan_id) == before


async def test_a_file_with_problems_changes_nothing_and_lists_them_all(client, world, base, plan):
    admin = world.auth("secretariat_admin")
    plan_id, before = plan.plan_id, plan.rows
    broken = [
        before[0],
        put(row(before, "1.1.1"), Horas_estimadas=-1),
        put(row(before, "1.1.2"), Responsables="@fantasma", Depende_de="9.9"),
    ]
    refused = await reimport(client, base, admin, plan_id, broken)
    assert refused.status_code == 422
    assert [(p["row"], p["column"]) for p in refused.json()["errors"]] == [
        (2, "Horas estimadas"),
        (3, "Responsables"),
        (3, "Depende de"),
    ]
    assert await exported(client, base, admin, plan_id) == before


async def test_another_secretariats_plan_is_not_found(client, world, base, plan):
    admin = world.auth("secretariat_admin")
    response = await reimport(client, base, admin, world.other_plan, plan.rows, dry_run=True)
    assert response.status_code == 404


async def test_objectives_and_activities_follow_the_file(client, world, base, plan):
    admin = world.auth("secretariat_admin")
    plan_id, rows = plan.plan_id, plan.rows
    renamed = [
        rows[0],
        *(put(item, Clave_objetivo="T", Objetivo="Transparencia") for item in rows[1:]),
    ]
    updated = await reimport(client, base, admin, plan_id, renamed)
    assert updated.status_code == 200, updated.text
    assert [change["columns"] for change in updated.json()["changed"]] == [
        ["Clave objetivo", "Objetivo"]
    ] * 3
    objectives = await client.get(f"{base}/plans/{plan_id}/objectives", headers=admin)
    assert [(o["code"], o["title"]) for o in objectives.json()["items"]] == [("T", "Transparencia")]
    after = await exported(client, base, admin, plan_id)
    assert [item[: COLUMN["Tarea"] + 1] for item in after[1:]] == [
        ["T", "Transparencia", "1.1", "Talleres", f"1.1.{n}", f"Tarea {n}"] for n in (1, 2, 3)
    ]
    listed = await client.get(f"{base}/plans/{plan_id}/tasks", headers=admin)
    assert [task["id"] for task in listed.json()["items"]] == [
        task["id"] for task in plan.built["tasks"]
    ]


async def test_whoever_an_update_makes_responsible_hears_of_it_once(
    client, world, base, plan, session_factory
):
    async with session_factory() as session, session.begin():
        ana = await session.scalar(select(Person).where(Person.email == "ana@x.mx"))
        ana.telegram_id = 7001
    admin = world.auth("secretariat_admin")
    updated = await reimport(client, base, admin, plan.plan_id, edited(plan.rows))
    assert updated.status_code == 200, updated.text
    async with session_factory() as session:
        told = await session.scalars(
            select(Notification.key).where(Notification.kind == "task_assigned")
        )
        tasks = {task.code: task.id for task in await session.scalars(select(Task))}
    # Ana was already responsible for 1.1.2; 1.1.4 and 1.2.1 are new to her.
    assert sorted(told) == sorted(f"assigned:{tasks[code]}:{ana.id}" for code in ("1.1.4", "1.2.1"))
