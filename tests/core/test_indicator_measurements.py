"""Indicators measured period by period: their calendar, scale and responsibles, and the values
reported for them, corrected as revisions and confirmed when far from the last one."""

import asyncio
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, InvalidInput, NotFound
from core.models import AuditEvent, Measurement
from core.people import people
from core.plans import indicators, measurements, plans
from tests.support import factories
from tests.support.clock import noon_of
from tests.support.statements import count_statements

ACTOR = factories.ACTOR


@pytest.fixture
async def setup(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        other = await factories.secretariat(session, "sesea-bc")
        plan, _ = await factories.plan_with_activity(session, sec.id)
        ana = await factories.staff(session, sec.id)
        stranger = await factories.staff(session, other.id, "Olga")
        indicator = await indicators.create_indicator(
            session, sec.id, ACTOR, plan.id, name="Sesiones", unit="sesiones",
            frequency="quarterly", scale="count", responsible_ids=[ana.id],
        )  # fmt: skip
    return {"sec": sec.id, "other": other.id, "plan": plan.id, "ana": ana.id,
            "stranger": stranger.id, "indicator": indicator.id}  # fmt: skip


async def record(session, setup, **fields):
    async with session.begin():
        return await measurements.record_measurement(
            session, setup["sec"], ACTOR, setup["indicator"], **fields
        )


async def stored(session, setup) -> list[tuple[date, int, Decimal]]:
    async with session.begin():
        rows = await session.execute(
            select(Measurement.measured_on, Measurement.revision, Measurement.value)
            .where(Measurement.indicator_id == setup["indicator"])
            .order_by(Measurement.measured_on, Measurement.revision)
        )
        return [tuple(row) for row in rows]


async def test_a_percent_unit_makes_a_percent_and_the_plans_year_its_calendar(session, setup):
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, setup["sec"], ACTOR, setup["plan"], name="Cobertura", unit="Porcentaje",
            frequency="semiannual",
        )  # fmt: skip
    assert indicator.scale == "percent"
    assert (indicator.starts_on, indicator.ends_on, indicator.due_dates) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        None,
    )
    assert [period.ends_on for period in indicators.periods(indicator)] == [
        date(2026, 6, 30),
        date(2026, 12, 31),
    ]


async def test_an_indicator_measured_on_dates_ends_its_periods_on_them(session, setup):
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, setup["sec"], ACTOR, setup["plan"], name="Informes", unit="informes",
            frequency="dates", due_dates=["2026-05-15", date(2026, 11, 30)],
        )  # fmt: skip
    assert indicator.scale == "number"
    assert indicator.due_dates == ["2026-05-15", "2026-11-30"]
    assert [period.ends_on for period in indicators.periods(indicator)] == [
        date(2026, 5, 15),
        date(2026, 11, 30),
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"starts_on": "2026-07-01", "ends_on": "2026-06-30"},
            "The last day 2026-06-30 is before the first day 2026-07-01.",
        ),
        (
            {"due_dates": ["2026-06-30"]},
            "Due dates are only for an indicator measured on dates, not monthly.",
        ),
        (
            {"frequency": "dates"},
            "An indicator measured on dates needs at least one due date.",
        ),
        (
            {"frequency": "dates", "due_dates": []},
            "An indicator measured on dates needs at least one due date.",
        ),
        (
            {"frequency": "dates", "due_dates": ["2026-06-30", "2026-03-31"]},
            "The due dates must be in ascending order, each only once.",
        ),
        (
            {"frequency": "dates", "due_dates": ["2026-06-30", "2026-06-30"]},
            "The due dates must be in ascending order, each only once.",
        ),
        (
            {"frequency": "dates", "due_dates": ["2027-01-15"]},
            "The due dates must fall from 2026-01-01 to 2026-12-31.",
        ),
        ({"frequency": "dates", "due_dates": ["someday"]}, "The due_dates must be a date"),
        ({"scale": "stars"}, "Unknown scale stars; use one of: percent, count, amount, number."),
    ],
)
async def test_a_calendar_or_scale_that_does_not_hold_is_refused(session, setup, fields, message):
    values = {"name": "Nuevo", "unit": "casos", "frequency": "monthly", **fields}
    with pytest.raises(InvalidInput) as caught:
        async with session.begin():
            await indicators.create_indicator(session, setup["sec"], ACTOR, setup["plan"], **values)
    assert str(caught.value).startswith(message)


async def test_responsibles_are_of_the_secretariat_and_replaced_as_a_whole(session, setup):
    with pytest.raises(NotFound, match=f"Person {setup['stranger']} not found"):
        async with session.begin():
            await indicators.update_indicator(
                session, setup["sec"], ACTOR, setup["indicator"], version=1,
                responsible_ids=[setup["ana"], setup["stranger"]],
            )  # fmt: skip
    async with session.begin():
        beto = await factories.staff(session, setup["sec"], "Beto")
        indicator = await indicators.update_indicator(
            session, setup["sec"], ACTOR, setup["indicator"], version=1, responsible_ids=[beto.id]
        )
    assert (indicator.responsible_ids, indicator.version) == ([beto.id], 2)
    async with session.begin():
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "indicator.update")
        )
    assert event.data == {
        "before": {"responsible_ids": [setup["ana"]]},
        "after": {"responsible_ids": [beto.id]},
    }


async def test_a_page_of_indicators_reads_their_responsibles_in_one_statement(
    engine, session, setup
):
    async def listed() -> tuple[list[list[int]], int]:
        session.expunge_all()
        async with session.begin():
            with count_statements(engine) as counted:
                page = await indicators.list_indicators(session, setup["sec"], setup["plan"])
                shown = [item.responsible_ids for item in page.items]
        return shown, counted["n"]

    one, statements = await listed()
    async with session.begin():
        for number in range(4):
            await indicators.create_indicator(
                session, setup["sec"], ACTOR, setup["plan"], name=f"I{number}", unit="casos",
                frequency="annual", responsible_ids=[setup["ana"]],
            )  # fmt: skip
    assert one == [[setup["ana"]]]
    assert await listed() == ([[setup["ana"]]] * 5, statements)


async def test_a_new_calendar_must_keep_the_periods_that_have_values(session, setup):
    await record(session, setup, period=date(2026, 2, 10), value=4)
    with pytest.raises(Conflict) as caught:
        async with session.begin():
            await indicators.update_indicator(
                session, setup["sec"], ACTOR, setup["indicator"], version=1, frequency="semiannual"
            )
    assert str(caught.value) == (
        "Values were reported for the periods ending on 2026-03-31, which this calendar does "
        "not have; keep those periods, or make a new indicator."
    )
    assert caught.value.field == "frequency"
    with pytest.raises(Conflict, match="2026-03-31") as caught:
        async with session.begin():
            await indicators.update_indicator(
                session, setup["sec"], ACTOR, setup["indicator"], version=1,
                starts_on="2026-04-01",
            )  # fmt: skip
    assert caught.value.field == "starts_on"
    # Months end on every quarter's last day too.
    async with session.begin():
        indicator = await indicators.update_indicator(
            session, setup["sec"], ACTOR, setup["indicator"], version=1, frequency="monthly"
        )
    assert (indicator.frequency, indicator.version) == ("monthly", 2)


async def test_dates_give_way_to_a_frequency_that_cuts_the_periods(session, setup):
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, setup["sec"], ACTOR, setup["plan"], name="Informes", unit="informes",
            frequency="dates", due_dates=["2026-06-30"],
        )  # fmt: skip
        changed = await indicators.update_indicator(
            session, setup["sec"], ACTOR, indicator.id, version=1, frequency="quarterly"
        )
    assert (changed.frequency, changed.due_dates) == ("quarterly", None)


async def test_a_value_is_stored_as_its_periods_last_day(session, setup):
    measurement = await record(session, setup, period=date(2026, 2, 10), value=4, note=" Acta ")
    assert (measurement.measured_on, measurement.revision, measurement.note) == (
        date(2026, 3, 31),
        1,
        "Acta",
    )


async def test_a_day_outside_the_calendar_or_a_period_not_begun_is_refused(
    session, setup, monkeypatch
):
    with pytest.raises(InvalidInput) as caught:
        await record(session, setup, period=date(2027, 1, 5), value=4)
    assert caught.value.field == "period"
    assert str(caught.value) == (
        "2027-01-05 is outside the indicator's periods, from 2026-01-01 to 2026-12-31."
    )
    monkeypatch.setattr(people, "utcnow", noon_of(date(2026, 5, 20)))
    with pytest.raises(InvalidInput) as caught:
        await record(session, setup, period=date(2026, 7, 1), value=4)
    assert caught.value.field == "period"
    assert str(caught.value) == "The period from 2026-07-01 to 2026-09-30 has not begun yet."
    # The period under way may be reported before it ends.
    assert (await record(session, setup, period=date(2026, 5, 20), value=4)).revision == 1
    assert await stored(session, setup) == [(date(2026, 6, 30), 1, 4)]


@pytest.mark.parametrize(
    ("unit", "scale", "value", "message"),
    [
        ("%", "percent", 100.5, "A value in % is a percent, from 0 to 100; 100.5 is not."),
        ("%", "percent", -1, "A value in % is a percent, from 0 to 100; -1 is not."),
        (
            "casos",
            "count",
            2.5,
            "A value in casos is a count, a whole number from 0 up; 2.5 is not.",
        ),
        ("casos", "count", -3, "A value in casos is a count, a whole number from 0 up; -3 is not."),
        ("pesos", "amount", "-0.01", "A value in pesos is an amount, 0 or more; -0.01 is not."),
        ("pesos", "amount", "mucho", "The value must be a number."),
    ],
)
async def test_a_value_its_scale_does_not_allow_is_refused(
    session, setup, unit, scale, value, message
):
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, setup["sec"], ACTOR, setup["plan"], name="Escala", unit=unit,
            frequency="annual", scale=scale,
        )  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        async with session.begin():
            await measurements.record_measurement(
                session, setup["sec"], ACTOR, indicator.id, period=date(2026, 3, 1), value=value
            )
    assert (str(caught.value), caught.value.field) == (message, "value")


async def test_any_number_is_a_value_of_the_number_scale(session, setup):
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, setup["sec"], ACTOR, setup["plan"], name="Saldo", unit="balance",
            frequency="annual",
        )  # fmt: skip
        measurement = await measurements.record_measurement(
            session, setup["sec"], ACTOR, indicator.id, period=date(2026, 3, 1), value="-2.5"
        )
    assert measurement.value == Decimal("-2.5")


async def test_a_reported_period_takes_a_new_value_only_as_a_correction(session, setup):
    await record(session, setup, period=date(2026, 1, 15), value=10)
    with pytest.raises(Conflict) as caught:
        await record(session, setup, period=date(2026, 3, 31), value=11)
    assert str(caught.value) == (
        "The period from 2026-01-01 to 2026-03-31 already has a value; to change it, send the "
        "new one as a correction."
    )
    with pytest.raises(InvalidInput) as caught:
        await record(session, setup, period=date(2026, 4, 1), value=11, correction=True)
    assert caught.value.field == "correction"
    assert str(caught.value).startswith("The period from 2026-04-01 to 2026-06-30 has no value")
    corrected = await record(session, setup, period=date(2026, 2, 1), value=11, correction=True)
    assert corrected.revision == 2
    assert await stored(session, setup) == [(date(2026, 3, 31), 1, 10), (date(2026, 3, 31), 2, 11)]


async def test_the_chain_holds_both_revisions_and_what_the_second_supersedes(session, setup):
    first = await record(session, setup, period=date(2026, 1, 15), value=10)
    second = await record(session, setup, period=date(2026, 1, 15), value=12, correction=True)
    async with session.begin():
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "measurement.create")
                .order_by(AuditEvent.seq)
            )
        ).all()
    assert [event.entity_id for event in events] == [first.id, second.id]
    assert [(event.data["revision"], event.data["supersedes"]) for event in events] == [
        (1, None),
        (2, 1),
    ]


async def test_listings_show_every_revision_and_the_public_only_the_current(session, setup):
    await record(session, setup, period=date(2026, 4, 2), value=12)
    await record(session, setup, period=date(2026, 1, 15), value=10)
    await record(session, setup, period=date(2026, 1, 15), value=11, correction=True)
    async with session.begin():
        page = await measurements.list_measurements(session, setup["sec"], setup["indicator"])
        current = await measurements.plan_measurements(session, setup["plan"])
    assert [(item.measured_on.month, item.revision) for item in page.items] == [
        (3, 1),
        (3, 2),
        (6, 1),
    ]
    assert [(item.measured_on.month, item.value) for item in current[setup["indicator"]]] == [
        (3, 11),
        (6, 12),
    ]


@pytest.mark.parametrize(
    ("value", "far"),
    [(30, False), ("30.01", True), ("3.34", False), (3, True), (0, True), (-10, True)],
)
async def test_a_value_far_from_the_last_one_is_saved_only_confirmed(session, setup, value, far):
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, setup["sec"], ACTOR, setup["plan"], name="Saldo", unit="pesos",
            frequency="monthly",
        )  # fmt: skip
    indicator_setup = {**setup, "indicator": indicator.id}
    await record(session, indicator_setup, period=date(2026, 1, 31), value=10)
    if not far:
        await record(session, indicator_setup, period=date(2026, 2, 28), value=value)
        return
    with pytest.raises(Conflict) as caught:
        await record(session, indicator_setup, period=date(2026, 2, 28), value=value)
    shown = str(Decimal(str(value)))
    assert str(caught.value) == (
        f"The value {shown} pesos is far from the last one, 10 pesos; if it is right, send it "
        "again confirmed."
    )
    await record(session, indicator_setup, period=date(2026, 2, 28), value=value, confirmed=True)
    assert len(await stored(session, indicator_setup)) == 2


async def test_the_jump_is_measured_from_the_latest_earlier_period_or_the_corrected_value(
    session, setup
):
    await record(session, setup, period=date(2026, 1, 15), value=10)
    await record(session, setup, period=date(2026, 4, 15), value=40, confirmed=True)
    # Against the second quarter's 40, not the first's 10; the plan's factor is theirs to set.
    await record(session, setup, period=date(2026, 7, 15), value=100)
    with pytest.raises(Conflict, match="far from the last one, 10 sesiones"):
        await record(session, setup, period=date(2026, 1, 15), value=1, correction=True)
    async with session.begin():
        await plans.update_plan(
            session, setup["sec"], ACTOR, setup["plan"], version=1, measurement_jump_factor=20
        )
    await record(session, setup, period=date(2026, 1, 15), value=1, correction=True)


async def test_a_first_value_is_never_far(session, setup):
    assert (await record(session, setup, period=date(2026, 1, 15), value=99999)).revision == 1


async def test_another_secretariats_indicator_or_reporter_is_not_found(session, setup):
    with pytest.raises(NotFound, match="Indicator"):
        async with session.begin():
            await measurements.record_measurement(
                session, setup["other"], ACTOR, setup["indicator"], period=date(2026, 1, 5), value=1
            )
    with pytest.raises(NotFound, match="Person"):
        await record(
            session, setup, period=date(2026, 1, 5), value=1, reported_by_id=setup["stranger"]
        )
    assert await stored(session, setup) == []


async def test_two_first_values_of_a_period_at_once_store_one(session_factory, setup):
    """The second reads no value while the first is not committed; the revision's uniqueness
    then refuses it, and nothing of it is stored."""

    async def report(value: int) -> Measurement:
        async with session_factory() as session, session.begin():
            return await measurements.record_measurement(
                session, setup["sec"], ACTOR, setup["indicator"], period=date(2026, 2, 1),
                value=value,
            )  # fmt: skip

    results = await asyncio.gather(report(4), report(5), return_exceptions=True)
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict), results
    assert "already has a value" in str(refused[0])
    async with session_factory() as session, session.begin():
        count = await session.scalar(
            select(func.count()).where(AuditEvent.action == "measurement.create")
        )
    assert count == 1
    async with session_factory() as session:
        assert len(await stored(session, setup)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"measurement_grace_days": 91}, "The grace must be a whole number of days from 0 to 90."),
        ({"measurement_grace_days": 2.5}, "The grace must be a whole number of days from 0 to 90."),
        (
            {"measurement_jump_factor": 1},
            "The jump factor must be greater than 1 and at most 1000.",
        ),
        ({"measurement_jump_factor": "1.001"}, "The jump factor must be greater than 1"),
        ({"measurement_jump_factor": 1001}, "The jump factor must be greater than 1"),
    ],
)
async def test_a_plans_grace_and_jump_factor_are_bounded(session, setup, fields, message):
    with pytest.raises(InvalidInput) as caught:
        async with session.begin():
            await plans.update_plan(
                session, setup["sec"], ACTOR, setup["plan"], version=1, **fields
            )
    assert str(caught.value).startswith(message)
    async with session.begin():
        plan = await plans.update_plan(
            session, setup["sec"], ACTOR, setup["plan"], version=1,
            measurement_grace_days=0, measurement_jump_factor="1.5",
        )  # fmt: skip
    assert (plan.measurement_grace_days, plan.measurement_jump_factor) == (0, Decimal("1.5"))
