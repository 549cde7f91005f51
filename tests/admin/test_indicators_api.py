"""Indicators, their values period by period and the plan's measurement settings through the
API: what is stored, and what is refused with which status and words."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent, Measurement
from core.people import people
from tests.support.clock import noon_of


def en(world, role: str) -> dict[str, str]:
    """The role's token, asking for answers in English."""
    return {**world.auth(role), "Accept-Language": "en"}


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


async def person(client, world, name: str = "Ana") -> int:
    created = await client.post(
        f"/secretariats/{world.own}/people",
        headers=en(world, "secretariat_admin"),
        json={"roles": ["staff"], "name": name},
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def indicator(client, world, **fields) -> dict:
    body = {"name": "OSC participantes", "unit": "organizaciones", "frequency": "quarterly"}
    created = await client.post(
        f"/secretariats/{world.own}/plans/{world.own_plan}/indicators",
        headers=en(world, "coordinator"),
        json={**body, **fields},
    )
    assert created.status_code == 201, created.text
    return created.json()


async def report(client, world, indicator_id: int, **body):
    return await client.post(
        f"/secretariats/{world.own}/indicators/{indicator_id}/measurements",
        headers=en(world, "coordinator"),
        json=body,
    )


async def values(session_factory, indicator_id: int) -> list[tuple[date, int, float]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(Measurement.measured_on, Measurement.revision, Measurement.value)
            .where(Measurement.indicator_id == indicator_id)
            .order_by(Measurement.measured_on, Measurement.revision)
        )
        return [(day, revision, float(value)) for day, revision, value in rows]


async def test_an_indicator_is_created_with_its_calendar_scale_and_responsibles(
    client, world, base
):
    ana, beto = await person(client, world), await person(client, world, "Beto")
    created = await indicator(
        client, world, unit="%", frequency="dates", due_dates=["2026-06-15", "2026-12-15"],
        responsible_ids=[beto, ana], baseline=10, goal=50,
    )  # fmt: skip
    assert {key: created[key] for key in ("scale", "starts_on", "ends_on", "due_dates")} == {
        "scale": "percent",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "due_dates": ["2026-06-15", "2026-12-15"],
    }
    assert created["responsible_ids"] == sorted([ana, beto])
    read = await client.get(f"{base}/indicators/{created['id']}", headers=en(world, "viewer"))
    assert read.json() == created


async def test_responsibles_are_replaced_as_a_whole_and_audited(client, world, base):
    ana, beto = await person(client, world), await person(client, world, "Beto")
    created = await indicator(client, world, responsible_ids=[ana])
    url = f"{base}/indicators/{created['id']}"
    changed = await client.patch(
        url, headers=en(world, "coordinator"), json={"version": 1, "responsible_ids": [beto]}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["responsible_ids"], changed.json()["version"]) == ([beto], 2)
    stale = await client.patch(
        url, headers=en(world, "coordinator"), json={"version": 1, "responsible_ids": []}
    )
    assert stale.status_code == 409
    log = await client.get(f"{base}/plans/{world.own_plan}/audit", headers=en(world, "coordinator"))
    update = next(event for event in log.json()["items"] if event["action"] == "indicator.update")
    assert update["data"] == {
        "before": {"responsible_ids": [ana]},
        "after": {"responsible_ids": [beto]},
    }


async def test_a_page_of_indicators_loads_their_responsibles_at_once(client, world, base):
    ana = await person(client, world)
    for number in range(3):
        await indicator(client, world, name=f"Indicador {number}", responsible_ids=[ana])
    page = await client.get(
        f"{base}/plans/{world.own_plan}/indicators", headers=en(world, "viewer")
    )
    assert [item["responsible_ids"] for item in page.json()["items"]] == [[ana]] * 3


@pytest.mark.parametrize(
    ("fields", "status", "field", "detail"),
    [
        (
            {"starts_on": "2026-07-01", "ends_on": "2026-06-30"},
            422,
            "ends_on",
            "The last day 2026-06-30 is before the first day 2026-07-01.",
        ),
        (
            {"due_dates": ["2026-06-30"]},
            422,
            "due_dates",
            "Due dates are only for an indicator measured on dates, not quarterly.",
        ),
        (
            {"frequency": "dates"},
            422,
            "due_dates",
            "An indicator measured on dates needs at least one due date.",
        ),
        (
            {"frequency": "dates", "due_dates": ["2026-09-30", "2026-03-31"]},
            422,
            "due_dates",
            "The due dates must be in ascending order, each only once.",
        ),
        (
            {"frequency": "dates", "due_dates": ["2027-03-31"]},
            422,
            "due_dates",
            "The due dates must fall from 2026-01-01 to 2026-12-31.",
        ),
        ({"responsible_ids": [999999]}, 404, "responsible_ids", "Person 999999 not found."),
        ({"scale": "stars"}, 422, "scale", None),
        ({"frequency": "weekly"}, 422, "frequency", None),
    ],
)
async def test_an_indicator_that_does_not_hold_is_refused(
    client, world, base, session_factory, fields, status, field, detail
):
    body = {"name": "OSC", "unit": "organizaciones", "frequency": "quarterly", **fields}
    refused = await client.post(
        f"{base}/plans/{world.own_plan}/indicators", headers=en(world, "coordinator"), json=body
    )
    assert refused.status_code == status, refused.text
    assert refused.json()["field"] == field
    if detail is not None:
        assert refused.json()["detail"] == detail
    listed = await client.get(
        f"{base}/plans/{world.own_plan}/indicators", headers=en(world, "viewer")
    )
    assert listed.json()["total"] == 0


async def test_responsibles_of_another_secretariat_are_not_found(client, world, base):
    foreign = await client.post(
        f"/secretariats/{world.other}/people",
        headers=en(world, "national_admin"),
        json={"roles": ["staff"], "name": "Olga"},
    )
    created = await indicator(client, world)
    refused = await client.patch(
        f"{base}/indicators/{created['id']}",
        headers=en(world, "coordinator"),
        json={"version": 1, "responsible_ids": [foreign.json()["id"]]},
    )
    assert refused.status_code == 404
    assert refused.json()["detail"] == f"Person {foreign.json()['id']} not found."


async def test_a_calendar_that_strands_reported_values_is_refused(client, world, base):
    created = await indicator(client, world)
    assert (await report(client, world, created["id"], period="2026-02-10", value=4)).is_success
    url = f"{base}/indicators/{created['id']}"
    for change in ({"frequency": "annual"}, {"ends_on": "2026-03-30"}):
        refused = await client.patch(
            url, headers=en(world, "coordinator"), json={"version": 1, **change}
        )
        assert refused.status_code == 409, change
        assert refused.json()["detail"] == (
            "Values were reported for the periods ending on 2026-03-31, which this calendar "
            "does not have; keep those periods, or make a new indicator."
        )
    kept = await client.patch(
        url,
        headers=en(world, "coordinator"),
        json={"version": 1, "frequency": "dates", "due_dates": ["2026-03-31", "2026-12-31"]},
    )
    assert kept.status_code == 200, kept.text


async def test_a_value_is_recorded_for_its_period_and_read_with_its_revision(client, world, base):
    created = await indicator(client, world)
    recorded = await report(
        client, world, created["id"], period="2026-05-02", value=18.5, note="Segundo trimestre"
    )
    assert recorded.status_code == 201, recorded.text
    assert {key: recorded.json()[key] for key in ("measured_on", "revision", "value")} == {
        "measured_on": "2026-06-30",
        "revision": 1,
        "value": 18.5,
    }


@pytest.mark.parametrize(
    ("unit", "scale", "value", "detail"),
    [
        ("%", None, 120, "A value in % is a percent, from 0 to 100; 120 is not."),
        ("OSC", "count", 2.5, "A value in OSC is a count, a whole number from 0 up; 2.5 is not."),
        ("pesos", "amount", -4, "A value in pesos is an amount, 0 or more; -4 is not."),
    ],
)
async def test_a_value_out_of_its_scale_is_refused(
    client, world, session_factory, unit, scale, value, detail
):
    created = await indicator(client, world, unit=unit, scale=scale)
    refused = await report(client, world, created["id"], period="2026-01-10", value=value)
    assert refused.status_code == 422
    assert (refused.json()["field"], refused.json()["detail"]) == ("value", detail)
    assert await values(session_factory, created["id"]) == []


async def test_a_day_outside_the_calendar_or_a_period_to_come_is_refused(
    client, world, session_factory, monkeypatch
):
    created = await indicator(client, world)
    outside = await report(client, world, created["id"], period="2025-12-31", value=1)
    assert outside.status_code == 422 and outside.json()["field"] == "period"
    assert outside.json()["detail"] == (
        "2025-12-31 is outside the indicator's periods, from 2026-01-01 to 2026-12-31."
    )
    monkeypatch.setattr(people, "utcnow", noon_of(date(2026, 3, 31)))
    early = await report(client, world, created["id"], period="2026-04-01", value=1)
    assert early.status_code == 422 and early.json()["field"] == "period"
    assert early.json()["detail"] == "The period from 2026-04-01 to 2026-06-30 has not begun yet."
    assert await values(session_factory, created["id"]) == []


async def test_a_reported_period_is_changed_only_by_a_correction_and_keeps_both(
    client, world, base, session_factory
):
    created = await indicator(client, world)
    assert (await report(client, world, created["id"], period="2026-01-10", value=10)).is_success
    again = await report(client, world, created["id"], period="2026-03-31", value=11)
    assert again.status_code == 409 and again.json()["field"] == "period"
    assert again.json()["detail"] == (
        "The period from 2026-01-01 to 2026-03-31 already has a value; to change it, send the "
        "new one as a correction."
    )
    nothing = await report(
        client, world, created["id"], period="2026-04-10", value=11, correction=True
    )
    assert nothing.status_code == 422 and nothing.json()["field"] == "correction"
    corrected = await report(
        client, world, created["id"], period="2026-02-01", value=11, correction=True
    )
    assert corrected.status_code == 201 and corrected.json()["revision"] == 2
    assert await values(session_factory, created["id"]) == [
        (date(2026, 3, 31), 1, 10.0),
        (date(2026, 3, 31), 2, 11.0),
    ]
    listed = await client.get(
        f"{base}/indicators/{created['id']}/measurements", headers=en(world, "viewer")
    )
    assert [(item["revision"], item["value"]) for item in listed.json()["items"]] == [
        (1, 10),
        (2, 11),
    ]
    log = await client.get(f"{base}/plans/{world.own_plan}/audit", headers=en(world, "coordinator"))
    recorded = [event for event in log.json()["items"] if event["action"] == "measurement.create"]
    assert sorted(
        (event["data"]["revision"], event["data"]["supersedes"]) for event in recorded
    ) == [
        (1, None),
        (2, 1),
    ]


async def test_a_jump_is_saved_only_when_confirmed(client, world, session_factory):
    created = await indicator(client, world)
    await report(client, world, created["id"], period="2026-01-10", value=10)
    jump = await report(client, world, created["id"], period="2026-04-10", value=45)
    assert jump.status_code == 409 and jump.json()["field"] == "value"
    assert jump.json()["detail"] == (
        "The value 45 organizaciones is far from the last one, 10 organizaciones; if it is "
        "right, send it again confirmed."
    )
    in_spanish = await client.post(
        f"/secretariats/{world.own}/indicators/{created['id']}/measurements",
        headers={**world.auth("coordinator"), "Accept-Language": "es-MX"},
        json={"period": "2026-04-10", "value": 45},
    )
    assert in_spanish.json()["detail"].startswith("El valor 45 organizaciones está muy lejos")
    confirmed = await report(
        client, world, created["id"], period="2026-04-10", value=45, confirmed=True
    )
    assert confirmed.status_code == 201
    assert len(await values(session_factory, created["id"])) == 2


async def test_two_first_values_of_a_period_at_once_store_one(client, world, session_factory):
    created = await indicator(client, world)
    first, second = await asyncio.gather(
        report(client, world, created["id"], period="2026-02-01", value=4),
        report(client, world, created["id"], period="2026-02-02", value=5),
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    assert len(await values(session_factory, created["id"])) == 1
    async with session_factory() as session:
        events = await session.scalar(
            select(func.count()).where(AuditEvent.action == "measurement.create")
        )
    assert events == 1


async def test_another_secretariats_indicator_is_not_found(client, world):
    foreign = await client.post(
        f"/secretariats/{world.other}/plans/{world.other_plan}/indicators",
        headers=en(world, "national_admin"),
        json={"name": "Ajeno", "unit": "casos", "frequency": "annual"},
    )
    assert foreign.status_code == 201, foreign.text
    base = f"/secretariats/{world.own}/indicators/{foreign.json()['id']}"
    headers = en(world, "coordinator")
    for answer in (
        await client.get(base, headers=headers),
        await client.patch(base, headers=headers, json={"version": 1, "goal": 3}),
        await client.get(f"{base}/measurements", headers=headers),
        await client.post(
            f"{base}/measurements", headers=headers, json={"period": "2026-01-05", "value": 1}
        ),
    ):
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"] == f"Indicator {foreign.json()['id']} not found."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 1}, "period"),
        ({"period": "2026-02-30", "value": 1}, "period"),
        ({"period": "2026-02-01", "value": "mucho"}, "value"),
        ({"period": "2026-02-01", "value": 1, "correction": "maybe"}, "correction"),
        ({"period": "2026-02-01", "value": 1, "measured_on": "2026-02-01"}, "measured_on"),
    ],
)
async def test_a_malformed_measurement_is_refused_naming_the_field(client, world, body, field):
    created = await indicator(client, world)
    refused = await report(client, world, created["id"], **body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field


async def test_a_plans_grace_and_jump_factor_are_set_and_bounded(client, world, base):
    url = f"{base}/plans/{world.own_plan}"
    headers = en(world, "coordinator")
    plan = (await client.get(url, headers=headers)).json()
    assert (plan["measurement_grace_days"], plan["measurement_jump_factor"]) == (10, 3)
    for change in (
        {"measurement_grace_days": 91},
        {"measurement_grace_days": -1},
        {"measurement_jump_factor": 1},
        {"measurement_jump_factor": 1001},
        {"measurement_jump_factor": "1.001"},
    ):
        refused = await client.patch(url, headers=headers, json={"version": 1, **change})
        assert refused.status_code == 422, change
        assert refused.json()["field"] == f"{next(iter(change))}"
    changed = await client.patch(
        url,
        headers=headers,
        json={"version": 1, "measurement_grace_days": 5, "measurement_jump_factor": 1.5},
    )
    assert changed.status_code == 200, changed.text
    assert (
        changed.json()["measurement_grace_days"],
        changed.json()["measurement_jump_factor"],
    ) == (
        5,
        1.5,
    )
