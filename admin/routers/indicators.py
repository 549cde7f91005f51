"""Indicators of a plan and their measurements."""

from __future__ import annotations

from fastapi import APIRouter, status

from admin.auth import Id, PlanEditor, Reader
from admin.routers.items import item_routes
from admin.routers.params import Limit, Offset, sort_param
from admin.schemas.common import Page
from admin.schemas.plans import (
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    MeasurementCreate,
    MeasurementRead,
)
from core.people import people
from core.plans import indicators

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["indicators"])


@router.get(
    "/plans/{plan_id}/indicators", summary="List indicators", response_model=Page[IndicatorRead]
)
async def list_indicators(
    plan_id: Id,
    scope: Reader,
    sort: sort_param("id", "name", default="name") = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    return await scope.read(
        indicators.list_indicators, plan_id, sort=sort, limit=limit, offset=offset
    )


@router.post(
    "/plans/{plan_id}/indicators",
    summary="Add an indicator",
    status_code=status.HTTP_201_CREATED,
    response_model=IndicatorRead,
)
async def create_indicator(plan_id: Id, body: IndicatorCreate, scope: PlanEditor):
    return await scope.change(indicators.create_indicator, plan_id, **body.model_dump())


item_routes(
    router,
    "indicator",
    "an indicator",
    path="/indicators/{indicator_id}",
    read=indicators.get_indicator,
    update=indicators.update_indicator,
    delete=indicators.delete_indicator,
    read_model=IndicatorRead,
    update_model=IndicatorUpdate,
    deletion="An indicator with measurements is kept (409).",
)


@router.get(
    "/indicators/{indicator_id}/measurements",
    summary="List measurements",
    response_model=Page[MeasurementRead],
)
async def list_measurements(
    indicator_id: Id,
    scope: Reader,
    sort: sort_param("measured_on", default="measured_on") = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    return await scope.read(
        indicators.list_measurements, indicator_id, sort=sort, limit=limit, offset=offset
    )


@router.post(
    "/indicators/{indicator_id}/measurements",
    summary="Record a measurement",
    status_code=status.HTTP_201_CREATED,
    response_model=MeasurementRead,
)
async def create_measurement(indicator_id: Id, body: MeasurementCreate, scope: PlanEditor):
    if body.reported_by_id is not None:
        await scope.read(people.get_person, body.reported_by_id)
    return await scope.change(indicators.record_measurement, indicator_id, **body.model_dump())
