"""The database itself enforces the rules: foreign keys, checks, unique keys, UTC."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core.models import Secretariat, Task
from tests.support import factories


async def test_foreign_keys_are_enforced(session):
    with pytest.raises(IntegrityError):
        async with session.begin():
            await session.execute(insert(Task).values(activity_id=424242, code="x", title="x"))


async def test_check_constraints_are_enforced(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        _plan, activity = await factories.plan_with_activity(session, sec.id)
        activity_id = activity.id
    with pytest.raises(IntegrityError):
        async with session.begin():
            await session.execute(
                insert(Task).values(activity_id=activity_id, code="x", title="x", percent=150)
            )


async def test_timestamps_come_back_aware_and_in_utc(session):
    mexico_city = timezone(timedelta(hours=-6))
    moment = datetime(2026, 3, 15, 9, 30, 0, 123456, tzinfo=mexico_city)
    async with session.begin():
        sec = await factories.secretariat(session)
        sec.created_at = moment
        sec_id = sec.id
    async with session.begin():
        stored = await session.scalar(
            select(Secretariat.created_at).where(Secretariat.id == sec_id)
        )
    assert stored == moment
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.astimezone(UTC).hour == 15
