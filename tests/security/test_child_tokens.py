"""A token issued through ``POST /tokens`` never outlives the token that issued it, and
revoking a token revokes every token it issued, down the generations, in one transaction with
each revocation in the audit chain. Before, a child asked for 730 days outlived a parent of 90,
and stayed valid after the parent was revoked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.models import AuditEvent


def bearer(issued: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {issued['token']}"}


async def issue(http, headers: dict[str, str], **body) -> dict:
    response = await http.post("/tokens", headers=headers, json={"days": 730, **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_child_token_expires_no_later_than_its_parent(http, world):
    parent = (await http.get("/me", headers=world.auth("secretariat_admin"))).json()
    listed = (await http.get("/tokens", headers=world.auth("national_admin"))).json()["items"]
    parent_expiry = next(t["expires_at"] for t in listed if t["id"] == parent["token_id"])
    child = await issue(
        http, world.auth("secretariat_admin"), role="coordinator", secretariat_id=world.own
    )
    assert child["parent_id"] == parent["token_id"]
    assert datetime.fromisoformat(child["expires_at"]) == datetime.fromisoformat(parent_expiry)


async def test_revoking_a_token_revokes_its_children_and_theirs(http, world, session_factory):
    national = world.auth("national_admin")
    child = await issue(http, national, role="secretariat_admin", secretariat_id=world.own)
    grandchild = await issue(http, bearer(child), role="coordinator", secretariat_id=world.own)
    second = await issue(http, bearer(child), role="viewer", secretariat_id=world.own)
    sibling = await issue(http, national, role="viewer", secretariat_id=world.own)
    assert (grandchild["parent_id"], second["parent_id"]) == (child["id"], child["id"])
    for token in (child, grandchild, second):
        assert (await http.get("/me", headers=bearer(token))).status_code == 200

    revoked = await http.post(f"/tokens/{child['id']}/revoke", headers=national)
    assert revoked.status_code == 200, revoked.text

    for token in (child, grandchild, second):
        assert (await http.get("/me", headers=bearer(token))).status_code == 401
    assert (await http.get("/me", headers=bearer(sibling))).status_code == 200
    async with session_factory() as session:
        events = (
            await session.execute(
                select(AuditEvent.entity_id, AuditEvent.data).where(
                    AuditEvent.action == "token.revoke"
                )
            )
        ).all()
    assert sorted(entity for entity, _data in events) == sorted(
        [child["id"], grandchild["id"], second["id"]]
    )
    assert all(
        (data or {}).get("revoked_with") == child["id"]
        for entity, data in events
        if entity != child["id"]
    )


async def test_a_grandchild_is_revoked_with_its_grandparent(http, world):
    national = world.auth("national_admin")
    child = await issue(http, national, role="secretariat_admin", secretariat_id=world.own)
    grandchild = await issue(
        http, bearer(child), role="secretariat_admin", secretariat_id=world.own
    )
    great = await issue(http, bearer(grandchild), role="viewer", secretariat_id=world.own)
    assert great["parent_id"] == grandchild["id"]
    me = (await http.get("/me", headers=national)).json()
    revoked = await http.post(f"/tokens/{me['token_id']}/revoke", headers=national)
    assert revoked.status_code == 200
    for token in (child, grandchild, great):
        assert (await http.get("/me", headers=bearer(token))).status_code == 401
