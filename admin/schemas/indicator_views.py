"""Indicators' values period by period, and where a plan's indicators stand."""

from __future__ import annotations

from pydantic import Field

from admin.schemas.common import read_model
from core.plans.indicator_views import (
    IndicatorProgress,
    IndicatorSeries,
    PeriodValue,
    PlanIndicators,
)
from core.plans.periods import Period

PeriodRead = read_model(Period, "PeriodRead")
PeriodValueRead = read_model(
    PeriodValue,
    "PeriodValueRead",
    due_on=Field(description="Its value is late from the day after."),
    state=Field(
        description="reported; upcoming while the period runs; due once it has ended, until "
        "its due day; late after."
    ),
    value=Field(description="Its current value: the highest revision."),
    revisions=Field(description="How many values it has had: corrections count."),
    validation=Field(
        description="The state of its current value's latest civil-society validation: "
        "validated, disputed, open, inconclusive or expired; null if never put to validation "
        "(a correction is validated anew)."
    ),
)
IndicatorProgressRead = read_model(
    IndicatorProgress,
    "IndicatorProgressRead",
    direction=Field(description="up or down, the way the goal lies from the baseline."),
    latest=Field(description="The value of the latest period that has one."),
    latest_on=Field(description="The last day of that period."),
    progress=Field(
        description="From the baseline (0) to the goal (1), whichever way the goal lies, "
        "clamped; none without a value, a baseline and a goal apart."
    ),
    validated=Field(
        description="The value of the latest period whose value civil society validated."
    ),
    validated_on=Field(description="The last day of that period."),
    validated_progress=Field(
        description="Progress toward the goal counting only validated values: that of the "
        "latest validated value, measured as progress is."
    ),
    late=Field(description="Periods past their due day without a value."),
)
IndicatorSeriesRead = read_model(
    IndicatorSeries,
    "IndicatorSeriesRead",
    "An indicator and every period of its calendar with its value.",
)
PlanIndicatorsRead = read_model(
    PlanIndicators,
    "PlanIndicatorsRead",
    "Where each of a plan's indicators stands, by name.",
    grace_days=Field(description="Days after a period's end its value is due."),
)
