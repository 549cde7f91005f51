"""The outbox: once per key, claimed by one worker at a time, leases, blocked people."""

import asyncio
from datetime import timedelta

from sqlalchemy import select

from core.infra import liveness
from core.models import Notification, NotificationState, Role, utcnow
from core.notify import outbox
from core.people.people import create_person
from tests.support import factories


async def people(session, count=3):
    async with session.begin():
        sec = await factories.secretariat(session)
        staff = [
            await create_person(
                session, sec.id, "t", roles={Role.STAFF}, name=f"P{n}", telegram_id=1000 + n
            )
            for n in range(count)
        ]
        coordinator = await create_person(
            session, sec.id, "t", roles={Role.COORDINATOR}, name="Coord", telegram_id=999
        )
    return staff, coordinator


async def test_a_key_is_written_once(session):
    (person, *_), _ = await people(session)
    for _attempt in range(2):
        async with session.begin():
            await outbox.enqueue(session, person=person, kind="reminder", key="r:1", text="hola")
    async with session.begin():
        assert len((await session.scalars(select(Notification))).all()) == 1


async def test_concurrent_claims_never_share_a_row(session, session_factory):
    staff, _ = await people(session, count=5)
    async with session.begin():
        for number in range(60):
            await outbox.enqueue(
                session, person=staff[number % 5], kind="k", key=f"k:{number}", text="x"
            )
    now = utcnow()
    claimed: list[int] = []
    while len(claimed) < 60:
        batches = await asyncio.gather(
            *(outbox.claim(session_factory, 15, now) for _ in range(4))
        )  # fmt: skip
        ids = [item.id for batch in batches for item in batch]
        # One notification of each person at a time, the person's first, whoever claims it.
        assert sorted(ids) == sorted(set(ids)) == list(range(len(claimed) + 1, len(claimed) + 6))
        assert await outbox.claim(session_factory, 10, now) == []
        for notification_id in ids:
            await outbox.mark_sent(session_factory, notification_id, notification_id, now)
        claimed += ids


async def test_an_expired_lease_is_claimed_again(session, session_factory):
    (person, *_), _ = await people(session)
    async with session.begin():
        await outbox.enqueue(session, person=person, kind="k", key="k", text="x")
    now = utcnow()
    first = await outbox.claim(session_factory, 10, now)
    assert await outbox.claim(session_factory, 10, now + timedelta(seconds=30)) == []
    again = await outbox.claim(session_factory, 10, now + outbox.LEASE + timedelta(seconds=1))
    assert [item.id for item in again] == [item.id for item in first]
    assert again[0].attempts == 2


async def test_future_notifications_wait_for_their_time(session, session_factory):
    (person, *_), _ = await people(session)
    later = utcnow() + timedelta(hours=1)
    async with session.begin():
        await outbox.enqueue(
            session, person=person, kind="k", key="k", text="x", scheduled_at=later
        )
    assert await outbox.claim(session_factory, 10, utcnow()) == []
    assert len(await outbox.claim(session_factory, 10, later)) == 1


async def test_a_blocked_person_is_marked_and_their_coordinator_told_once(session, session_factory):
    (person, *_), coordinator = await people(session)
    async with session.begin():
        first = await outbox.enqueue(session, person=person, kind="k", key="a", text="x")
        second = await outbox.enqueue(session, person=person, kind="k", key="b", text="y")
    now = utcnow()
    for notification in (first, second):
        await outbox.mark_unreachable(session_factory, notification.id, "blocked", now)
    async with session_factory() as fresh:
        alerts = (
            await fresh.scalars(
                select(Notification).where(Notification.kind == "person_unreachable")
            )
        ).all()
        assert [alert.person_id for alert in alerts] == [coordinator.id]
        assert "P0" in alerts[0].text
        states = await outbox.counts(fresh)
    assert states[NotificationState.FAILED] == 2
    # Later notifications to the blocked person are cancelled, not sent.
    async with session_factory() as fresh, fresh.begin():
        await outbox.enqueue(fresh, person=person, kind="k", key="c", text="z")
    claimed = await outbox.claim(session_factory, 10, now)
    assert [item.person_id for item in claimed] == [coordinator.id]


async def test_a_notification_waiting_for_a_retry_keeps_its_place_in_the_chat(
    session, session_factory
):
    (person, *_), _ = await people(session)
    async with session.begin():
        for number in range(2):
            await outbox.enqueue(session, person=person, kind="k", key=f"k:{number}", text="x")
    now = utcnow()
    [first] = await outbox.claim(session_factory, 10, now)
    retry_at = now + timedelta(minutes=1)
    await outbox.mark_retry(session_factory, first.id, "502", retry_at, attempts=1)
    assert await outbox.claim(session_factory, 10, now) == []  # the second waits behind it
    assert [item.id for item in await outbox.claim(session_factory, 10, retry_at)] == [first.id]


async def test_the_claims_of_a_worker_that_is_gone_are_taken_over_at_once(
    session, session_factory, engine
):
    (person, other, *_), _ = await people(session)
    async with session.begin():
        await outbox.enqueue(session, person=person, kind="k", key="k:claimed", text="x")
        await outbox.enqueue(session, person=other, kind="k", key="k:started", text="y")
    now = utcnow()
    async with liveness.alive(engine) as first:
        claimed, started = await outbox.claim(session_factory, 10, now, first)
        assert await outbox.start(session_factory, started, now)
        async with liveness.alive(engine) as second:
            alive = engine.dialect.name == "postgresql"  # SQLite serves a single process
            taken = await outbox.claim(session_factory, 10, now, second)
            assert [item.id for item in taken] == ([] if alive else [claimed.id])
    async with liveness.alive(engine) as third:
        taken = await outbox.claim(session_factory, 10, now, third)
        # Long before the lease runs out: the claim is due again, the send it started given up.
        assert [item.id for item in taken] == [claimed.id]
    async with session_factory() as fresh:
        given_up = await fresh.get(Notification, started.id)
    assert given_up.state == NotificationState.FAILED
    assert given_up.last_error == outbox.MAY_HAVE_ARRIVED
