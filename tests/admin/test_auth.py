"""Bearer tokens, roles, tenant scoping and problem+json errors, over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.models import ApiToken, utcnow
from core.people import tokens


async def test_without_a_token_the_answer_is_401_problem(client, world):
    response = await client.get(f"/secretariats/{world.own}/plans")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401 and body["title"] and body["detail"]


async def test_an_unknown_token_is_refused(client, world):
    response = await client.get("/me", headers={"Authorization": "Bearer inc_nope"})
    assert response.status_code == 401


async def test_an_expired_or_revoked_token_is_refused(client, world, session_factory):
    viewer = world.auth("viewer")
    assert (await client.get("/me", headers=viewer)).status_code == 200
    async with session_factory() as session, session.begin():
        await session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = await client.get("/me", headers={**viewer, "Accept-Language": "en"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


async def test_only_the_hash_of_a_token_is_stored(session_factory, world):
    async with session_factory() as session, session.begin():
        issued = await tokens.issue_token(session, "test", role="viewer", secretariat_id=world.own)
        stored = await session.scalar(select(ApiToken).where(ApiToken.id == issued.token.id))
    assert stored.token_hash == tokens.hash_secret(issued.secret)
    assert issued.secret not in stored.token_hash


async def test_issue_use_and_revoke_a_token_through_the_api(client, world):
    admin = world.auth("secretariat_admin")
    created = await client.post(
        "/tokens", headers=admin, json={"role": "viewer", "secretariat_id": world.own}
    )
    assert created.status_code == 201
    new = {"Authorization": f"Bearer {created.json()['token']}"}
    me = (await client.get("/me", headers=new)).json()
    assert me == {"token_id": created.json()["id"], "role": "viewer", "secretariat_id": world.own}
    listed = (await client.get("/tokens", headers=admin)).json()
    assert "token" not in listed["items"][0]
    assert {item["secretariat_id"] for item in listed["items"]} == {world.own}
    revoked = await client.post(f"/tokens/{me['token_id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await client.get("/me", headers=new)).status_code == 401


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"role": "national_admin"}, 403),
        ({"role": "viewer", "secretariat_id": 2}, 404),
    ],
)
async def test_a_secretariat_admin_cannot_issue_beyond_its_secretariat(client, world, body, status):
    if "secretariat_id" in body:
        body["secretariat_id"] = world.other
    response = await client.post("/tokens", headers=world.auth("secretariat_admin"), json=body)
    assert response.status_code == status


async def test_another_secretariats_ids_answer_404_like_missing_ones(client, world):
    coordinator = world.auth("coordinator")
    other_plan = await client.get(
        f"/secretariats/{world.own}/plans/{world.other_plan}", headers=coordinator
    )
    missing_plan = await client.get(f"/secretariats/{world.own}/plans/99999", headers=coordinator)
    assert other_plan.status_code == missing_plan.status_code == 404
    other_secretariat = await client.get(f"/secretariats/{world.other}", headers=coordinator)
    assert other_secretariat.status_code == 404
    national = await client.get(
        f"/secretariats/{world.other}/plans/{world.other_plan}",
        headers=world.auth("national_admin"),
    )
    assert national.status_code == 200


async def test_errors_speak_english_when_asked(client, world):
    headers = {**world.auth("coordinator"), "Accept-Language": "en-US,en;q=0.9"}
    response = await client.post(
        f"/secretariats/{world.own}/plans",
        headers=headers,
        json={"year": 2026, "title": "Plan anual"},
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "A plan with that title already exists for 2026."


async def test_validation_errors_name_the_field(client, world):
    response = await client.post(
        f"/secretariats/{world.own}/plans",
        headers=world.auth("coordinator"),
        json={"year": 1999, "title": "x"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "year"
    broken = await client.post(
        f"/secretariats/{world.own}/plans",
        headers={**world.auth("coordinator"), "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert broken.status_code == 422
