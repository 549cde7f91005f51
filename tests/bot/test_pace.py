"""The outbox's pace is the bot's: workers sharing Redis send no faster together than one."""

from __future__ import annotations

import secrets

from bot.pace import LocalPace, SharedPace, pace_for, per_second
from core.infra.settings import Settings

REDIS = "redis://127.0.0.1:6379/0"


def settings(**values: object) -> Settings:
    return Settings(send_rate_global=5, send_rate_per_chat=50, **values)  # type: ignore[arg-type]


async def test_two_workers_share_one_window_overall_and_per_chat():
    bot_id = secrets.randbits(40)  # a namespace of this test's own
    first = SharedPace(REDIS, settings(), bot_id)
    second = SharedPace(REDIS, settings(), bot_id)
    for chat in range(5):
        await first.turn(chat)
    # The bot's five messages this second are taken: the other worker must wait too.
    assert not await second.limiter.test(second.overall, second.namespace, "bot")
    other_bot = SharedPace(REDIS, settings(), bot_id + 1)
    assert await other_bot.limiter.test(other_bot.overall, other_bot.namespace, "bot")


async def test_a_worker_without_redis_keeps_the_pace_alone():
    unreachable = SharedPace("redis://127.0.0.1:1/0", settings(), 1)
    await unreachable.turn(7)  # falls back rather than stop sending
    assert isinstance(pace_for(settings(), 1), LocalPace)
    assert isinstance(pace_for(settings(redis_url=REDIS), 1), SharedPace)


def test_rates_below_one_a_second_become_longer_windows():
    assert (per_second(30).amount, per_second(30).multiples) == (30, 1)
    assert (per_second(0.5).amount, per_second(0.5).multiples) == (1, 2)
