"""The audit chain verifies, and catches an edited or a deleted row."""

from sqlalchemy import delete, update

from core.audit import chain
from core.models import AuditEvent
from core.plans import tasks
from tests.support import factories


async def seed_events(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        _plan, activity = await factories.plan_with_activity(session, sec.id)
        for number in range(3):
            await tasks.add_task(session, sec.id, "t", activity.id, title=f"Tarea {number}")


async def test_every_change_is_chained_and_verifies(session):
    await seed_events(session)
    report = await chain.verify(session, batch_size=2)
    assert report.ok, report.describe()
    # secretariat, plan, objective, activity and three tasks
    assert report.events == 7
    assert report.head == (await chain.head(session))[1]


async def test_an_edited_row_is_caught(session):
    await seed_events(session)
    async with session.begin():
        await session.execute(
            update(AuditEvent).where(AuditEvent.seq == 5).values(data={"title": "otra"})
        )
    report = await chain.verify(session)
    assert not report.ok
    assert (report.broken_seq, report.reason) == (5, "its content does not match its hash")


async def test_a_rehashed_edit_breaks_the_next_link(session):
    await seed_events(session)
    async with session.begin():
        event = await session.get(AuditEvent, 4)
        record = chain.as_record(event) | {"actor": "someone else"}
        await session.execute(
            update(AuditEvent)
            .where(AuditEvent.seq == 4)
            .values(actor="someone else", hash=chain.digest(event.prev_hash, record))
        )
    report = await chain.verify(session)
    assert (report.broken_seq, report.reason) == (
        5,
        "its link to the previous event does not match",
    )


async def test_a_deleted_row_is_caught(session):
    await seed_events(session)
    async with session.begin():
        await session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    report = await chain.verify(session)
    assert (report.broken_seq, report.reason) == (3, "event 3 is missing")


async def test_exported_records_verify_offline(session):
    await seed_events(session)
    async with session.begin():
        records = [chain.as_record(event) for event in await session.scalars(
            AuditEvent.__table__.select().order_by(AuditEvent.seq).with_only_columns(AuditEvent)
        )]  # fmt: skip
    assert chain.verify_records(records).ok
    records[1]["data"]["title"] = "cambiado"
    assert chain.verify_records(records).broken_seq == 2
