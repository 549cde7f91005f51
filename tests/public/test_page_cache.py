"""Kept public pages: many requests at once share one read of the ledger's head, and a change
made before a request is always seen by it."""

from __future__ import annotations

import asyncio
from datetime import date

from fastapi import Request, Response

from core.audit import chain
from core.audit.actor import Actor
from public.page_cache import PageCache
from tests.support.statements import count_statements

TODAY = date(2026, 12, 4)


def _request() -> Request:
    return Request(
        {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}
    )


async def _answer(pages: PageCache, session_factory, built: list[int]) -> Response:
    async def build() -> Response:
        built.append(1)
        return Response(b"page")

    async with session_factory() as session:
        return await pages.respond(_request(), session, TODAY, build)


async def _record(session_factory) -> None:
    async with session_factory() as session, session.begin():
        await chain.record(
            session, actor=Actor.system("test"), action="test.change", entity_type="plan",
            entity_id=1, secretariat_id=None,
        )  # fmt: skip


async def test_requests_at_once_share_a_read_of_the_head(session_factory, engine):
    pages, built = PageCache(), []
    await _answer(pages, session_factory, built)
    with count_statements(engine) as statements:
        answers = await asyncio.gather(*(_answer(pages, session_factory, built) for _ in range(30)))
    assert {answer.body for answer in answers} == {b"page"} and len(built) == 1
    # One read for the first request; those arriving while it runs share the next one (each
    # request read the head itself before: 30 reads).
    assert statements["n"] < 5


async def test_a_change_made_before_a_request_is_seen_by_it(session_factory):
    pages, built = PageCache(), []
    first = await _answer(pages, session_factory, built)
    await _record(session_factory)
    answers = await asyncio.gather(*(_answer(pages, session_factory, built) for _ in range(5)))
    assert len(built) == 2
    assert {answer.headers["ETag"] for answer in answers} != {first.headers["ETag"]}
    assert len({answer.headers["ETag"] for answer in answers}) == 1
