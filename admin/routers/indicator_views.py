"""Views over indicators: one's values period by period, and a plan's indicators at once."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response

from admin.auth import Id, Reader
from admin.routers.params import AsOf, judged_on
from admin.routers.views import NOT_MODIFIED, Views
from admin.schemas.indicator_views import IndicatorSeriesRead, PlanIndicatorsRead
from core.plans import indicator_views
from core.plans.indicator_views import IndicatorSeries

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["indicators"])


@router.get(
    "/indicators/{indicator_id}/series",
    summary="An indicator's values period by period",
    response_model=IndicatorSeriesRead,
)
async def indicator_series(indicator_id: Id, scope: Reader, as_of: AsOf = None) -> IndicatorSeries:
    """Every period of the indicator's calendar: when its value is due, its state and current
    value, how many revisions it has had; and where the indicator stands."""
    today = await judged_on(scope, as_of)
    return await scope.read(indicator_views.indicator_series, indicator_id, today)


@router.get(
    "/plans/{plan_id}/indicators/progress",
    summary="Where a plan's indicators stand",
    response_model=PlanIndicatorsRead,
    responses=NOT_MODIFIED,
)
async def plan_indicators(
    plan_id: Id, scope: Reader, views: Views, request: Request, as_of: AsOf = None
) -> Response:
    """Each indicator's baseline, goal, latest value, progress toward the goal (reported and
    validated) and late periods; its period-by-period values are its series.

    Carries an ETag: send it back in `If-None-Match` to get 304 while nothing has changed."""
    today = await judged_on(scope, as_of)
    # Kept as served, as the plan's other views are, for the day it is judged on.
    build = partial(indicator_views.plan_indicators, today=today)
    return await views.respond(request, scope, plan_id, f"indicators-{today.isoformat()}", build)
