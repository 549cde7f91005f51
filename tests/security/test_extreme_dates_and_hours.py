"""Dates and hours are bounded where they come in, and a plan already holding extreme values
still answers every view. Before, a task starting 9999-12-20 with 200 hours, or three chained
tasks of 9,999,999 hours, made critical path, timeline and workload answer 500 (OverflowError)
to every reader of the plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from core.errors import InvalidInput
from core.infra.values import day
from core.models import Activity, Objective, Task, TaskDependency, TaskResponsible
from tests.support import factories

VIEWS = ("critical-path", "timeline", "workload", "progress", "attention")


@pytest.mark.parametrize(
    ("body", "field", "detail"),
    [
        ({"start_date": "9999-12-20"}, "start_date", "2100-12-31"),
        ({"due_date": "1999-12-31"}, "due_date", "2000-01-01"),
        ({"estimated_hours": 9_999_999}, "estimated_hours", "10000"),
        ({"estimated_hours": 10_000.01}, "estimated_hours", "10000"),
    ],
)
async def test_out_of_range_dates_and_hours_are_refused_naming_the_field(
    http, world, session_factory, body, field, detail
):
    async with session_factory() as session:
        activity = await session.scalar(
            select(Activity.id).join(Objective).where(Objective.plan_id == world.own_plan)
        )
    response = await http.post(
        f"/secretariats/{world.own}/activities/{activity}/tasks",
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
        json={"title": "Fuera de rango", **body},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert detail in response.json()["detail"]


async def test_the_limits_are_accepted_and_documented(http, world, session_factory):
    async with session_factory() as session:
        activity = await session.scalar(
            select(Activity.id).join(Objective).where(Objective.plan_id == world.own_plan)
        )
    response = await http.post(
        f"/secretariats/{world.own}/activities/{activity}/tasks",
        headers=world.auth("coordinator"),
        json={
            "title": "Larga",
            "start_date": "2000-01-01",
            "due_date": "2100-12-31",
            "estimated_hours": 10_000,
        },
    )
    assert response.status_code == 201, response.text
    schema = (await http.get("/openapi.json")).json()["components"]["schemas"]["TaskCreate"]
    assert "2100-12-31" in str(schema["properties"]["start_date"])
    assert "10000" in str(schema["properties"]["estimated_hours"])


@pytest.mark.parametrize("value", [date(9999, 12, 20), "1999-12-31", date(1, 1, 1)])
def test_the_import_path_refuses_the_same_dates(value):
    with pytest.raises(InvalidInput, match="2000-01-01 to 2100-12-31"):
        day(value, "start_date")


async def test_a_plan_already_holding_extreme_values_still_answers_its_views(
    http, world, session_factory
):
    """Written straight to the database, as an old import might have left them."""
    async with session_factory() as session, session.begin():
        ana = await factories.staff(session, world.own, "Ana")
        activity = await session.scalar(
            select(Activity.id).join(Objective).where(Objective.plan_id == world.own_plan)
        )
        rows = [
            {"code": "late", "start_date": date(9999, 12, 20), "estimated_hours": Decimal(200)},
            {"code": "huge1", "start_date": date(1, 1, 1), "estimated_hours": Decimal(9_999_999)},
            {"code": "huge2", "start_date": None, "estimated_hours": Decimal(9_999_999)},
            {"code": "huge3", "start_date": None, "estimated_hours": Decimal(9_999_999)},
        ]
        ids = []
        for position, row in enumerate(rows):
            ids.append(
                await session.scalar(
                    insert(Task)
                    .values(activity_id=activity, title=row["code"], position=position, **row)
                    .returning(Task.id)
                )
            )
        await session.execute(
            insert(TaskDependency),
            [
                {"predecessor_id": ids[1], "successor_id": ids[2], "lag_days": -365},
                {"predecessor_id": ids[2], "successor_id": ids[3], "lag_days": 365},
            ],
        )
        await session.execute(
            insert(TaskResponsible), [{"task_id": task, "person_id": ana.id} for task in ids]
        )
    base = f"/secretariats/{world.own}/plans/{world.own_plan}"
    for view in VIEWS:
        response = await http.get(f"{base}/{view}", headers=world.auth("viewer"))
        assert response.status_code == 200, (view, response.text)
    schedule = (await http.get(f"{base}/critical-path", headers=world.auth("viewer"))).json()
    assert schedule["finish"] == "9999-12-31"
    assert schedule["start"] == "0001-01-01"
