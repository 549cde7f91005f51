"""An indicator's series and a plan's indicators over HTTP: what they show, who may see them,
and statements that do not grow with the plan's indicators."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.audit import chain
from core.audit.actor import Actor
from core.models import Frequency, Indicator, Measurement, Plan, Scale
from tests.support.statements import count_statements

QUARTER_ENDS = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31))


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


async def add_indicator(
    session_factory, plan_id: int, name: str, baseline: str, goal: str, values=()
) -> int:
    """A quarterly indicator of 2026 with ``values``: (day, value) or (day, value, revision)."""
    async with session_factory() as session, session.begin():
        indicator = Indicator(
            plan_id=plan_id,
            name=name,
            unit="organizaciones",
            scale=Scale.NUMBER,
            frequency=Frequency.QUARTERLY,
            baseline=Decimal(baseline),
            goal=Decimal(goal),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        )
        session.add(indicator)
        await session.flush()
        for day, value, *revision in values:
            session.add(
                Measurement(
                    indicator_id=indicator.id,
                    measured_on=day,
                    revision=revision[0] if revision else 1,
                    value=Decimal(value),
                )
            )
        # Recorded as every change of the product is: the plan's kept views see it.
        plan = await session.get_one(Plan, plan_id)
        data = {"name": name, "values": len(values)}
        await chain.about(
            session,
            indicator,
            "indicator.create",
            Actor.system(),
            plan.secretariat_id,
            plan_id,
            data,
        )
        return indicator.id


async def test_the_series_shows_every_period_as_of_the_day(client, world, base, session_factory):
    first, second = QUARTER_ENDS[:2]
    indicator = await add_indicator(
        session_factory,
        world.own_plan,
        "Organizaciones",
        "10",
        "50",
        [(first, "12.5"), (first, "14.25", 2)],
    )
    response = await client.get(
        f"{base}/indicators/{indicator}/series",
        params={"as_of": "2026-07-20"},
        headers=world.auth("viewer"),
    )
    assert response.status_code == 200, response.text
    series = response.json()
    assert [
        (period["ends_on"], period["due_on"], period["state"], period["value"], period["revisions"])
        for period in series["periods"]
    ] == [
        ("2026-03-31", "2026-04-10", "reported", 14.25, 2),
        ("2026-06-30", "2026-07-10", "late", None, 0),
        ("2026-09-30", "2026-10-10", "upcoming", None, 0),
        ("2026-12-31", "2027-01-10", "upcoming", None, 0),
    ]
    assert series["indicator"] | {"late": None} == {
        "id": indicator,
        "name": "Organizaciones",
        "unit": "organizaciones",
        "scale": "number",
        "frequency": "quarterly",
        "baseline": 10.0,
        "goal": 50.0,
        "direction": "up",
        "latest": 14.25,
        "latest_on": "2026-03-31",
        "progress": pytest.approx(0.10625),
        "validated": None,
        "validated_on": None,
        "validated_progress": None,
        "late": None,
    }
    assert series["indicator"]["late"] == [
        {"starts_on": "2026-04-01", "ends_on": second.isoformat()}
    ]


async def test_the_plan_view_shows_each_indicator_by_name(client, world, base, session_factory):
    first, second = QUARTER_ENDS[:2]
    await add_indicator(
        session_factory, world.own_plan, "Quejas sin atender", "80", "20", [(first, "50")]
    )
    await add_indicator(
        session_factory,
        world.own_plan,
        "Convenios firmados",
        "0",
        "4",
        [(first, "1"), (second, "5")],
    )
    await add_indicator(session_factory, world.other_plan, "De otra secretaría", "0", "1")
    response = await client.get(
        f"{base}/plans/{world.own_plan}/indicators/progress",
        params={"as_of": "2026-07-20"},
        headers=world.auth("viewer"),
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert (view["plan_id"], view["as_of"], view["grace_days"]) == (
        world.own_plan,
        "2026-07-20",
        10,
    )
    summary = [
        (item["name"], item["direction"], item["latest"], item["progress"], len(item["late"]))
        for item in view["indicators"]
    ]
    assert summary == [
        ("Convenios firmados", "up", 5.0, 1.0, 0),  # past the goal: clamped
        ("Quejas sin atender", "down", 50.0, 0.5, 1),  # the second quarter is late
    ]


@pytest.mark.parametrize("role", ["viewer", "national_admin"])
async def test_another_secretariats_indicator_or_plan_is_not_found(
    client, world, base, session_factory, role
):
    theirs = await add_indicator(session_factory, world.other_plan, "Ajeno", "0", "1")
    headers = world.auth(role)
    for path in (f"indicators/{theirs}/series", f"plans/{world.other_plan}/indicators/progress"):
        response = await client.get(f"{base}/{path}", headers=headers)
        assert response.status_code == 404, (path, response.text)
    other = f"/secretariats/{world.other}/indicators/{theirs}/series"
    assert (await client.get(other, headers=headers)).status_code == (
        200 if role == "national_admin" else 404
    )
    assert (
        await client.get(f"{base}/plans/{world.own_plan}/indicators/progress")
    ).status_code == 401


@pytest.mark.parametrize(("local_time", "state"), [(time(23, 30), "due"), (time(0, 30), "late")])
async def test_the_day_is_the_secretariats_not_utcs(
    client, world, base, session_factory, local_time, state
):
    """At 23:30 on July 10 in Mexico City it is already July 11 in UTC: the second quarter's
    value is still due, and late only from the secretariat's July 11."""
    indicator = await add_indicator(session_factory, world.own_plan, "Talleres", "0", "8")
    day = date(2026, 7, 10) if local_time.hour == 23 else date(2026, 7, 11)
    moment = datetime.combine(day, local_time, ZoneInfo("America/Mexico_City"))
    with time_machine.travel(moment.astimezone(UTC), tick=True):
        series = await client.get(
            f"{base}/indicators/{indicator}/series", headers=world.auth("viewer")
        )
        view = await client.get(
            f"{base}/plans/{world.own_plan}/indicators/progress", headers=world.auth("viewer")
        )
    assert series.json()["periods"][1]["state"] == state
    assert view.json()["as_of"] == day.isoformat()


async def test_the_plan_views_statements_do_not_grow_with_its_indicators(
    client, world, base, engine, session_factory
):
    viewer = world.auth("viewer")
    url = f"{base}/plans/{world.own_plan}/indicators/progress"

    async def grow(numbers: range) -> None:
        values = [(day, str(10 * number)) for number, day in enumerate(QUARTER_ENDS, 1)]
        for number in numbers:
            await add_indicator(
                session_factory,
                world.own_plan,
                f"Indicador {number}",
                "0",
                "100",
                [*values, (QUARTER_ENDS[0], "15", 2)],
            )

    async def statements() -> int:
        # The token's last use is written at most once a minute: get that out of the way.
        await client.get("/me", headers=viewer)
        with count_statements(engine) as counter:
            response = await client.get(url, headers=viewer)
            assert response.status_code == 200, response.text
        return counter["n"]

    await grow(range(2))
    small = await statements()
    await grow(range(2, 32))
    assert await statements() == small
    response = await client.get(url, headers=viewer)
    assert len(response.json()["indicators"]) == 32
