"""Roll-up of progress from tasks to the plan."""

from decimal import Decimal

from core.models import TaskStatus
from core.plans import progress, structure, tasks
from tests.support import factories


async def test_roll_up_weights_by_hours_and_by_weight_where_set(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        plan, first = await factories.plan_with_activity(session, sec.id)
        objective_id = first.objective_id
        second = await structure.add_activity(session, sec.id, "t", objective_id, title="B")
        other = await structure.add_objective(session, sec.id, "t", plan.id, title="O2", weight=3)
        third = await structure.add_activity(session, sec.id, "t", other.id, title="C")
        add = tasks.add_task
        # Activity 1: 30 h at 100% and 10 h at 0% → 75%.
        await add(session, sec.id, "t", first.id, title="a", estimated_hours=30, percent=100)
        await add(session, sec.id, "t", first.id, title="b", estimated_hours=10)
        # Activity 2: weights override hours: weight 1 at 0%, weight 3 done → 75%... plus a
        # cancelled task that counts for nothing.
        await add(session, sec.id, "t", second.id, title="c", estimated_hours=50, weight=1)
        await add(
            session, sec.id, "t", second.id, title="d", estimated_hours=1, weight=3,
            status=TaskStatus.DONE,
        )  # fmt: skip
        await add(
            session, sec.id, "t", second.id, title="e", estimated_hours=99,
            status=TaskStatus.CANCELLED,
        )  # fmt: skip
        # Objective 2 (weight 3): one task at 40%.
        await add(session, sec.id, "t", third.id, title="f", estimated_hours=5, percent=40)

    tree = await progress.plan_progress(session, sec.id, plan.id)
    first_objective, _second = tree.children
    activity_1, activity_2 = first_objective.children
    assert activity_1.percent == 75.0
    assert activity_2.percent == 75.0
    # Objective 1 weighs activities by hours: 40 h at 75% and 51 h at 75% → 75%.
    assert first_objective.percent == 75.0
    assert first_objective.weight == Decimal(91)
    # Plan: objective 1 weighs 91 (its hours), objective 2 weighs 3 → (91·75 + 3·40) / 94.
    assert tree.percent == round((91 * 75 + 3 * 40) / 94, 1)
    # The cancelled task is left out; only "d" is marked done.
    assert (tree.tasks_total, tree.tasks_done) == (5, 1)
    assert tree.estimated_hours == Decimal(96)


async def test_an_empty_plan_is_at_zero(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        plan, _activity = await factories.plan_with_activity(session, sec.id)
    tree = await progress.plan_progress(session, sec.id, plan.id)
    assert tree.percent == 0.0
    assert tree.tasks_total == 0
