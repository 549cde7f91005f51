"""Searching published practices of every secretariat, in Spanish, on both databases."""

from __future__ import annotations

from sqlalchemy import update

from core.models import Secretariat
from tests.support.practices import confirm, coordinator_of, publish, validators_in, write


async def _published_pair(client, world, session_factory) -> tuple[dict, dict]:
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Secretariat).where(Secretariat.id == world.other).values(state="Zacatecas")
        )
    headers = world.auth("coordinator")
    procurement = await publish(client, session_factory, world.own, headers)
    portal = await publish(
        client, session_factory, world.own, headers,
        title="Portal de datos abiertos", problem="La información era opaca.",
        actions="Se publicó un portal transparente.", results="Más consultas ciudadanas.",
        pna_priority=31, theme="open_data",
    )  # fmt: skip
    return procurement, portal


async def _search(client, world, **params) -> list[int]:
    found = await client.get("/practices", headers=world.auth("viewer"), params=params)
    assert found.status_code == 200, found.text
    return [item["id"] for item in found.json()["items"]]


async def test_words_are_found_by_their_stem_whatever_their_accents_or_case(
    client, world, session_factory
):
    procurement, portal = await _published_pair(client, world, session_factory)
    assert await _search(client, world, q="contratacion") == [procurement["id"]]
    assert await _search(client, world, q="CONTRATACIÓN PÚBLICA") == [procurement["id"]]
    assert await _search(client, world, q="Licitación") == [procurement["id"]]
    assert await _search(client, world, q="transparencia") == [portal["id"]]
    assert await _search(client, world, q="informacion opaca") == [portal["id"]]
    assert await _search(client, world, q="contratacion opaca") == []
    assert set(await _search(client, world)) == {procurement["id"], portal["id"]}


async def test_only_published_practices_are_found_and_an_edit_is_searched_at_once(
    client, world, session_factory
):
    headers = world.auth("coordinator")
    draft = await write(client, world.own, headers, title="Rendición de cuentas en obra")
    assert await _search(client, world, q="rendicion") == []
    item = f"/secretariats/{world.own}/practices/{draft['id']}"
    edited = await client.patch(
        item, headers=headers, json={"version": 1, "title": "Comités de contraloría social"}
    )
    assert edited.status_code == 200
    async with session_factory() as session, session.begin():
        await validators_in(session, world.own)
    await client.post(f"{item}/submit", headers=headers, json={"version": 2})
    async with session_factory() as session, session.begin():
        await confirm(session, draft["id"])
    published = await client.post(f"{item}/publish", headers=headers, json={"version": 4})
    assert published.status_code == 200
    assert await _search(client, world, q="comite contralorias") == [draft["id"]]
    assert await _search(client, world, q="rendicion") == []
    withdrawn = await client.post(f"{item}/withdraw", headers=headers, json={"version": 5})
    assert withdrawn.status_code == 200
    assert await _search(client, world, q="contraloria") == []


async def test_filters_by_priority_state_and_theme(client, world, session_factory):
    procurement, portal = await _published_pair(client, world, session_factory)
    other = await publish(
        client, session_factory, world.other, await _other(session_factory, world)
    )
    assert await _search(client, world, priority=31) == [portal["id"]]
    assert await _search(client, world, theme="procurement", q="testigos") == [
        other["id"],
        procurement["id"],
    ]
    assert await _search(client, world, state="zacatecas") == [other["id"]]
    assert await _search(client, world, state="Atlántida") == []
    unknown = await client.get(
        "/practices", headers=world.auth("viewer"), params={"theme": "astrology"}
    )
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert (
        await client.get("/practices", headers=world.auth("viewer"), params={"priority": 41})
    ).status_code == 422


async def test_any_query_answers_without_error_and_unmatched_ones_find_nothing(
    http, world, session_factory
):
    await publish(http, session_factory, world.own, world.auth("coordinator"))
    for query in (
        "contratación " * 770,
        "x" * 10_000,
        "Прозрачность закупок",
        "🙂🔥💰",
        '"AND" OR NOT * ( ) : ^ -',
        "de la",
        "   ",
    ):
        found = await http.get("/practices", headers=world.auth("viewer"), params={"q": query})
        assert found.status_code == 200, (query[:20], found.text)
        if query.strip() and not query.startswith("contrat"):
            assert found.json()["items"] == [], query[:20]
    unauthenticated = await http.get("/practices", params={"q": "contratacion"})
    assert unauthenticated.status_code == 401


async def _other(session_factory, world) -> dict[str, str]:
    return await coordinator_of(session_factory, world.other)
