"""Views over indicators: one's values period by period, and a plan's indicators at once."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from admin.auth import Id, Reader, Scope
from admin.schemas.indicator_views import IndicatorSeriesRead, PlanIndicatorsRead
from core.models import Secretariat
from core.people.people import local_today
from core.plans import indicator_views

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["indicators"])

AsOf = Annotated[
    date | None,
    Query(description="Day to judge by; today in the secretariat's time zone if unset."),
]


async def _today(scope: Scope, as_of: date | None) -> date:
    if as_of is not None:
        return as_of
    return local_today(await scope.session.get_one(Secretariat, scope.secretariat_id))


@router.get(
    "/indicators/{indicator_id}/series",
    summary="An indicator's values period by period",
    response_model=IndicatorSeriesRead,
)
async def indicator_series(indicator_id: Id, scope: Reader, as_of: AsOf = None):
    """Every period of the indicator's calendar: when its value is due, its state and current
    value, how many revisions it has had; and where the indicator stands."""
    today = await _today(scope, as_of)
    return await scope.read(indicator_views.indicator_series, indicator_id, today)


@router.get(
    "/plans/{plan_id}/indicators/progress",
    summary="Where a plan's indicators stand",
    response_model=PlanIndicatorsRead,
)
async def plan_indicators(plan_id: Id, scope: Reader, as_of: AsOf = None):
    """Each indicator's baseline, goal, latest value, progress toward the goal and late
    periods; its period-by-period values are its series."""
    today = await _today(scope, as_of)
    return await scope.read(indicator_views.plan_indicators, plan_id, today)
