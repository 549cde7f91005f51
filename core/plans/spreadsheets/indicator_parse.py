"""Rows of the ``Indicadores`` and ``Mediciones`` sheets into drafts for the indicator and
measurement services; every cell that cannot be read is found, by sheet, row and column.

The services apply their own rules (calendar, scale, period begun) when the drafts are written;
here a cell is only turned into what they take, through the services' own cleaners.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from core.errors import InvalidInput
from core.infra.values import quantity, storable, text
from core.models import Frequency, Scale
from core.plans.indicators import INDICATOR_FIELDS, scale_of_unit
from core.plans.spreadsheets.columns import Sheet, normalise
from core.plans.spreadsheets.indicator_columns import (
    FREQUENCY_BY_NAME,
    FREQUENCY_LABELS,
    INDICATORS,
    MEASUREMENTS,
    SCALE_BY_NAME,
    SCALE_LABELS,
)
from core.plans.spreadsheets.parse import Collector, cell_code, cell_date, split_items
from core.plans.spreadsheets.problems import CellError
from core.plans.spreadsheets.read import Table, cell_text
from i18n import N_

E = TypeVar("E", bound=StrEnum)


@dataclass
class IndicatorDraft:
    """An indicator's row: its fields as the indicator services take them (only those of the
    columns the sheet has; an empty first or last day is the plan's year's), the code of its
    objective and its responsibles as the file names them."""

    row: int
    name: str
    values: dict[str, Any]
    objective_code: str | None
    responsibles: list[str]


@dataclass(frozen=True)
class MeasurementDraft:
    """A value's row: its indicator by name, a day of its period, and what it says."""

    row: int
    indicator: str
    day: date
    value: Decimal
    note: str | None
    revision: int | None


@dataclass(frozen=True)
class ParsedIndicators:
    """What the two sheets describe, None for a sheet the file lacks; the keys of the columns
    each has, and every problem found."""

    indicators: list[IndicatorDraft] | None
    measurements: list[MeasurementDraft] | None
    indicator_columns: frozenset[str]
    measurement_columns: frozenset[str]
    problems: list[CellError]

    @property
    def present(self) -> bool:
        """Whether the file has either sheet (without, it leaves the indicators as they are)."""
        return self.indicators is not None or self.measurements is not None


def _label(by_name: dict[str, E], labels: dict[E, str], field: str, message: str, value: Any) -> E:
    """The member a label names, in Spanish or by its value; ``message`` refuses another."""
    content = cell_text(value)
    if not content:
        raise InvalidInput(N_("The {field} cannot be empty."), field=field)
    found = by_name.get(normalise(content))
    if found is None:
        raise InvalidInput(message, field=field, value=content, choices=", ".join(labels.values()))
    return found


def _frequency(value: Any) -> Frequency:
    message = N_("Unknown frequency {value}; use one of: {choices}.")
    return _label(FREQUENCY_BY_NAME, FREQUENCY_LABELS, "frequency", message, value)


def _scale(value: Any) -> Scale:
    message = N_("Unknown scale {value}; use one of: {choices}.")
    return _label(SCALE_BY_NAME, SCALE_LABELS, "scale", message, value)


def _long_text(key: str) -> Callable[[Any], str | None]:
    return lambda value: storable(cell_text(value), key) or None


def _number(key: str) -> Callable[[Any], Decimal | None]:
    return lambda value: INDICATOR_FIELDS[key](cell_text(value) or None)


def _due_dates(value: Any) -> list[str] | None:
    days = [cell_date(item, "due_dates") for item in split_items(value, ";,")]
    due: list[str] | None = INDICATOR_FIELDS["due_dates"](days)
    return due


# How each cell becomes what the indicator services take; name, scale and the rest are apart.
INDICATOR_CELLS = {
    "unit": lambda value: INDICATOR_FIELDS["unit"](cell_text(value)),
    "method": _long_text("method"),
    "baseline": _number("baseline"),
    "goal": _number("goal"),
    "frequency": _frequency,
    "starts_on": lambda value: cell_date(value, "starts_on"),
    "ends_on": lambda value: cell_date(value, "ends_on"),
    "due_dates": _due_dates,
    "means_of_verification": _long_text("means_of_verification"),
}


def parse_indicators(tables: dict[Sheet, Table]) -> ParsedIndicators:
    """The indicators and values the two sheets describe, with every problem of their cells."""
    indicators, measurements = tables.get(INDICATORS), tables.get(MEASUREMENTS)
    indicator_problems = Collector(indicators.problems if indicators else [], INDICATORS)
    measurement_problems = Collector(measurements.problems if measurements else [], MEASUREMENTS)
    drafts = _indicators(indicators, indicator_problems) if indicators else None
    values = _measurements(measurements, measurement_problems) if measurements else None
    return ParsedIndicators(
        drafts,
        values,
        indicators.columns if indicators else frozenset(),
        measurements.columns if measurements else frozenset(),
        indicator_problems.problems + measurement_problems.problems,
    )


def _indicators(table: Table, problems: Collector) -> list[IndicatorDraft]:
    drafts: list[IndicatorDraft] = []
    rows_by_name: dict[str, int] = {}
    for row, cells in table.rows:
        name = problems.check(row, "name", lambda v: text(cell_text(v), "name"), cells.get("name"))
        values = {
            key: problems.check(row, key, convert, cells[key])
            for key, convert in INDICATOR_CELLS.items()
            if key in cells
        }
        if cell_text(cells.get("scale")):
            values["scale"] = problems.check(row, "scale", _scale, cells["scale"])
        elif "scale" in cells and (unit := values.get("unit")):
            # Empty, it is what the unit implies, as when the API is given none.
            values["scale"] = scale_of_unit(unit)
        objective_code = problems.check(
            row, "objective_code", lambda v: cell_code(v, "code"), cells.get("objective_code")
        )
        if name is None:
            continue
        if name in rows_by_name:
            problems.add(
                row,
                "name",
                InvalidInput(
                    N_("The indicator {name} is already in row {row}."),
                    name=name,
                    row=rows_by_name[name],
                ),
            )
            continue
        rows_by_name[name] = row
        responsibles = split_items(cells.get("responsibles"), ";,")
        drafts.append(IndicatorDraft(row, name, values, objective_code, responsibles))
    return drafts


def _measurements(table: Table, problems: Collector) -> list[MeasurementDraft]:
    drafts = []
    for row, cells in table.rows:
        indicator = problems.check(
            row, "indicator", lambda v: text(cell_text(v), "indicator"), cells.get("indicator")
        )
        day = problems.check(row, "period", _period, cells.get("period"))
        value = problems.check(row, "value", _value, cells.get("value"))
        note = problems.check(row, "note", _long_text("note"), cells.get("note"))
        revision = problems.check(row, "revision", _revision, cells.get("revision"))
        if indicator is not None and day is not None and value is not None:
            drafts.append(MeasurementDraft(row, indicator, day, value, note, revision))
    return drafts


def _period(value: Any) -> date:
    found = cell_date(value, "period")
    if found is None:
        raise InvalidInput(N_("The {field} cannot be empty."), field="period")
    return found


def _value(value: Any) -> Decimal:
    number = quantity(cell_text(value) or None, "value")
    if number is None:
        raise InvalidInput(N_("The {field} cannot be empty."), field="value")
    return number


def _revision(value: Any) -> int | None:
    content = cell_text(value)
    if not content:
        return None
    if not re.fullmatch(r"[1-9]\d{0,5}", content):
        raise InvalidInput(N_("The {field} must be a whole number from 1 up."), field="revision")
    return int(content)
