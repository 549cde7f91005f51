"""Every request's id, over HTTP: the caller's when plain, else a new one; answered in
``X-Request-ID`` and on the request's log lines with the caller's token and secretariat."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from incorruptible import logs


@pytest.fixture
def access_lines(http):
    """uvicorn's access lines (silenced by the test server) written as the product's JSON."""
    stream = io.StringIO()
    logger = logging.getLogger("uvicorn.access")
    handler, level = logs.handler("json", stream), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_a_plain_request_id_is_answered_and_names_the_lines_logged(http, world, access_lines):
    response = await http.get(
        "/me", headers={**world.auth("coordinator"), "X-Request-ID": "proxy-7f3a.b_2"}
    )
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "proxy-7f3a.b_2"
    [line] = access_lines()
    assert line["request_id"] == "proxy-7f3a.b_2"
    assert line["token_id"] == response.json()["token_id"]
    assert line["secretariat_id"] == world.own
    assert "Bearer" not in json.dumps(line)


@pytest.mark.parametrize(
    "given", ["x" * 65, "two words", 'a"quote', "../path", "line\tbreak"], ids=repr
)
async def test_a_request_id_that_is_long_or_odd_is_replaced(http, world, given, access_lines):
    response = await http.get("/me", headers={"X-Request-ID": given})
    assert response.status_code == 401
    answered = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", answered)
    [line] = access_lines()
    assert line["request_id"] == answered
    assert "token_id" not in line


async def test_without_a_request_id_each_request_gets_a_new_one(http, world):
    first, second = [(await http.get("/health")).headers["X-Request-ID"] for _ in range(2)]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
