"""Smaller defects of the admin API: an unexpected failure answers a problem+json 500 and keeps
the connection; a NUL in a search is refused instead of matching every row; a boolean is never
taken for a number; a token asked for without its secretariat is refused precisely."""

from __future__ import annotations

import pytest

from core.plans import plans

PROBLEM = "application/problem+json"


async def test_an_unexpected_failure_answers_a_problem_and_keeps_the_connection(
    http, world, monkeypatch
):
    async def broken(*_args, **_kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(plans, "list_plans", broken)
    url = f"/secretariats/{world.own}/plans"
    failed = await http.get(url, headers={**world.auth("viewer"), "Accept-Language": "en"})
    assert failed.status_code == 500
    assert failed.headers["content-type"] == PROBLEM
    assert failed.json()["detail"] == "Something went wrong on our side; try again later."
    assert "a defect" not in failed.text
    connections = list(http._transport._pool.connections)
    again = await http.get("/me", headers=world.auth("viewer"))
    assert again.status_code == 200
    assert list(http._transport._pool.connections) == connections


@pytest.mark.parametrize("path", ["plans/{plan}/tasks", "people"])
async def test_a_nul_in_a_search_is_refused(http, world, path):
    url = f"/secretariats/{world.own}/" + path.format(plan=world.own_plan)
    response = await http.get(
        url, params={"q": "a\x00b"}, headers={**world.auth("viewer"), "Accept-Language": "en"}
    )
    assert response.status_code == 422, response.text
    assert response.json() | {"field": "q"} == response.json()
    assert "NUL" in response.json()["detail"]


async def test_wildcards_in_a_search_are_taken_literally(http, world):
    response = await http.get(
        f"/secretariats/{world.own}/people", params={"q": "%"}, headers=world.auth("viewer")
    )
    assert response.status_code == 200
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/tokens", {"role": "viewer", "secretariat_id": "own", "days": True}, "days"),
        ("invitations", {"role": "staff", "ttl_days": True}, "ttl_days"),
        ("plans", {"year": 2026, "title": "Plan"} | {"year": True}, "year"),
        ("reminder-rules", {"kind": "overdue", "days": True}, "days"),
        ("dependencies", {"predecessor_id": True, "successor_id": 2}, "predecessor_id"),
    ],
)
async def test_a_boolean_is_never_taken_for_a_number(http, world, path, body, field):
    body = {key: world.own if value == "own" else value for key, value in body.items()}
    urls = {
        "invitations": f"/secretariats/{world.own}/invitations",
        "plans": f"/secretariats/{world.own}/plans",
        "reminder-rules": f"/secretariats/{world.own}/plans/{world.own_plan}/reminder-rules",
        "dependencies": f"/secretariats/{world.own}/dependencies",
    }
    response = await http.post(
        urls.get(path, path), json=body, headers=world.auth("secretariat_admin")
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


async def test_a_token_without_its_secretariat_is_refused_precisely(http, world):
    response = await http.post(
        "/tokens",
        json={"role": "coordinator"},
        headers={**world.auth("secretariat_admin"), "Accept-Language": "en"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "secretariat_id"
    assert response.json()["detail"] == "This role needs a secretariat."
    assert "None" not in response.text
