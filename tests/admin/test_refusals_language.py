"""What the API refuses in a request is said in the reader's language, with the limits that
apply, never in the framework's English words when Spanish was asked."""

from __future__ import annotations

import pytest

SPANISH = {"Accept-Language": "es-MX"}
ENGLISH = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    ("query", "spanish", "english"),
    [
        ({"limit": "abc"}, "limit debe ser un número entero.", "limit must be a whole number."),
        ({"limit": "0"}, "limit debe ser al menos 1.", "limit must be at least 1."),
        ({"sort": "x" * 300}, "sort puede tener como máximo", "sort may have at most"),
    ],
)
async def test_a_bad_query_is_refused_in_the_readers_language(
    client, world, query, spanish, english
):
    url = f"/secretariats/{world.own}/people"
    for headers, expected in ((SPANISH, spanish), (ENGLISH, english)):
        answer = await client.get(url, params=query, headers={**world.auth("viewer"), **headers})
        assert answer.status_code == 422
        detail = answer.json()["detail"]
        assert detail.startswith(expected), detail
        if headers is SPANISH:
            assert "Input should" not in detail and "should" not in detail


async def test_a_bad_body_names_the_field_and_what_it_must_be(client, world):
    answer = await client.post(
        f"/secretariats/{world.own}/plans",
        json={"year": "dos mil", "title": "Plan"},
        headers={**world.auth("coordinator"), **SPANISH},
    )
    assert answer.status_code == 422
    assert {"field": "year", "detail": "year debe ser un número entero."} in [
        {"field": e["field"], "detail": e["detail"]} for e in answer.json()["errors"]
    ]


@pytest.mark.parametrize(
    ("content", "field", "detail"),
    [
        ({"name": "Ana\x00", "roles": ["staff"]}, "name",
         "name contiene un carácter no permitido (NUL)."),
        ({"name": "", "roles": ["staff"]}, "name", "name debe tener al menos 1 carácter."),
        ({"name": "Ana", "roles": []}, "roles", "roles debe tener al menos 1 elemento."),
        (["Ana"], "body", "El cuerpo de la solicitud debe ser un objeto JSON."),
        (b'{"name": "Ana",', "body",
         "El cuerpo de la solicitud no es JSON válido: el error está en el carácter 16."),
    ],
    ids=["nul", "empty", "no-roles", "array", "malformed"],
)  # fmt: skip
async def test_a_bad_body_is_told_precisely(client, world, content, field, detail):
    sent = {"content": content} if isinstance(content, bytes) else {"json": content}
    answer = await client.post(
        f"/secretariats/{world.own}/people",
        headers={**world.auth("secretariat_admin"), **SPANISH, "Content-Type": "application/json"},
        **sent,
    )
    assert answer.status_code == 422, answer.text
    assert (answer.json()["field"], answer.json()["detail"]) == (field, detail)


async def test_a_number_with_too_many_digits_says_how_many_it_may_have(client, world):
    base = f"/secretariats/{world.own}"
    admin = {**world.auth("coordinator"), **SPANISH}
    plan = await client.post(f"{base}/plans", headers=admin, json={"year": 2030, "title": "P"})
    objective = await client.post(
        f"{base}/plans/{plan.json()['id']}/objectives", headers=admin, json={"title": "O"}
    )
    activity = await client.post(
        f"{base}/objectives/{objective.json()['id']}/activities", headers=admin, json={"title": "A"}
    )
    answer = await client.post(
        f"{base}/activities/{activity.json()['id']}/tasks",
        headers=admin,
        json={"title": "T", "estimated_hours": 1e308},
    )
    assert answer.status_code == 422, answer.text
    assert (answer.json()["field"], answer.json()["detail"]) == (
        "estimated_hours",
        "estimated_hours puede tener como máximo 9 dígitos.",
    )
