"""Several processes, one truth: three bot webhook processes and two workers on one PostgreSQL,
Redis sharing the workers' pace, every update delivered twice by the emulator, and one bot
process and one worker killed in the middle."""

from __future__ import annotations

import asyncio

from tests.support import scale_out

PEOPLE = 24


async def test_three_webhook_processes_and_two_workers_lose_nothing_and_repeat_nothing(
    postgres_db_url, tmp_path
):
    async with scale_out.deployment(postgres_db_url, tmp_path) as shape:
        users = await scale_out.prepare(shape, PEOPLE)
        redis = "redis://127.0.0.1:6379/0"
        await asyncio.gather(*(shape.start_bot() for _ in range(3)))
        await asyncio.gather(*(shape.start_worker(redis_url=redis) for _ in range(2)))
        await shape.client.set_redelivery(True)  # every update comes twice

        progress = scale_out.Progress()
        people = asyncio.gather(
            *(scale_out.answer_survey(user, n, progress) for n, user in enumerate(users))
        )
        await progress.reached(PEOPLE * scale_out.QUESTIONS * 0.4)
        shape.bots[0].kill()  # SIGKILL: no goodbye, whatever it was handling is cut off
        shape.workers[0].kill()
        await people
        outcome = await scale_out.settled(shape, users)

    assert outcome.answers_kept == PEOPLE
    assert outcome.updates == PEOPLE * scale_out.QUESTIONS
    assert outcome.updates_handled == outcome.updates
    assert outcome.unfinished_updates == 0
    assert outcome.pending_deliveries == 0
    assert outcome.questions_twice == 0
    # A notice whose send the killed worker had started may or may not have arrived: it is
    # never sent again, and it is listed for someone to check.
    assert outcome.notices_twice == 0
    assert outcome.notices_out_of_order == 0
    expected = PEOPLE * scale_out.NOTICES
    assert expected - outcome.notices_may_have_arrived <= outcome.notices_arrived <= expected
