"""A person's own indicators, as /indicadores shows them: what each last measured and which of
its periods still lack a value."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Indicator, IndicatorResponsible, Measurement, Person, Plan
from core.plans.indicators import periods
from core.plans.measurements import indicator_measurements
from core.plans.periods import Period, period_of


class OwnIndicator(NamedTuple):
    indicator: Indicator
    plan_title: str
    # Its latest value and that value's period, and the ended periods without one, oldest first.
    last: Measurement | None
    last_period: Period | None
    missing: list[Period]
    # The period under way, if one is; its value is due at its end plus the grace.
    under_way: Period | None
    grace_days: int


async def own_indicators(session: AsyncSession, person: Person, today: date) -> list[OwnIndicator]:
    """The indicators the person reports, those with periods lacking a value first, in two
    statements."""
    rows = (
        await session.execute(
            select(Indicator, Plan.title, Plan.measurement_grace_days)
            .join(IndicatorResponsible, IndicatorResponsible.indicator_id == Indicator.id)
            .join(Plan, Plan.id == Indicator.plan_id)
            .where(IndicatorResponsible.person_id == person.id)
            .order_by(Indicator.name, Indicator.id)
        )
    ).all()
    measured = await indicator_measurements(session, [indicator.id for indicator, _, _ in rows])
    found = []
    for indicator, plan_title, grace_days in rows:
        values = measured.get(indicator.id, [])
        reported = {value.measured_on for value in values}
        calendar = periods(indicator)
        missing = [p for p in calendar if p.ends_on < today and p.ends_on not in reported]
        under_way = next((p for p in calendar if p.starts_on <= today <= p.ends_on), None)
        last = values[-1] if values else None
        last_period = period_of(calendar, last.measured_on) if last else None
        found.append(
            OwnIndicator(indicator, plan_title, last, last_period, missing, under_way, grace_days)
        )
    return sorted(found, key=lambda own: not own.missing)
