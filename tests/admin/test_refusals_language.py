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
