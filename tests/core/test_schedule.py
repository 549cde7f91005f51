"""Critical path on known graphs, computed from the database."""

from datetime import date

import pytest

from core.errors import InvalidInput
from core.plans import dependencies, schedule
from core.plans.graphs import PlanGraphs
from core.plans.tasks import delete_task, update_task
from tests.support import factories

MON = date(2026, 1, 5)


async def build(session, spec, edges):
    async with session.begin():
        sec = await factories.secretariat(session)
        plan, activity = await factories.plan_with_activity(session, sec.id)
        tasks = await factories.chain(session, sec.id, activity.id, spec, edges, start=MON)
    return sec, plan, tasks


async def test_parallel_branches_with_lag(session):
    # A(3) → B(2) → D(1); A → C(1) -lag 2→ D. B path: 3+2 = 5, C path: 3+1+2 = 6 → C is critical.
    sec, plan, t = await build(
        session,
        {"A": 3, "B": 2, "C": 1, "D": 1},
        [("A", "B", 0), ("B", "D", 0), ("A", "C", 0), ("C", "D", 2)],
    )
    result = await schedule.plan_schedule(session, sec.id, plan.id)
    by_code = {item.task_id: item for item in result.tasks}
    a, b, c, d = (by_code[t[name].id] for name in "ABCD")
    assert (a.earliest_start, a.earliest_finish) == (date(2026, 1, 5), date(2026, 1, 7))
    assert c.earliest_start == date(2026, 1, 8)
    assert d.earliest_start == date(2026, 1, 11)  # C ends the 8th, two days of lag
    assert b.slack_days == 1 and not b.critical
    assert a.critical and c.critical and d.critical
    assert result.critical_path == [t["A"].id, t["C"].id, t["D"].id]
    assert result.finish == date(2026, 1, 11)
    assert b.latest_start == date(2026, 1, 9)


async def test_independent_tasks_have_slack_against_the_longest(session):
    sec, plan, t = await build(session, {"long": 10, "short": 4}, [])
    result = await schedule.plan_schedule(session, sec.id, plan.id)
    slack = {item.task_id: item.slack_days for item in result.tasks}
    assert slack[t["long"].id] == 0
    assert slack[t["short"].id] == 6
    assert result.critical_path == [t["long"].id]


async def test_a_cycle_is_refused_and_named(session):
    sec, plan, t = await build(session, {"A": 1, "B": 1, "C": 1}, [("A", "B", 0), ("B", "C", 0)])
    codes = [t[name].code for name in "CABC"]
    ids = {name: task.id for name, task in t.items()}
    plan_id = plan.id
    with pytest.raises(InvalidInput) as caught:
        async with session.begin():
            await dependencies.add_dependency(
                session, sec.id, "test", predecessor_id=ids["C"], successor_id=ids["A"]
            )
    assert str(caught.value) == f"That dependency would close a cycle: {' → '.join(codes)}."
    assert len(await dependencies.plan_edges(session, plan_id)) == 2


async def test_self_dependency_and_bad_lag_are_refused(session):
    sec, _plan, t = await build(session, {"A": 1, "B": 1}, [])
    a, b, sec_id = t["A"].id, t["B"].id, sec.id
    with pytest.raises(InvalidInput, match="cannot depend on itself"):
        async with session.begin():
            await dependencies.add_dependency(
                session, sec_id, "test", predecessor_id=a, successor_id=a
            )
    with pytest.raises(InvalidInput, match="lag"):
        async with session.begin():
            await dependencies.add_dependency(
                session, sec_id, "test", predecessor_id=a, successor_id=b, lag_days=400
            )


def test_schedule_without_dates_uses_estimated_hours():
    from decimal import Decimal

    from core.models import TaskStatus
    from core.plans.tasks import TaskRow

    def row(task_id, hours):
        return TaskRow(
            task_id, 1, 1, str(task_id), "t", TaskStatus.PENDING, 0, Decimal(hours),
            Decimal(0), None, None, None,
        )  # fmt: skip

    result = schedule.compute_schedule([row(1, 20), row(2, 1)], [(1, 2, 0)], date(2026, 1, 1))
    first, second = result.tasks
    assert first.duration_days == 3 and second.duration_days == 1
    assert second.earliest_start == date(2026, 1, 4)
    assert result.critical_path == [1, 2]


async def test_a_kept_graph_serves_until_its_dependencies_may_have_changed(session):
    sec, plan, t = await build(session, {"A": 3, "B": 2, "C": 1}, [("A", "B", 0)])
    graphs = PlanGraphs()

    async def critical_path() -> list[int]:
        async with session.begin():
            return (await schedule.plan_schedule(session, sec.id, plan.id, graphs)).critical_path

    async def edges():
        async with session.begin():
            return await graphs.edges(session, plan.id)

    assert await critical_path() == [t["A"].id, t["B"].id]
    # A task's progress is no change to the graph: the kept one serves.
    async with session.begin():
        await update_task(session, sec.id, "test", t["C"].id, percent=40)
    kept = await edges()
    assert kept is await edges()

    # A new dependency, a deleted task, a removed dependency: each time it is read again.
    async with session.begin():
        added = await dependencies.add_dependency(
            session, sec.id, "test", predecessor_id=t["B"].id, successor_id=t["C"].id
        )
    assert await critical_path() == [t["A"].id, t["B"].id, t["C"].id]
    async with session.begin():
        await delete_task(session, sec.id, "test", t["A"].id, version=t["A"].version)
    assert await critical_path() == [t["B"].id, t["C"].id]
    async with session.begin():
        await dependencies.remove_dependency(session, sec.id, "test", added.id)
    assert list(await edges()) == []
