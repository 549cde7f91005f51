"""A small SVG line chart of an indicator's measurements, with its baseline and goal marked as
lines of their own. Only the geometry is computed here; ``secretariat.html`` draws it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.public.secretariat import IndicatorView

WIDTH = 320
HEIGHT = 140
LEFT = 8
RIGHT = 8
TOP = 12
BOTTOM = 12


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    validated: bool  # drawn filled; a value only reported, hollow


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    baseline: float | None
    goal: float | None

    @property
    def line(self) -> str:
        """The measurements as the ``points`` of an SVG polyline."""
        return " ".join(f"{point.x},{point.y}" for point in self.points)


def chart(indicator: IndicatorView) -> Chart | None:
    """The chart of the indicator's measurements by date; None without any."""
    readings = indicator.measurements
    if not readings:
        return None
    marks = [value for value in (indicator.baseline, indicator.goal) if value is not None]
    values = [reading.value for reading in readings] + marks
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    first, last = readings[0].day, readings[-1].day
    days = (last - first).days

    def y(value: Decimal) -> float:
        share = float((value - low) / (high - low))
        return round(TOP + (1 - share) * (HEIGHT - TOP - BOTTOM), 1)

    def x(index: int) -> float:
        span = WIDTH - LEFT - RIGHT
        if not days:
            return LEFT + span / 2
        return round(LEFT + (readings[index].day - first).days / days * span, 1)

    return Chart(
        WIDTH,
        HEIGHT,
        [
            Point(x(index), y(reading.value), reading.validated)
            for index, reading in enumerate(readings)
        ],
        y(indicator.baseline) if indicator.baseline is not None else None,
        y(indicator.goal) if indicator.goal is not None else None,
    )
