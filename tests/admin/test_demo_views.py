"""The demo plan, read through the admin API's views, can be lived in whatever day it is seeded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.demo import DEMO_SLUG, seed_demo
from core.models import AuditEvent, Plan, Secretariat, TaskStatus, TokenRole
from tests.admin.conftest import issue
from tests.support.clock import noon_of

DAYS = [date(2026, 3, 4), date(2027, 1, 2)]


async def seed(session_factory, settings, today: date) -> tuple[str, dict[str, str]]:
    """The demo seeded on ``today``: its plan's URL and a reader's headers."""
    await seed_demo(session_factory, settings, noon_of(today)())
    async with session_factory() as session, session.begin():
        secretariat = await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))
        plan = await session.scalar(select(Plan).where(Plan.secretariat_id == secretariat.id))
        headers = await issue(session, TokenRole.VIEWER, secretariat.id)
    return f"/secretariats/{secretariat.id}/plans/{plan.id}", headers


async def tasks_of(client, plan_url: str, headers) -> list[dict]:
    page = await client.get(f"{plan_url}/tasks", params={"limit": 100}, headers=headers)
    return page.json()["items"]


@pytest.mark.parametrize("today", DAYS, ids=str)
async def test_the_plan_has_work_done_under_way_due_late_and_ahead(
    client, session_factory, settings, today
):
    plan_url, headers = await seed(session_factory, settings, today)
    plan = (await client.get(plan_url, headers=headers)).json()
    assert plan["year"] == today.year and str(today.year) in plan["title"]
    tasks = await tasks_of(client, plan_url, headers)
    by_status = {status: [t for t in tasks if t["status"] == status] for status in TaskStatus}

    done = by_status[TaskStatus.DONE]
    under_way = by_status[TaskStatus.IN_PROGRESS]
    pending = by_status[TaskStatus.PENDING]
    assert len(done) >= 10 and len(under_way) >= 4 and len(pending) >= 10
    assert all(date.fromisoformat(t["due_date"]) < today for t in done)
    assert all(0 < t["percent"] < 100 for t in under_way)
    week = [date.fromisoformat(t["due_date"]) for t in under_way]
    assert today in week  # due today: this week, whatever the weekday
    assert sum(today <= due <= today + timedelta(days=6) for due in week) >= 2
    assert sum(date.fromisoformat(t["start_date"]) > today for t in pending) >= 10

    for task in done + under_way:
        url = f"{plan_url.split('/plans/')[0]}/tasks/{task['id']}/reports"
        reports = (await client.get(url, headers=headers)).json()["items"]
        assert [(r["status"], r["percent"]) for r in reports] == [(task["status"], task["percent"])]
        assert reports[0]["person_id"] in task["responsible_ids"]

    progress = (await client.get(f"{plan_url}/progress", headers=headers)).json()
    assert progress["tasks_done"] == len(done) and progress["tasks_total"] == len(tasks)
    assert 20 < progress["percent"] < 80
    assert progress["logged_hours"] > 0

    attention = (
        await client.get(f"{plan_url}/attention", params={"as_of": str(today)}, headers=headers)
    ).json()
    late = attention["overdue"]
    assert 2 <= len(late) <= 4
    assert all(item["status"] == "in_progress" and item["percent"] > 0 for item in late)
    assert all(item["days_overdue"] > 0 for item in late)
    assert attention["blocked"] == []


@pytest.mark.parametrize("today", DAYS, ids=str)
async def test_successors_start_after_their_predecessors_as_the_timeline_schedules_them(
    client, session_factory, settings, today
):
    plan_url, headers = await seed(session_factory, settings, today)
    tasks = {t["id"]: t for t in await tasks_of(client, plan_url, headers)}
    timeline = (await client.get(f"{plan_url}/timeline", headers=headers)).json()
    assert timeline["links"]
    for link in timeline["links"]:
        before, after = tasks[link["predecessor_id"]], tasks[link["successor_id"]]
        ready = date.fromisoformat(before["due_date"]) + timedelta(days=1 + link["lag_days"])
        assert date.fromisoformat(after["start_date"]) >= ready
        # Nothing begins before what it waits for is done.
        if after["status"] != TaskStatus.PENDING:
            assert before["status"] == TaskStatus.DONE
    waiting = {
        link["successor_id"]
        for link in timeline["links"]
        if tasks[link["predecessor_id"]]["status"] != TaskStatus.DONE
    }
    for task in tasks.values():
        # A task whose day has come and that has not begun waits for another.
        if task["status"] == TaskStatus.PENDING and task["start_date"] < str(today):
            assert task["id"] in waiting
    scheduled = [item for item in timeline["items"] if item["kind"] == "task"]
    # The dates people were given are the ones the schedule computes: nothing is pushed.
    assert [(item["start"], item["finish"]) for item in scheduled] == [
        (tasks[item["id"]]["start_date"], tasks[item["id"]]["due_date"]) for item in scheduled
    ]


async def test_seeding_again_changes_nothing(session_factory, settings):
    first = await seed_demo(session_factory, settings, noon_of(DAYS[0])())
    assert "32 tasks" in first and "progress reports" in first
    async with session_factory() as session:
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
    again = await seed_demo(session_factory, settings, noon_of(DAYS[0] + timedelta(days=40))())
    assert "already present" in again
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEvent)) == events


async def test_the_demo_is_dated_by_its_secretariats_day_not_utcs(
    client, session_factory, settings
):
    """Seeded at 9 p.m. on New Year's Eve in Mexico City, already 2027 in UTC: the plan is
    2026's, and the task due on the seeding day is due on the 31st."""
    await seed_demo(session_factory, settings, datetime(2027, 1, 1, 3, 0, tzinfo=UTC))
    async with session_factory() as session, session.begin():
        secretariat = await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))
        plan = await session.scalar(select(Plan).where(Plan.secretariat_id == secretariat.id))
        headers = await issue(session, TokenRole.VIEWER, secretariat.id)
    assert plan.year == 2026
    tasks = await tasks_of(client, f"/secretariats/{secretariat.id}/plans/{plan.id}", headers)
    assert "2026-12-31" in {task["due_date"] for task in tasks}
