"""Rules of the plan services: bad values, other secretariats, one transaction per operation."""

from datetime import date

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, InvalidInput, NotFound
from core.models import AuditEvent, Task
from core.plans import structure, tasks
from tests.support import factories


@pytest.fixture
async def setup(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        other = await factories.secretariat(session, "sesea-bc")
        plan, activity = await factories.plan_with_activity(session, sec.id)
        task = await tasks.add_task(session, sec.id, "t", activity.id, title="Tarea")
    return {"sec": sec.id, "other": other.id, "plan": plan.id, "activity": activity.id,
            "task": task.id}  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"estimated_hours": -1}, InvalidInput, "The estimated_hours cannot be negative."),
        ({"logged_hours": "x"}, InvalidInput, "The logged_hours must be a number."),
        ({"percent": 250}, InvalidInput, "The percent must be a whole number from 0 to 100."),
        ({"percent": 50.5}, InvalidInput, "The percent must be a whole number from 0 to 100."),
        ({"weight": 0}, InvalidInput, "The weight must be greater than zero."),
        ({"status": "finished"}, InvalidInput, "Unknown status finished"),
        (
            {"start_date": date(2026, 3, 2), "due_date": date(2026, 3, 1)},
            InvalidInput,
            "The due date 2026-03-01 is before the start date 2026-03-02.",
        ),
        ({"title": "  "}, InvalidInput, "The title cannot be empty."),
        ({"colour": "red"}, InvalidInput, "Unknown task field colour."),
    ],
)
async def test_bad_values_are_refused_and_nothing_is_written(
    session, setup, fields, error, message
):
    async with session.begin():
        events_before = await session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(error) as caught:
        async with session.begin():
            await tasks.update_task(session, setup["sec"], "t", setup["task"], **fields)
    assert str(caught.value).startswith(message)
    async with session.begin():
        task = await session.get(Task, setup["task"], populate_existing=True)
        assert (task.percent, task.estimated_hours, task.status) == (0, 0, "pending")
        assert await session.scalar(select(func.count(AuditEvent.id))) == events_before


async def test_another_secretariats_ids_are_not_found(session, setup):
    with pytest.raises(NotFound, match="Task"):
        async with session.begin():
            await tasks.update_task(session, setup["other"], "t", setup["task"], percent=10)
    with pytest.raises(NotFound, match="Plan"):
        async with session.begin():
            await structure.add_objective(session, setup["other"], "t", setup["plan"], title="x")
    with pytest.raises(NotFound, match="Activity 999999"):
        async with session.begin():
            await tasks.add_task(session, setup["sec"], "t", 999999, title="x")


async def test_responsibles_must_belong_to_the_secretariat(session, setup):
    async with session.begin():
        stranger = await factories.staff(session, setup["other"])
        stranger_id = stranger.id
    with pytest.raises(NotFound, match=f"Person {stranger_id}"):
        async with session.begin():
            await tasks.update_task(
                session, setup["sec"], "t", setup["task"], responsible_ids=[stranger_id]
            )


async def test_update_records_before_and_after_and_checks_the_version(session, setup):
    async with session.begin():
        task = await tasks.update_task(
            session, setup["sec"], "t", setup["task"], expected_version=1, percent=30,
            status="in_progress",
        )  # fmt: skip
    assert task.version == 2
    async with session.begin():
        event = await session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert event.action == "task.update"
    assert event.data == {
        "before": {"percent": 0, "status": "pending"},
        "after": {"percent": 30, "status": "in_progress"},
    }
    with pytest.raises(Conflict, match="version 2, not 1"):
        async with session.begin():
            await tasks.update_task(
                session, setup["sec"], "t", setup["task"], expected_version=1, percent=40
            )


async def test_marking_done_sets_percent_to_100(session, setup):
    async with session.begin():
        task = await tasks.update_task(session, setup["sec"], "t", setup["task"], status="done")
    assert task.percent == 100


async def test_codes_follow_the_outline(session, setup):
    async with session.begin():
        second = await tasks.add_task(session, setup["sec"], "t", setup["activity"], title="B")
    assert second.code == "1.1.2"
    with pytest.raises(Conflict, match=r"1\.1\.2"):
        async with session.begin():
            await tasks.add_task(
                session, setup["sec"], "t", setup["activity"], title="C", code="1.1.2"
            )


async def test_errors_read_in_spanish_by_default_and_in_english(session, setup):
    with pytest.raises(InvalidInput) as caught:
        async with session.begin():
            await tasks.update_task(session, setup["sec"], "t", setup["task"], percent=250)
    assert caught.value.render("es") == "El porcentaje debe ser un número entero de 0 a 100."
    assert caught.value.render("en") == "The percent must be a whole number from 0 to 100."
