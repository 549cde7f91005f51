"""Indicators of a plan and their measurements."""

from __future__ import annotations

from fastapi import APIRouter

from admin.routers.items import collection_routes, item_routes
from admin.routers.params import sort_by
from admin.schemas.plans import (
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    MeasurementCreate,
    MeasurementRead,
)
from core.plans import indicators, measurements
from core.reporting.measurements import report_measurement

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["indicators"])


collection_routes(
    router,
    "indicator",
    "indicators",
    path="/plans/{plan_id}/indicators",
    parent="plan",
    listing=indicators.list_indicators,
    adding=indicators.create_indicator,
    read_model=IndicatorRead,
    create_model=IndicatorCreate,
    sort=sort_by("id", "name", default="name"),
    summaries=("List indicators", "Add an indicator"),
)


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


collection_routes(
    router,
    "measurement",
    "measurements",
    path="/indicators/{indicator_id}/measurements",
    parent="indicator",
    listing=measurements.list_measurements,
    adding=report_measurement,
    read_model=MeasurementRead,
    create_model=MeasurementCreate,
    sort=sort_by("measured_on", default="measured_on"),
    summaries=("List measurements", "Record a measurement"),
)
