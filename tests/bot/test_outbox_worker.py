"""The outbox worker against the emulator: exactly once through 429s, 5xx, blocks and restarts."""

import asyncio
import io
import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.outbox import OutboxWorker
from core.infra.settings import Settings
from core.models import Notification, NotificationState, Role
from core.notify import outbox
from core.people.people import create_person
from emulator.limits import RateLimits
from incorruptible import logs
from tests.support import factories
from tests.support.clock import SkippableClock
from tests.support.telegram import emulated

SETTINGS = Settings(send_rate_global=200, send_rate_per_chat=50)


async def people_in_chat(session, telegram, count):
    users = [await telegram.people.user(f"Persona {n}") for n in range(count)]
    async with session.begin():
        sec = await factories.secretariat(session)
        people = [
            await create_person(
                session, sec.id, "t", roles={Role.STAFF}, name=f"P{n}", telegram_id=user.id
            )
            for n, user in enumerate(users)
        ]
        coordinator_user = await telegram.people.user("Coordinación")
        await create_person(session, sec.id, "t", roles={Role.COORDINATOR}, name="Coord",
                            telegram_id=coordinator_user.id)  # fmt: skip
    return users, people, coordinator_user


async def enqueue_each(session, people, per_person=1):
    async with session.begin():
        for person in people:
            for number in range(per_person):
                await outbox.enqueue(
                    session, person=person, kind="reminder", key=f"r:{person.id}:{number}",
                    text=f"Recordatorio {number} para {person.name}",
                )  # fmt: skip


async def drain(worker, clock, rounds=30):
    for _ in range(rounds):
        await worker.run_once()
        clock.skip(timedelta(minutes=10))  # retries with backoff become due
        states = await outbox_states(worker.session_factory)
        if states[NotificationState.PENDING] == states[NotificationState.SENDING] == 0:
            return
    pytest.fail(f"outbox not drained: {states}")


async def outbox_states(session_factory):
    async with session_factory() as session:
        return await outbox.counts(session)


async def received(users, people_client):
    return {
        user.id: [m["text"] for m in await user.messages() if m["from"]["is_bot"]] for user in users
    }


async def test_every_notification_arrives_once_through_429s_and_server_errors(
    session, session_factory
):
    async with emulated(RateLimits(enabled=False)) as telegram:
        users, people, _ = await people_in_chat(session, telegram, 6)
        await enqueue_each(session, people, per_person=3)
        await telegram.people.set_faults(failures=4, status=429, retry_after=1)
        clock = SkippableClock()
        worker = OutboxWorker(telegram.bot, session_factory, SETTINGS, clock=clock, batch_size=5)
        await worker.run_once()
        await telegram.people.set_faults(failures=5, status=502)
        await drain(worker, clock)
        inboxes = await received(users, telegram.people)
    for user, person in zip(users, people, strict=True):
        assert sorted(inboxes[user.id]) == [
            f"Recordatorio {n} para {person.name}" for n in range(3)
        ]
    states = await outbox_states(session_factory)
    assert states[NotificationState.SENT] == 18


async def test_a_worker_stopped_mid_batch_and_restarted_sends_nothing_twice(
    session, session_factory
):
    async with emulated(RateLimits(enabled=False)) as telegram:
        users, people, _ = await people_in_chat(session, telegram, 10)
        await enqueue_each(session, people, per_person=2)
        # Five sends a second (after a burst of five), so the stop falls in the middle.
        await telegram.people.set_faults(delay=0.05, delayed_calls=1000)
        clock = SkippableClock()
        slow = Settings(send_rate_global=5, send_rate_per_chat=50)
        first = OutboxWorker(telegram.bot, session_factory, slow, clock=clock, batch_size=20)
        running = asyncio.create_task(first.run())
        await asyncio.sleep(0.3)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        sent_before = (await outbox_states(session_factory))[NotificationState.SENT]
        assert 0 < sent_before < 20
        # The restarted worker finds the rest once the stopped worker's lease expires.
        clock.skip(outbox.LEASE + timedelta(seconds=1))
        second = OutboxWorker(telegram.bot, session_factory, SETTINGS, clock=clock)
        await drain(second, clock)
        inboxes = await received(users, telegram.people)
    assert all(len(texts) == len(set(texts)) == 2 for texts in inboxes.values()), inboxes


async def test_a_person_who_blocked_the_bot_is_marked_and_their_coordinator_told(
    session, session_factory
):
    async with emulated(RateLimits(enabled=False)) as telegram:
        users, people, coordinator_user = await people_in_chat(session, telegram, 2)
        await telegram.people.block(users[0].id)
        await enqueue_each(session, people)
        clock = SkippableClock()
        worker = OutboxWorker(telegram.bot, session_factory, SETTINGS, clock=clock)
        await drain(worker, clock)
        alert = await coordinator_user.next_message(timeout=5)
        inboxes = await received(users, telegram.people)
    assert alert["text"] == "P0 bloqueó el bot y ya no recibe mensajes."
    assert inboxes[users[1].id] == ["Recordatorio 0 para P1"]
    async with session_factory() as fresh:
        failed = await fresh.scalar(
            select(Notification).where(Notification.state == NotificationState.FAILED)
        )
    assert failed.person_id == people[0].id


async def test_what_is_logged_while_a_notification_is_sent_names_it_and_its_person(
    session, session_factory
):
    stream = io.StringIO()
    logger = logging.getLogger("bot.outbox")
    logger.addHandler(logs.handler("json", stream))
    try:
        async with emulated(RateLimits(enabled=False)) as telegram:
            async with session.begin():
                sec = await factories.secretariat(session)
                # An account Telegram does not know: the send is refused, and that is logged.
                person = await create_person(
                    session, sec.id, "t", roles={Role.STAFF}, name="Eva", telegram_id=987654321
                )
            await enqueue_each(session, [person])
            worker = OutboxWorker(telegram.bot, session_factory, SETTINGS, clock=SkippableClock())
            await worker.run_once()
    finally:
        logger.handlers.clear()
    [refused] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert "refused by Telegram" in refused["message"]
    assert refused["person_id"] == person.id
    assert isinstance(refused["notification_id"], int)
    assert "987654321" not in json.dumps(refused)
