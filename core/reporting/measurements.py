"""An indicator's value reported, by any door (the admin API, a chat conversation, a plan's
workbook): recorded by ``core.plans.measurements``, then put to civil-society validation when
the plan's policy names its indicator.

A correction supersedes the value it corrects: an open validation of that value ends (expired,
its validators' buttons closed), and the correction, the new current value, is the one put to
validation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.models import Indicator, Measurement
from core.plans import measurements
from core.validation.outcome import end_with_measurement
from core.validation.requests import request_on_measurement


async def report_measurement(
    session: AsyncSession, secretariat_id: int, actor: Actor, indicator_id: int, **fields: Any
) -> Measurement:
    """Record the indicator's value (every rule of ``measurements.record_measurement``, whose
    arguments ``fields`` are) and, in the same transaction, end the validation of the value it
    supersedes and ask for its own when the policy says so."""
    measurement = await measurements.record_measurement(
        session, secretariat_id, actor, indicator_id, **fields
    )
    indicator = await session.get_one(Indicator, measurement.indicator_id)
    if measurement.revision > 1:
        superseded = await measurements.revision_of(
            session, indicator.id, measurement.measured_on, measurement.revision - 1
        )
        if superseded is not None:
            await end_with_measurement(session, superseded, measurement)
    await request_on_measurement(session, secretariat_id, measurement, indicator)
    return measurement
