"""Whose an update is: the process that took it while it lives, then whichever takes it over."""

from __future__ import annotations

import asyncio

from core.chat import updates
from core.chat.updates import Claim
from core.infra import liveness

BOT = 777


async def claim(
    session_factory, handler: liveness.Process, update_id: int = 1, patience: float = 0
) -> Claim:
    async with session_factory() as session:
        taken = await updates.claim(session, BOT, update_id, handler, patience=patience)
        if session.in_transaction():
            await session.commit()  # as a handler does before it replies
        return taken


async def test_an_update_is_its_handlers_while_it_lives_then_anothers(engine, session_factory):
    async with liveness.alive(engine) as first:
        assert await claim(session_factory, first) is Claim.NEW
        assert await claim(session_factory, first) is Claim.SEEN  # a copy, while it is handled
        async with liveness.alive(engine) as second:
            # On PostgreSQL the first process is seen alive; SQLite has only one process.
            alive = Claim.SEEN if engine.dialect.name == "postgresql" else Claim.ABANDONED
            assert await claim(session_factory, second) is alive
    async with liveness.alive(engine) as third:
        assert await claim(session_factory, third) is Claim.ABANDONED
        assert await claim(session_factory, third) is Claim.SEEN  # taken over once


async def test_a_copy_waits_for_a_handler_that_is_going_away(engine, session_factory):
    """A process killed a moment ago still holds its lock until the database notices: the copy
    that meets its update waits, and takes the update over once the process is gone."""
    first = liveness.alive(engine)
    assert await claim(session_factory, await first.__aenter__(), 5) is Claim.NEW
    async with liveness.alive(engine) as second:
        waiting = asyncio.create_task(claim(session_factory, second, 5, patience=10))
        await asyncio.sleep(0.5)
        await first.__aexit__(None, None, None)
        assert await asyncio.wait_for(waiting, 5) is Claim.ABANDONED


async def test_a_finished_update_is_never_taken_again(engine, session_factory):
    async with liveness.alive(engine) as first:
        assert await claim(session_factory, first, 2) is Claim.NEW
        async with session_factory() as session, session.begin():
            await updates.finish(session, BOT, 2)
    async with liveness.alive(engine) as later:
        assert await claim(session_factory, later, 2) is Claim.SEEN


async def test_a_failed_update_is_closed_whether_it_was_claimed_or_not(engine, session_factory):
    async with liveness.alive(engine) as process:
        assert await claim(session_factory, process, 3) is Claim.NEW
        async with session_factory() as session:
            await updates.close(session, BOT, 3)  # claimed, committed, then failed
            await updates.close(session, BOT, 4)  # failed before anything was committed
    async with liveness.alive(engine) as later:
        assert await claim(session_factory, later, 3) is Claim.SEEN
        assert await claim(session_factory, later, 4) is Claim.SEEN
