"""The secretariat page's read model: its statements do not grow with the plan, and the
schedule rule it states reads as written."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from core.plans import dependencies, indicators, measurements, plans, structure
from core.plans.tasks import add_task
from core.public.pace import expected_share
from core.public.secretariat import secretariat_page
from tests.support import factories

ACTOR = factories.ACTOR
TODAY = date(2026, 6, 15)


async def _plan_of(session_factory, slug: str, activities: int, tasks_each: int):
    """A secretariat whose plan has ``activities`` × ``tasks_each`` dated tasks in a chain,
    and an indicator measured twice."""
    async with session_factory() as session, session.begin():
        secretariat = await factories.secretariat(session, slug)
        plan = await plans.create_plan(
            session, secretariat.id, ACTOR, year=2026, title="Plan", reminder_rules=()
        )
        line = await structure.add_objective(session, secretariat.id, ACTOR, plan.id, title="L")
        previous = None
        for number in range(activities):
            activity = await structure.add_activity(
                session, secretariat.id, ACTOR, line.id, title=f"A{number}"
            )
            for offset in range(tasks_each):
                start = date(2026, 1, 5) + timedelta(days=number + offset)
                task = await add_task(
                    session, secretariat.id, ACTOR, activity.id, title=f"T{offset}",
                    start_date=start, due_date=start + timedelta(days=20), estimated_hours=8,
                )  # fmt: skip
                if previous is not None and offset == 0:
                    await dependencies.add_dependency(
                        session, secretariat.id, ACTOR,
                        predecessor_id=previous.id, successor_id=task.id,
                    )  # fmt: skip
                previous = task
        indicator = await indicators.create_indicator(
            session, secretariat.id, ACTOR, plan.id, name="I", unit="u", frequency="monthly",
            baseline=0, goal=10,
        )  # fmt: skip
        for day, value in ((date(2026, 2, 1), 2), (date(2026, 3, 1), 4)):
            await measurements.record_measurement(
                session, secretariat.id, ACTOR, indicator.id, period=day, value=value
            )
    return secretariat


async def _statements(engine, session_factory, secretariat) -> tuple[int, int]:
    """How many statements the page of ``secretariat`` takes, and how many activities it has."""
    counted: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        counted.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with session_factory() as session:
            page = await secretariat_page(session, secretariat, TODAY)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert page.plan is not None
    return len(counted), len(page.plan.activities)


async def test_the_page_takes_as_many_statements_for_1000_tasks_as_for_2(engine, session_factory):
    small = await _plan_of(session_factory, "sesea-ags", activities=1, tasks_each=2)
    large = await _plan_of(session_factory, "sesea-zac", activities=50, tasks_each=20)
    few, one = await _statements(engine, session_factory, small)
    many, fifty = await _statements(engine, session_factory, large)
    assert (one, fifty) == (1, 50)
    assert few == many
    assert many <= 25


def test_a_task_is_expected_to_have_done_the_share_of_its_days_before_today():
    start, due = date(2026, 3, 1), date(2026, 3, 10)  # ten days
    assert expected_share(start, due, date(2026, 2, 20)) == 0
    assert expected_share(start, due, start) == 0
    assert expected_share(start, due, date(2026, 3, 4)) == 30
    assert expected_share(start, due, due) == 90
    assert expected_share(start, due, date(2026, 3, 11)) == 100


async def test_an_indicator_that_should_go_down_stands_by_its_values_and_late_periods(
    session_factory,
):
    async with session_factory() as session, session.begin():
        secretariat = await factories.secretariat(session, "sesea-col")
        plan = await plans.create_plan(
            session, secretariat.id, ACTOR, year=2026, title="Plan", reminder_rules=()
        )
        indicator = await indicators.create_indicator(
            session, secretariat.id, ACTOR, plan.id, name="Días de respuesta", unit="días",
            frequency="monthly", baseline=45, goal=20,
        )  # fmt: skip
        for day, value in ((date(2026, 2, 1), 40), (date(2026, 3, 1), 30)):
            await measurements.record_measurement(
                session, secretariat.id, ACTOR, indicator.id, period=day, value=value
            )
    async with session_factory() as session:
        page = await secretariat_page(session, secretariat, TODAY)
    assert page.plan is not None
    standing = page.plan.indicators[0].standing
    assert standing is not None
    assert standing.direction == "down"
    assert standing.progress == (30 - 45) / (20 - 45)
    # Due ten days after each month ends: by June 15 January, April and May are late.
    assert [period.ends_on for period in standing.late] == [
        date(2026, 1, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
