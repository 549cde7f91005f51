"""Another secretariat adopts a published practice into its plan; the practice shows who
adopted it and how far they got."""

from __future__ import annotations

from tests.support.practices import coordinator_of, publish, write


async def test_an_adoption_makes_a_line_of_action_citing_the_practice_and_shows_its_progress(
    client, world, session_factory
):
    practice = await publish(client, session_factory, world.own, world.auth("coordinator"))
    other = await coordinator_of(session_factory, world.other)
    adopt = f"/secretariats/{world.other}/practices/{practice['id']}/adopt"
    made = await client.post(
        adopt, headers={**other, "Accept-Language": "es"}, json={"plan_id": world.other_plan}
    )
    assert made.status_code == 201, made.text
    adopted = made.json()
    assert adopted["activity_id"] is None
    assert adopted["title"] == practice["title"]
    assert f"buena práctica {practice['id']}" in adopted["description"]
    line = await client.get(
        f"/secretariats/{world.other}/objectives/{adopted['objective_id']}", headers=other
    )
    assert line.status_code == 200, line.text
    assert line.json()["description"] == adopted["description"]
    assert line.json()["pna_priorities"] == [practice["pna_priority"]]

    activity = await client.post(
        f"/secretariats/{world.other}/objectives/{adopted['objective_id']}/activities",
        headers=other,
        json={"title": "Acreditar testigos"},
    )
    tasks = [
        await client.post(
            f"/secretariats/{world.other}/activities/{activity.json()['id']}/tasks",
            headers=other,
            json={"title": title, "estimated_hours": 4},
        )
        for title in ("Convocar", "Acreditar")
    ]
    done = await client.patch(
        f"/secretariats/{world.other}/tasks/{tasks[0].json()['id']}",
        headers=other,
        json={"version": 1, "status": "done"},
    )
    assert done.status_code == 200, done.text

    read = await client.get(f"/practices/{practice['id']}", headers=other)
    assert read.status_code == 200, read.text
    [adopter] = read.json()["adopters"]
    assert adopter["secretariat_id"] == world.other
    assert adopter["secretariat_name"] == "Secretaría sesea-zac"
    assert adopter["level"] == "objective"
    assert adopter["reported_percent"] == 50.0
    assert adopter["validated_percent"] == 0.0
    assert (adopter["tasks_total"], adopter["tasks_done"]) == (2, 1)
    own_read = await client.get(
        f"/secretariats/{world.own}/practices/{practice['id']}", headers=world.auth("viewer")
    )
    assert [entry["plan_id"] for entry in own_read.json()["adopters"]] == [world.other_plan]


async def test_a_practice_becomes_an_activity_under_a_line_of_action_of_the_plan(
    client, world, session_factory
):
    practice = await publish(client, session_factory, world.own, world.auth("coordinator"))
    other = await coordinator_of(session_factory, world.other)
    lines = await client.get(
        f"/secretariats/{world.other}/plans/{world.other_plan}/objectives", headers=other
    )
    line_id = lines.json()["items"][0]["id"]
    made = await client.post(
        f"/secretariats/{world.other}/practices/{practice['id']}/adopt",
        headers=other,
        json={"plan_id": world.other_plan, "objective_id": line_id},
    )
    assert made.status_code == 201, made.text
    assert made.json()["objective_id"] == line_id
    assert made.json()["activity_id"] is not None
    read = await client.get(f"/practices/{practice['id']}", headers=other)
    assert read.json()["adopters"][0]["level"] == "activity"


async def test_adopting_ones_own_an_unpublished_or_the_same_practice_twice_is_refused(
    client, world, session_factory
):
    headers = world.auth("coordinator")
    practice = await publish(client, session_factory, world.own, headers)
    own = await client.post(
        f"/secretariats/{world.own}/practices/{practice['id']}/adopt",
        headers={**headers, "Accept-Language": "es"},
        json={"plan_id": world.own_plan},
    )
    assert own.status_code == 422
    assert "propia" in own.json()["detail"]
    other = {**await coordinator_of(session_factory, world.other), "Accept-Language": "es"}
    draft = await write(client, world.own, headers)
    unpublished = await client.post(
        f"/secretariats/{world.other}/practices/{draft['id']}/adopt",
        headers=other,
        json={"plan_id": world.other_plan},
    )
    assert unpublished.status_code == 404
    assert (await client.get(f"/practices/{draft['id']}", headers=other)).status_code == 404
    adopt = f"/secretariats/{world.other}/practices/{practice['id']}/adopt"
    first = await client.post(adopt, headers=other, json={"plan_id": world.other_plan})
    assert first.status_code == 201
    twice = await client.post(adopt, headers=other, json={"plan_id": world.other_plan})
    assert twice.status_code == 409
    detail = twice.json()["detail"]
    assert f"plan {world.other_plan}" in detail and first.json()["code"] in detail
    foreign_plan = await client.post(adopt, headers=other, json={"plan_id": world.own_plan})
    assert foreign_plan.status_code == 404
    viewer = await client.post(
        f"/secretariats/{world.own}/practices/{practice['id']}/adopt",
        headers=world.auth("viewer"),
        json={"plan_id": world.own_plan},
    )
    assert viewer.status_code == 403
