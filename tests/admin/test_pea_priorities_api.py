"""A secretariat's PEA priorities mapped to the national policy, and the lines of action citing
them, through the API."""

from __future__ import annotations

from sqlalchemy import select

from core.models import AuditEvent


async def test_a_pea_priority_is_added_changed_listed_and_deleted_in_the_audit_chain(
    client, world, session_factory
):
    base = f"/secretariats/{world.own}/pea-priorities"
    headers = world.auth("coordinator")
    made = await client.post(
        base,
        headers=headers,
        json={"code": "P3", "title": "Contrataciones", "pna_priorities": [27, 21, 27]},
    )
    assert made.status_code == 201, made.text
    assert made.json()["pna_priorities"] == [21, 27]
    item = f"{base}/{made.json()['id']}"
    changed = await client.patch(item, headers=headers, json={"version": 1, "pna_priorities": [28]})
    assert changed.status_code == 200, changed.text
    listed = await client.get(base, headers=world.auth("viewer"))
    assert [entry["code"] for entry in listed.json()["items"]] == ["P3"]
    assert (await client.delete(item, headers=headers, params={"version": 2})).status_code == 204
    assert (await client.get(item, headers=headers)).status_code == 404
    async with session_factory() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.entity_type == "pea_priority")
            )
        )
    assert actions == ["pea_priority.create", "pea_priority.update", "pea_priority.delete"]


async def test_a_priority_outside_the_forty_or_a_taken_code_is_refused_in_the_callers_language(
    client, world
):
    base = f"/secretariats/{world.own}/pea-priorities"
    headers = {**world.auth("coordinator"), "Accept-Language": "es"}
    outside = await client.post(
        base, headers=headers, json={"code": "P1", "title": "X", "pna_priorities": [41]}
    )
    assert outside.status_code == 422
    assert (
        await client.post(base, headers=headers, json={"code": "P1", "title": "X"})
    ).status_code == 201
    taken = await client.post(base, headers=headers, json={"code": "P1", "title": "Y"})
    assert taken.status_code == 409
    assert "P1" in taken.json()["detail"] and "ya" in taken.json()["detail"]


async def test_a_line_of_action_names_national_priorities_or_leaves_them_to_its_pea_priority(
    client, world
):
    base = f"/secretariats/{world.own}"
    headers = world.auth("coordinator")
    await client.post(
        f"{base}/pea-priorities",
        headers=headers,
        json={"code": "P12", "title": "Participación", "pna_priorities": [31]},
    )
    plan = f"{base}/plans/{world.own_plan}/objectives"
    own = await client.post(
        plan,
        headers=headers,
        json={"title": "A", "pea_priority": "P12", "pna_priorities": [32, 31]},
    )
    assert own.status_code == 201, own.text
    assert own.json()["pna_priorities"] == [31, 32]
    left = await client.post(plan, headers=headers, json={"title": "B", "pea_priority": "P12"})
    assert left.json()["pna_priorities"] is None
    wrong = await client.patch(
        f"{base}/objectives/{left.json()['id']}",
        headers=headers,
        json={"version": 1, "pna_priorities": [0]},
    )
    assert wrong.status_code == 422
