"""Work on a timer: a failed round is logged and the next one runs; cancellation stops it."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.exc import OperationalError

from core.infra.periodic import every


async def test_a_failed_round_is_logged_and_the_next_round_runs(caplog):
    rounds: list[int] = []
    again = asyncio.Event()

    async def job() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise OperationalError("SELECT 1", {}, ConnectionError("database away"))
        again.set()

    with caplog.at_level(logging.ERROR, logger="core.infra.periodic"):
        running = asyncio.create_task(every(0.01, job, what="counting rounds"))
        await asyncio.wait_for(again.wait(), timeout=5)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
    assert len(rounds) >= 2
    (failure,) = caplog.records
    assert failure.getMessage() == "counting rounds failed; trying again in 0.01 s"
    assert "database away" in caplog.text


@pytest.mark.parametrize("in_a_round", [True, False], ids=["in a round", "between rounds"])
async def test_cancellation_stops_the_loop_without_logging_a_failure(caplog, in_a_round):
    started = asyncio.Event()

    async def job() -> None:
        started.set()
        if in_a_round:
            await asyncio.sleep(60)

    with caplog.at_level(logging.ERROR, logger="core.infra.periodic"):
        running = asyncio.create_task(every(60, job, what="waiting"))
        await asyncio.wait_for(started.wait(), timeout=5)
        await asyncio.sleep(0)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
    assert running.cancelled()
    assert caplog.records == []
