"""Plan views and the audit log over HTTP; their statement count does not grow with the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import update

from core.models import AuditEvent, Person, TokenRole
from core.plans import dependencies, structure
from core.plans.tasks import add_task
from core.reporting import reports
from tests.admin.conftest import issue
from tests.admin.test_plans_api import build_plan
from tests.support import factories
from tests.support.statements import count_statements

MEXICO_CITY = ZoneInfo("America/Mexico_City")
VIEWS = ("progress", "critical-path", "timeline", "attention", "workload", "tasks", "audit")


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


async def test_progress_rolls_up_per_level(client, world, base):
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    first = built["tasks"][0]
    await client.patch(
        f"{base}/tasks/{first['id']}",
        headers=world.auth("coordinator"),
        json={"version": first["version"], "status": "done"},
    )
    tree = (
        await client.get(
            f"{base}/plans/{built['plan']['id']}/progress", headers=world.auth("viewer")
        )
    ).json()
    # Weighted by hours: 24 of 80 estimated hours are done.
    assert tree["level"] == "plan" and tree["percent"] == 30.0
    objective = tree["children"][0]
    assert objective["level"] == "objective" and objective["percent"] == 30.0
    activity = objective["children"][0]
    assert [task["percent"] for task in activity["children"]] == [100.0, 0.0, 0.0]
    assert tree["tasks_done"] == 1 and tree["tasks_total"] == 3


async def test_whole_plan_views_revalidate_and_follow_every_change(
    client, world, base, session_factory
):
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    plan_url = f"{base}/plans/{built['plan']['id']}"
    viewer = world.auth("viewer")
    first = await client.get(f"{plan_url}/progress", headers=viewer)
    etag = first.headers["etag"]
    unchanged = await client.get(f"{plan_url}/progress", headers={**viewer, "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""

    # A change through the API: the next answer is rebuilt, under a new tag.
    task = built["tasks"][0]
    await client.patch(
        f"{base}/tasks/{task['id']}",
        headers=world.auth("coordinator"),
        json={"version": task["version"], "percent": 50},
    )
    changed = await client.get(f"{plan_url}/progress", headers={**viewer, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["percent"] == first.json()["percent"] + 15.0  # 24 of 80 hours at 50%

    # A report from chat changes the task as well.
    async with session_factory() as session, session.begin():
        ana = await session.get(Person, built["person"]["id"])
        await reports.submit_report(session, ana, built["tasks"][2]["id"], status="done")
    reported = await client.get(f"{plan_url}/progress", headers=viewer)
    assert reported.json()["tasks_done"] == changed.json()["tasks_done"] + 1

    # Another secretariat's viewer learns nothing, not even from a tag.
    async with session_factory() as session, session.begin():
        stranger = await issue(session, TokenRole.VIEWER, world.other)
    stranger["If-None-Match"] = reported.headers["etag"]
    other_url = f"/secretariats/{world.other}/plans/{built['plan']['id']}/progress"
    assert (await client.get(other_url, headers=stranger)).status_code == 404


async def test_critical_path_timeline_attention_and_workload(client, world, base):
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    plan_url = f"{base}/plans/{built['plan']['id']}"
    viewer = world.auth("viewer")
    ids = [task["id"] for task in built["tasks"]]
    schedule = (await client.get(f"{plan_url}/critical-path", headers=viewer)).json()
    # The tasks start a week apart (start dates are floors): only the last sets the end.
    assert schedule["critical_path"] == [ids[2]]
    slack = {task["task_id"]: task["slack_days"] for task in schedule["tasks"]}
    assert slack[ids[2]] == 0 and slack[ids[1]] == 2 and slack[ids[0]] == 6

    timeline = (await client.get(f"{plan_url}/timeline", headers=viewer)).json()
    assert [item["kind"] for item in timeline["items"]] == [
        "objective",
        "activity",
        "task",
        "task",
        "task",
    ]
    assert timeline["items"][0]["start"] == "2026-02-02"
    assert timeline["items"][0]["finish"] == "2026-02-17"
    assert {(link["predecessor_id"], link["successor_id"]) for link in timeline["links"]} == {
        (ids[0], ids[1]),
        (ids[1], ids[2]),
    }

    second = built["tasks"][1]
    await client.patch(
        f"{base}/tasks/{second['id']}",
        headers=world.auth("coordinator"),
        json={"version": second["version"], "status": "blocked"},
    )
    attention = (
        await client.get(f"{plan_url}/attention", headers=viewer, params={"as_of": "2026-02-13"})
    ).json()
    assert [item["code"] for item in attention["overdue"]] == [built["tasks"][0]["code"]]
    assert attention["overdue"][0]["days_overdue"] == 9
    assert attention["overdue"][0]["responsibles"][0]["name"] == "Ana"
    assert [item["task_id"] for item in attention["blocked"]] == [second["id"]]
    assert attention["blocked"][0]["waiting_on"] == [built["tasks"][0]["code"]]

    workload = (await client.get(f"{plan_url}/workload", headers=viewer)).json()
    assert len(workload) == 1 and workload[0]["name"] == "Ana"
    assert workload[0]["total_hours"] == 80
    weeks = {week["week"]: week["hours"] for week in workload[0]["weeks"]}
    # Tarea 1 (24 h) in W06, Tarea 2 (40 h) Mon-Fri of W07, Tarea 3 (16 h) Mon-Tue of W08.
    assert weeks == {"2026-W06": 24.0, "2026-W07": 40.0, "2026-W08": 16.0}


async def test_the_audit_log_of_a_plan_and_the_chain(client, world, base, session_factory):
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    task = built["tasks"][0]
    await client.patch(
        f"{base}/tasks/{task['id']}",
        headers=world.auth("coordinator"),
        json={"version": task["version"], "percent": 50},
    )
    log = (
        await client.get(
            f"{base}/plans/{built['plan']['id']}/audit",
            headers=world.auth("viewer"),
            params={"limit": 1},
        )
    ).json()
    latest = log["items"][0]
    assert latest["action"] == "task.update"
    assert latest["data"] == {"before": {"percent": 0}, "after": {"percent": 50}}
    assert latest["actor"].startswith("token:")
    # The plan and its 3 default reminder rules, objective, activity, tasks, deps, update.
    assert log["total"] == 1 + 3 + 1 + 1 + 3 + 2 + 1
    other = await client.get(f"{base}/plans/{world.other_plan}/audit", headers=world.auth("viewer"))
    assert other.status_code == 404

    verified = (await client.get("/audit/verify", headers=world.auth("viewer"))).json()
    assert verified["ok"] is True
    head = (await client.get("/audit/head", headers=world.auth("viewer"))).json()
    assert head["seq"] == verified["events"] and head["hash"] == verified["head"]
    async with session_factory() as session, session.begin():
        await session.execute(
            update(AuditEvent).where(AuditEvent.seq == 3).values(actor="someone else")
        )
    broken = (await client.get("/audit/verify", headers=world.auth("viewer"))).json()
    assert broken["ok"] is False and broken["broken_seq"] == 3


async def grow_plan(session_factory, secretariat_id: int, plan_id: int, tasks: int) -> None:
    async with session_factory() as session, session.begin():
        person = await factories.staff(session, secretariat_id, name=f"P{tasks}")
        objective = await structure.add_objective(
            session, secretariat_id, "test", plan_id, title="O"
        )
        activity = await structure.add_activity(
            session, secretariat_id, "test", objective.id, title="A"
        )
        previous = None
        for index in range(tasks):
            start = date(2026, 3, 2) + timedelta(days=index)
            task = await add_task(
                session,
                secretariat_id,
                "test",
                activity.id,
                title=f"T{index}",
                estimated_hours=8,
                start_date=start,
                due_date=start,
                responsible_ids=[person.id],
            )
            if previous is not None:
                await dependencies.add_dependency(
                    session,
                    secretariat_id,
                    "test",
                    predecessor_id=previous.id,
                    successor_id=task.id,
                )
            previous = task


async def test_statements_per_request_do_not_grow_with_the_plan(
    client, world, base, engine, session_factory
):
    viewer = world.auth("viewer")

    async def statements() -> dict[str, int]:
        counts = {}
        # The token's last use is written at most once a minute: get that out of the way.
        await client.get("/me", headers=viewer)
        for view in VIEWS:
            with count_statements(engine) as counter:
                response = await client.get(f"{base}/plans/{world.own_plan}/{view}", headers=viewer)
                assert response.status_code == 200, (view, response.text)
            counts[view] = counter["n"]
        return counts

    await grow_plan(session_factory, world.own, world.own_plan, 3)
    await statements()  # the first answers are kept: compare answers built after a change
    await grow_plan(session_factory, world.own, world.own_plan, 2)  # tasks and a dependency
    small = await statements()
    await grow_plan(session_factory, world.own, world.own_plan, 30)
    assert await statements() == small


@pytest.mark.parametrize("local_time", [time(23, 30), time(0, 30)])
async def test_attention_judges_by_the_secretariats_day_not_utcs(client, world, base, local_time):
    """At 23:30 in Mexico City it is already tomorrow in UTC: a task due today is not late."""
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    first = built["tasks"][0]
    moment = datetime.combine(date.today() + timedelta(days=1), local_time, MEXICO_CITY)
    response = await client.patch(
        f"{base}/tasks/{first['id']}",
        headers=world.auth("coordinator"),
        json={"version": first["version"], "due_date": moment.date().isoformat()},
    )
    assert response.status_code == 200, response.text
    # The machine's clock is in UTC, as a server's is.
    with time_machine.travel(moment.astimezone(UTC), tick=True):
        attention = await client.get(
            f"{base}/plans/{built['plan']['id']}/attention", headers=world.auth("viewer")
        )
    assert attention.json()["as_of"] == moment.date().isoformat()
    assert first["id"] not in [item["task_id"] for item in attention.json()["overdue"]]
