"""Validation over HTTP: asking for it, reading requests and votes, policies, the public ledger."""

from __future__ import annotations

import pytest

from core.audit import ledger
from core.models import Role, Sector
from core.people.people import create_person
from core.plans import structure, tasks
from core.reporting import reports
from core.validation.pool import pause_validator
from core.validation.votes import cast_vote
from tests.core.validation_world import validator


@pytest.fixture
async def reported(world, session_factory):
    """Ana's task in the own secretariat's plan, reported done; three validators to ask."""
    async with session_factory() as session, session.begin():
        ana = await create_person(session, world.own, "t", roles={Role.STAFF}, name="Ana")
        objective = await structure.add_objective(
            session, world.own, "t", world.own_plan, title="O"
        )
        activity = await structure.add_activity(session, world.own, "t", objective.id, title="A")
        task = await tasks.add_task(
            session, world.own, "t", activity.id, title="Informe", responsible_ids=[ana.id]
        )
        report = await reports.submit_report(session, ana, task.id, status="done", note="Listo")
        people = [
            await validator(session, world.own, name, sector)
            for name, sector in (
                ("Olga", Sector.OSC),
                ("Alma", Sector.ACADEMIA),
                ("Beto", Sector.BUSINESS),
            )
        ]
    return {"task": task.id, "report": report.id, "validators": people}


async def test_a_coordinator_asks_and_reads_requests_with_votes(client, world, reported,
                                                                session_factory):  # fmt: skip
    base = f"/secretariats/{world.own}"
    created = await client.post(
        f"{base}/validations", headers=world.auth("coordinator"), json={"task_id": reported["task"]}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["report_id"], body["state"], len(body["votes"])) == (reported["report"], "open", 3)
    assert {vote["sector"] for vote in body["votes"]} == {"osc", "academia", "business"}
    assert all("Olga" not in str(vote) for vote in body["votes"])

    again = await client.post(
        f"{base}/validations", headers=world.auth("coordinator"),
        json={"report_id": reported["report"]},
    )  # fmt: skip
    assert again.status_code == 409
    assert "ya tiene una solicitud de validación abierta" in again.json()["detail"]
    both = await client.post(
        f"{base}/validations", headers=world.auth("coordinator"),
        json={"report_id": reported["report"], "task_id": reported["task"]},
    )  # fmt: skip
    assert both.status_code == 422

    async with session_factory() as session, session.begin():
        olga = reported["validators"][0]
        alias = await ledger.pseudonym(session, olga.id)
        (assignment_id,) = [v["assignment_id"] for v in body["votes"] if v["validator"] == alias]
        person = await session.get(type(olga), olga.id)
        await cast_vote(session, person, assignment_id, "dispute", comment="No vi nada")
    listed = await client.get(
        f"{base}/validations", headers=world.auth("viewer"), params={"plan_id": world.own_plan}
    )
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    (voted,) = [vote for vote in item["votes"] if vote["choice"]]
    assert (voted["choice"], voted["comment"]) == ("dispute", "No vi nada")
    assert item["tally"]["disputes"] == 1
    states = await client.get(
        f"{base}/plans/{world.own_plan}/task-validations", headers=world.auth("viewer")
    )
    assert states.json() == [
        {"task_id": reported["task"], "request_id": item["id"], "state": "open"}
    ]
    other = await client.get(f"/secretariats/{world.other}/validations",
                             headers=world.auth("coordinator"))  # fmt: skip
    assert other.status_code == 404


async def test_a_request_whose_quorum_cannot_be_reached_is_refused(client, world, reported,
                                                                 session_factory):  # fmt: skip
    """With Olga alone to ask, the default policy's two confirmations from two sectors could
    never be reached: nobody is asked and the answer says who can be and what is needed."""
    async with session_factory() as session, session.begin():
        for person in reported["validators"][1:]:
            await pause_validator(session, await session.get(type(person), person.id))
    refused = await client.post(
        f"/secretariats/{world.own}/validations", headers=world.auth("coordinator"),
        json={"report_id": reported["report"]},
    )  # fmt: skip
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"] == (
        "Solo se le puede pedir la validación a 1 persona de 1 sector, y la política de "
        "validación pide 2 confirmaciones de 2 sectores."
    )
    listed = await client.get(f"/secretariats/{world.own}/validations",
                              headers=world.auth("viewer"))  # fmt: skip
    assert listed.json()["items"] == []


async def test_a_plan_policy_is_read_and_changed(client, world):
    url = f"/secretariats/{world.own}/plans/{world.own_plan}/validation-policy"
    assert (await client.get(url, headers=world.auth("viewer"))).json()[
        "validators_per_request"
    ] == 3
    changes = {"validators_per_request": 5, "auto_request_on_done": True}
    changed = await client.put(url, headers=world.auth("coordinator"), json=changes)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["validators_per_request"], changed.json()["min_confirmations"]) == (5, 2)
    refused = await client.put(url, headers=world.auth("coordinator"),
                               json={"validators_per_request": 1})  # fmt: skip
    assert refused.status_code == 422
    assert (await client.put(url, headers=world.auth("viewer"), json={})).status_code == 403


async def test_the_public_ledger_needs_no_token_and_verifies(client, world, reported):
    await client.post(
        f"/secretariats/{world.own}/validations",
        headers=world.auth("coordinator"),
        json={"report_id": reported["report"]},
    )
    response = await client.get("/public/ledger")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.text.splitlines(keepends=True)
    report = ledger.verify_lines(lines)
    assert report.ok, report.describe()
    head = (await client.get("/public/ledger/head")).json()
    assert (head["seq"], head["hash"]) == (report.events, report.head)
    for private in ("Ana", "Olga", "Alma", "Beto", "@example.org"):
        assert private not in response.text
    of_plan = await client.get("/public/ledger", params={"plan_id": world.own_plan})
    assert ledger.verify_lines(of_plan.text.splitlines()).ok
    assert '"reduced":true' in of_plan.text
