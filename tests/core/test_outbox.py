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
        assert ids and len(ids) == len(set(ids))
        # A person's notifications are claimed by one worker, in order, from their earliest
        # left (the n-th notification written is person n % 5's, with id n + 1).
        for batch in batches:
            for person_id in {item.person_id for item in batch}:
                theirs = [item.id for item in batch if item.person_id == person_id]
                left = [n for n in range(theirs[0] % 5, 61, 5) if n and n not in claimed]
                assert theirs == left[: len(theirs)]
        for notification_id in ids:
            await outbox.mark_sent(session_factory, notification_id, notification_id, now)
        claimed += ids
    assert sorted(claimed) == list(range(1, 61))
    assert await outbox.claim(session_factory, 10, now) == []


async def test_a_chat_held_back_does_not_hold_back_the_others(session, session_factory):
    (held, other, _), _ = await people(session)
    async with session.begin():
        for number in range(11):
            await outbox.enqueue(session, person=held, kind="k", key=f"h:{number}", text="x")
        await outbox.enqueue(session, person=other, kind="k", key="o", text="x")
    now = utcnow()
    [first] = await outbox.claim(session_factory, 1, now)  # on its way: the rest of its chat waits
    # The ten due behind it come first, but a batch of ten still finds the other chat's.
    again = await outbox.claim(session_factory, 10, now)
    assert [item.person_id for item in again] == [other.id]
    assert first.person_id == held.id


async def test_a_notification_waiting_for_a_retry_keeps_its_place_in_the_chat(
    session, session_factory
):
    (person, *_), _ = await people(session)
    async with session.begin():
        for number in range(2):
            await outbox.enqueue(session, person=person, kind="k", key=f"k:{number}", text="x")
    now = utcnow()
    [first] = await outbox.claim(session_factory, 1, now)
    retry_at = now + timedelta(minutes=1)
    await outbox.mark_retry(session_factory, first.id, "502", retry_at, attempts=1)
    assert await outbox.claim(session_factory, 10, now) == []  # the second waits behind it
    again = await outbox.claim(session_factory, 10, retry_at)
    assert [item.id for item in again] == [first.id, first.id + 1]


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


async def test_a_gone_workers_claims_of_one_chat_do_not_hold_each_other_back(
    session, session_factory, engine
):
    (person, *_), _ = await people(session)
    async with session.begin():
        for number in range(3):
            await outbox.enqueue(session, person=person, kind="k", key=f"k:{number}", text="x")
    now = utcnow()
    async with liveness.alive(engine) as first:
        claimed = await outbox.claim(session_factory, 10, now, first)
    async with liveness.alive(engine) as second:
        taken = await outbox.claim(session_factory, 10, now, second)
    assert [item.id for item in taken] == [item.id for item in claimed]
