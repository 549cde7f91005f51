"""The webhook app's probes over real HTTP, the bot on the emulator: ``/ready`` adds the Bot
API to the shared checks, and ``/metrics`` counts the updates handled, those delivered again and
those that failed."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
from aiohttp import web

from bot.runner import WEBHOOK_PATH, create_webhook_app, prepare
from core.infra.settings import Settings
from core.models import utcnow
from core.notify import outbox
from emulator.limits import RateLimits
from tests.support import factories, probes
from tests.support.network import free_port
from tests.support.telegram import aiogram_bot, emulated

SECRET = "s3cret-token_1-long-enough-to-be-unguessable"
CHECKS = ["database", "migrations", "outbox", "bot_api"]


@contextlib.asynccontextmanager
async def webhook(bot, session_factory) -> AsyncIterator[str]:
    """The webhook app of ``bot`` on a loopback port: its base URL."""
    bot, dispatcher = prepare(Settings(), session_factory, bot)
    runner = web.AppRunner(create_webhook_app(bot, dispatcher, SECRET))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_the_webhook_is_ready_and_counts_updates_by_outcome(migrated):
    async with (
        emulated(RateLimits(enabled=False)) as telegram,
        webhook(telegram.bot, migrated) as url,
    ):
        await telegram.bot.set_webhook(f"{url}{WEBHOOK_PATH}", secret_token=SECRET)
        health = await probes.health(url)
        readiness = await probes.ready(url)
        before = await probes.scrape(url)

        ana = await telegram.people.user("Ana", language_code="es")
        await ana.send("/ayuda")
        await ana.next_message()
        # An update Telegram delivers twice: answered once, then recognised.
        again = {
            "update_id": 10**6,
            "message": {
                "message_id": 10**6,
                "date": 0,
                "chat": {"id": ana.id, "type": "private"},
                "from": ana.data,
                "text": "/ayuda",
            },
        }
        async with aiohttp.ClientSession() as http:
            for _ in range(2):
                secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                async with http.post(f"{url}{WEBHOOK_PATH}", json=again, headers=secret) as answer:
                    assert answer.status == 200
        await ana.next_message()
        # Telegram fails the reply: the update failed, and Ana is asked to send it again.
        await telegram.people.set_faults(failures=1, status=502, methods=["sendMessage"])
        await ana.send("/ayuda")
        await ana.next_message()
        after = await probes.scrape(url)
        await telegram.bot.delete_webhook()

    def grown(name: str, **labels: str) -> float:
        return after.value(name, **labels) - before.value(name, **labels)

    assert health == (200, {"status": "ok"})
    assert readiness == (200, dict.fromkeys(CHECKS))
    assert grown("incorruptible_updates_total", kind="message", outcome="handled") == 2
    assert grown("incorruptible_updates_total", kind="message", outcome="duplicate") == 1
    assert grown("incorruptible_updates_total", kind="message", outcome="failed") == 1
    assert grown("incorruptible_update_seconds_count", kind="message") == 3
    assert after.value("incorruptible_db_pool_size", pool="main") >= 1


async def test_the_webhook_is_not_ready_while_the_outbox_waits(migrated):
    async with migrated() as session, session.begin():
        secretariat = await factories.secretariat(session)
        person = await factories.staff(session, secretariat.id)
        await outbox.enqueue(
            session, person=person, kind="reminder", key="k", text="Hola",
            scheduled_at=utcnow() - timedelta(hours=1),
        )  # fmt: skip
    async with (
        emulated(RateLimits(enabled=False)) as telegram,
        webhook(telegram.bot, migrated) as url,
    ):
        status, problems = await probes.ready(url)
        scraped = await probes.scrape(url)
    assert status == 503
    assert list(problems) == CHECKS
    assert {name for name, problem in problems.items() if problem} == {"outbox"}
    assert scraped.value("incorruptible_outbox_notifications", state="pending") == 1
    assert scraped.value("incorruptible_outbox_oldest_due_seconds") >= 3600


async def test_the_webhook_is_not_ready_when_the_bot_api_does_not_answer(migrated):
    bot = aiogram_bot("http://127.0.0.1:1")
    try:
        async with webhook(bot, migrated) as url:
            status, problems = await probes.ready(url)
    finally:
        await bot.session.close()
    assert status == 503
    assert {name for name, problem in problems.items() if problem} == {"bot_api"}
    assert problems["bot_api"].startswith("getMe failed")
