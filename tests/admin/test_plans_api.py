"""Plans, objectives, activities, tasks and dependencies through the API."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from admin.app import create_app
from core.audit.actor import Actor
from core.chat.definitions import DefinitionCatalog
from core.infra.settings import Settings
from core.models import Person
from core.people import privacy
from core.people.invitations import JoinLinks


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


async def build_plan(client, base, headers) -> dict:
    """A plan with one objective, one activity, a person and three chained tasks."""
    person = await client.post(
        f"{base}/people",
        headers=headers,
        json={"roles": ["staff"], "name": "Ana", "email": "ana@x.mx"},
    )
    assert person.status_code == 201, person.text
    plan = (
        await client.post(
            f"{base}/plans", headers=headers, json={"year": 2026, "title": "PAT 2026"}
        )
    ).json()
    objective = (
        await client.post(
            f"{base}/plans/{plan['id']}/objectives",
            headers=headers,
            json={"title": "Participación"},
        )
    ).json()
    activity = (
        await client.post(
            f"{base}/objectives/{objective['id']}/activities",
            headers=headers,
            json={"title": "Talleres"},
        )
    ).json()
    tasks = []
    for index, days in enumerate((3, 5, 2)):
        start = date(2026, 2, 2) + timedelta(days=index * 7)
        response = await client.post(
            f"{base}/activities/{activity['id']}/tasks",
            headers=headers,
            json={
                "title": f"Tarea {index + 1}",
                "responsible_ids": [person.json()["id"]],
                "estimated_hours": days * 8,
                "inputs": ["Directorio"],
                "outputs": [f"Entregable {index + 1}"],
                "start_date": start.isoformat(),
                "due_date": (start + timedelta(days=days - 1)).isoformat(),
            },
        )
        assert response.status_code == 201, response.text
        tasks.append(response.json())
    for before, after in ((0, 1), (1, 2)):
        response = await client.post(
            f"{base}/dependencies",
            headers=headers,
            json={"predecessor_id": tasks[before]["id"], "successor_id": tasks[after]["id"]},
        )
        assert response.status_code == 201, response.text
    return {
        "plan": plan,
        "objective": objective,
        "activity": activity,
        "tasks": tasks,
        "person": person.json(),
    }


async def test_a_plan_is_built_listed_and_read(client, world, base):
    admin = world.auth("secretariat_admin")
    built = await build_plan(client, base, admin)
    listed = await client.get(
        f"{base}/plans/{built['plan']['id']}/tasks",
        headers=world.auth("viewer"),
        params={"sort": "-due_date", "limit": 2},
    )
    assert listed.status_code == 200
    page = listed.json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert [item["title"] for item in page["items"]] == ["Tarea 3", "Tarea 2"]
    assert page["items"][0]["responsible_ids"] == [built["person"]["id"]]
    filtered = await client.get(
        f"{base}/plans/{built['plan']['id']}/tasks",
        headers=admin,
        params={"responsible_id": built["person"]["id"], "due_to": "2026-02-13"},
    )
    assert [item["title"] for item in filtered.json()["items"]] == ["Tarea 1", "Tarea 2"]
    deps = await client.get(f"{base}/plans/{built['plan']['id']}/dependencies", headers=admin)
    assert deps.json()["total"] == 2


async def test_a_stale_version_answers_409_and_changes_nothing(client, world, base):
    admin = world.auth("coordinator")
    task = (await build_plan(client, base, world.auth("secretariat_admin")))["tasks"][0]
    first = await client.patch(
        f"{base}/tasks/{task['id']}",
        headers=admin,
        json={"version": task["version"], "status": "in_progress", "percent": 30},
    )
    assert first.status_code == 200 and first.json()["version"] == task["version"] + 1
    stale = await client.patch(
        f"{base}/tasks/{task['id']}",
        headers=admin,
        json={"version": task["version"], "percent": 90},
    )
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    current = await client.get(f"{base}/tasks/{task['id']}", headers=admin)
    assert current.json()["percent"] == 30


async def test_a_change_of_responsibles_moves_the_version_and_a_stale_one_is_refused(
    client, world, base
):
    admin = world.auth("coordinator")
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    task, person = built["tasks"][0], built["person"]
    url = f"{base}/tasks/{task['id']}"
    first = await client.patch(
        url, headers=admin, json={"version": task["version"], "responsible_ids": []}
    )
    assert first.status_code == 200 and first.json()["version"] == task["version"] + 1
    stale = await client.patch(
        url, headers=admin, json={"version": task["version"], "responsible_ids": [person["id"]]}
    )
    assert stale.status_code == 409
    assert (await client.get(url, headers=admin)).json()["responsible_ids"] == []


async def test_someone_who_erased_their_data_is_refused_as_a_responsible(
    client, world, base, session_factory
):
    """Nobody could reach Eva, and the plan's file could name her by no email or handle."""
    admin = world.auth("secretariat_admin")
    built = await build_plan(client, base, admin)
    eva = (
        await client.post(f"{base}/people", headers=admin, json={"roles": ["staff"], "name": "Eva"})
    ).json()["id"]
    async with session_factory() as session, session.begin():
        person = await session.get_one(Person, eva)
        await privacy.erase_person(session, DefinitionCatalog("test"), person, Actor.system())
    task = built["tasks"][0]
    refusals = [
        await client.post(
            f"{base}/activities/{built['activity']['id']}/tasks",
            headers=admin,
            json={"title": "Otra", "responsible_ids": [eva]},
        ),
        await client.patch(
            f"{base}/tasks/{task['id']}",
            headers=admin,
            json={"version": task["version"], "responsible_ids": [eva]},
        ),
        await client.post(
            f"{base}/plans/{built['plan']['id']}/indicators",
            headers=admin,
            json={
                "name": "OSC",
                "unit": "organizaciones",
                "frequency": "quarterly",
                "responsible_ids": [eva],
            },
        ),
    ]
    for refused in refusals:
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"] == (
            f"La persona {eva} borró sus datos; elige a otra persona responsable."
        )
    listed = await client.get(f"{base}/plans/{built['plan']['id']}/tasks", headers=admin)
    assert [item["title"] for item in listed.json()["items"]] == ["Tarea 1", "Tarea 2", "Tarea 3"]
    assert all(item["responsible_ids"] != [eva] for item in listed.json()["items"])


@pytest.mark.parametrize("kind", ["plans", "objectives", "activities"])
async def test_stale_updates_of_every_level_answer_409(client, world, base, kind):
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    item = built[{"plans": "plan", "objectives": "objective", "activities": "activity"}[kind]]
    url = f"{base}/{kind}/{item['id']}"
    headers = world.auth("coordinator")
    ok = await client.patch(
        url, headers=headers, json={"version": item["version"], "title": "Nuevo"}
    )
    assert ok.status_code == 200 and ok.json()["title"] == "Nuevo"
    stale = await client.patch(
        url, headers=headers, json={"version": item["version"], "title": "X"}
    )
    assert stale.status_code == 409
    deleted_stale = await client.delete(url, headers=headers, params={"version": item["version"]})
    assert deleted_stale.status_code == 409
    deleted = await client.delete(url, headers=headers, params={"version": ok.json()["version"]})
    assert deleted.status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 404


async def test_a_cycle_is_refused_with_the_cycle_named(client, world, base):
    built = await build_plan(client, base, world.auth("secretariat_admin"))
    first, _, last = built["tasks"]
    response = await client.post(
        f"{base}/dependencies",
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
        json={"predecessor_id": last["id"], "successor_id": first["id"]},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "predecessor_id"
    assert f"{last['code']} → {first['code']}" in body["detail"]


async def test_people_filter_paginate_and_sort(client, world, base):
    admin = world.auth("secretariat_admin")
    for name, roles, sector in (
        ("Beatriz", ["civil_society"], "osc"),
        ("Carlos", ["civil_society"], "academia"),
        ("Diana", ["staff"], None),
    ):
        response = await client.post(
            f"{base}/people", headers=admin, json={"name": name, "roles": roles, "sector": sector}
        )
        assert response.status_code == 201
    carlos = next(
        p
        for p in (await client.get(f"{base}/people", headers=admin)).json()["items"]
        if p["name"] == "Carlos"
    )
    await client.patch(f"{base}/people/{carlos['id']}", headers=admin, json={"reachable": False})
    page = (
        await client.get(
            f"{base}/people", headers=admin, params={"role": "civil_society", "sort": "-name"}
        )
    ).json()
    assert [p["name"] for p in page["items"]] == ["Carlos", "Beatriz"]
    osc = (await client.get(f"{base}/people", headers=admin, params={"sector": "osc"})).json()
    assert [p["name"] for p in osc["items"]] == ["Beatriz"]
    unreachable = (
        await client.get(f"{base}/people", headers=admin, params={"reachable": "false"})
    ).json()
    assert [p["name"] for p in unreachable["items"]] == ["Carlos"]
    second = (
        await client.get(
            f"{base}/people", headers=admin, params={"limit": 1, "offset": 1, "sort": "name"}
        )
    ).json()
    assert second["total"] == 3 and [p["name"] for p in second["items"]] == ["Carlos"]
    bad_sort = await client.get(f"{base}/people", headers=admin, params={"sort": "email"})
    assert bad_sort.status_code == 422 and bad_sort.json()["field"] == "sort"


async def test_an_invitation_gives_a_deep_link_and_can_be_revoked(client, world, base, settings):
    admin = world.auth("secretariat_admin")
    created = await client.post(
        f"{base}/invitations", headers=admin, json={"role": "civil_society", "sector": "media"}
    )
    assert created.status_code == 201
    body = created.json()
    assert body["deep_link"] == f"https://t.me/{settings.bot_username}?start={body['code']}"
    revoked = await client.post(f"{base}/invitations/{body['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert "code" not in revoked.json()
    listed = (
        await client.get(f"{base}/invitations", headers=admin, params={"state": "revoked"})
    ).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


@pytest.mark.parametrize("settings", [Settings(emulator_port=8099)])
async def test_without_a_bot_token_the_link_opens_the_local_web_chat(client, world, base):
    created = await client.post(
        f"{base}/invitations",
        headers={**world.auth("secretariat_admin"), "Accept-Language": "en"},
        json={"role": "staff"},
    )
    body = created.json()
    assert body["deep_link"] == f"http://127.0.0.1:8099/?start={body['code']}"
    assert body["deep_link"] in body["how_to_join"]


def test_with_a_token_and_no_username_the_app_needs_links_given():
    with pytest.raises(ValueError, match="INCORRUPTIBLE_BOT_USERNAME"):
        create_app(Settings(bot_token="1:x"))
    given = JoinLinks.telegram("found_by_get_me_bot")
    app = create_app(Settings(bot_token="1:x"), join_links=given)
    assert app.state.join_links.link("c0de") == "https://t.me/found_by_get_me_bot?start=c0de"


async def test_two_simultaneous_updates_from_the_same_version_one_wins(client, world, base):
    """Both may pass the version check before either commits (PostgreSQL reads committed
    data); the versioned UPDATE then refuses the loser, which answers 409 too."""
    task = (await build_plan(client, base, world.auth("secretariat_admin")))["tasks"][0]
    headers = world.auth("coordinator")

    async def change(percent: int):
        return await client.patch(
            f"{base}/tasks/{task['id']}",
            headers=headers,
            json={"version": task["version"], "percent": percent},
        )

    first, second = await asyncio.gather(change(20), change(80))
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    winner = first if first.status_code == 200 else second
    current = (await client.get(f"{base}/tasks/{task['id']}", headers=headers)).json()
    assert current["percent"] == winner.json()["percent"]
    assert current["version"] == task["version"] + 1
